// Original file: src/generated/proto/nebius/compute/v1/instance_service.proto


export interface StartInstanceRequest {
  'id'?: (string);
}

export interface StartInstanceRequest__Output {
  'id': (string);
}
