// Original file: src/generated/proto/nebius/common/v1/error.proto


export interface ResourceConflict {
  'resourceId'?: (string);
  'message'?: (string);
}

export interface ResourceConflict__Output {
  'resourceId': (string);
  'message': (string);
}
