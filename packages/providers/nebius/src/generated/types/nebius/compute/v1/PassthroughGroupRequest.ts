// Original file: src/generated/proto/nebius/compute/v1/instance.proto


export interface PassthroughGroupRequest {
  'requested'?: (boolean);
}

export interface PassthroughGroupRequest__Output {
  'requested': (boolean);
}
