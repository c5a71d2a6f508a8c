// Original file: src/generated/proto/nebius/compute/v1/network_interface.proto


export interface SecurityGroupStatus {
  'id'?: (string);
}

export interface SecurityGroupStatus__Output {
  'id': (string);
}
