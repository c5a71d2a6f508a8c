// Original file: src/generated/proto/nebius/compute/v1/network_interface.proto


export interface SecurityGroup {
  'id'?: (string);
}

export interface SecurityGroup__Output {
  'id': (string);
}
