// Original file: src/generated/proto/nebius/compute/v1/instance_service.proto


export interface DeleteInstanceRequest {
  'id'?: (string);
}

export interface DeleteInstanceRequest__Output {
  'id': (string);
}
