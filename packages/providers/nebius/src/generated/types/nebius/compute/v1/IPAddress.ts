// Original file: src/generated/proto/nebius/compute/v1/network_interface.proto


export interface IPAddress {
  'allocationId'?: (string);
}

export interface IPAddress__Output {
  'allocationId': (string);
}
