// Original file: src/generated/proto/nebius/vpc/v1/pool.proto


export interface PoolAssignment {
  'networks'?: (string)[];
  'subnets'?: (string)[];
}

export interface PoolAssignment__Output {
  'networks': (string)[];
  'subnets': (string)[];
}
