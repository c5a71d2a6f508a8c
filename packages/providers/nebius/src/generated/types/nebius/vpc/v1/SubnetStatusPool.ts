// Original file: src/generated/proto/nebius/vpc/v1/subnet.proto


export interface SubnetStatusPool {
  'poolId'?: (string);
  'cidrs'?: (string)[];
}

export interface SubnetStatusPool__Output {
  'poolId': (string);
  'cidrs': (string)[];
}
