// Original file: src/generated/proto/nebius/compute/v1/instance_service.proto


export interface StopInstanceRequest {
  'id'?: (string);
}

export interface StopInstanceRequest__Output {
  'id': (string);
}
