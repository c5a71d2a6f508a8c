// Original file: src/generated/proto/nebius/compute/v1/instance_service.proto


export interface BatchGetRequest {
  'instanceIds'?: (string)[];
}

export interface BatchGetRequest__Output {
  'instanceIds': (string)[];
}
