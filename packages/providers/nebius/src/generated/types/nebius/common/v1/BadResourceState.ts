// Original file: src/generated/proto/nebius/common/v1/error.proto


export interface BadResourceState {
  'resourceId'?: (string);
  'message'?: (string);
}

export interface BadResourceState__Output {
  'resourceId': (string);
  'message': (string);
}
