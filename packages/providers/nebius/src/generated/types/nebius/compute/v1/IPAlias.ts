// Original file: src/generated/proto/nebius/compute/v1/network_interface.proto


export interface IPAlias {
  'allocationId'?: (string);
}

export interface IPAlias__Output {
  'allocationId': (string);
}
