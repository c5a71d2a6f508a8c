// Original file: src/generated/proto/nebius/compute/v1/network_interface.proto


export interface PublicIPAddress {
  'allocationId'?: (string);
  'static'?: (boolean);
  'allocation'?: "allocationId";
}

export interface PublicIPAddress__Output {
  'allocationId'?: (string);
  'static': (boolean);
  'allocation'?: "allocationId";
}
