// Original file: src/generated/proto/nebius/compute/v1/network_interface.proto


export interface PublicIPAddressStatus {
  'address'?: (string);
  'allocationId'?: (string);
  'static'?: (boolean);
}

export interface PublicIPAddressStatus__Output {
  'address': (string);
  'allocationId': (string);
  'static': (boolean);
}
