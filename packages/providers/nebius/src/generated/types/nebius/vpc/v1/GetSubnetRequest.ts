// Original file: src/generated/proto/nebius/vpc/v1/subnet_service.proto


export interface GetSubnetRequest {
  'id'?: (string);
}

export interface GetSubnetRequest__Output {
  'id': (string);
}
