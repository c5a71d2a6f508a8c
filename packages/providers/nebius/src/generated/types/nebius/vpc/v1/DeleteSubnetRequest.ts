// Original file: src/generated/proto/nebius/vpc/v1/subnet_service.proto


export interface DeleteSubnetRequest {
  'id'?: (string);
}

export interface DeleteSubnetRequest__Output {
  'id': (string);
}
