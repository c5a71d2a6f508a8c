// Original file: src/generated/proto/nebius/compute/v1/instance_service.proto


export interface GetInstanceRequest {
  'id'?: (string);
}

export interface GetInstanceRequest__Output {
  'id': (string);
}
