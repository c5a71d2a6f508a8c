// Original file: src/generated/proto/nebius/compute/v1/network_interface.proto


export interface IPAddressStatus {
  'address'?: (string);
  'allocationId'?: (string);
}

export interface IPAddressStatus__Output {
  'address': (string);
  'allocationId': (string);
}
