// Original file: src/generated/proto/nebius/vpc/v1/subnet_service.proto


export interface GetSubnetByNameRequest {
  'parentId'?: (string);
  'name'?: (string);
}

export interface GetSubnetByNameRequest__Output {
  'parentId': (string);
  'name': (string);
}
