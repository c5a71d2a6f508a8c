// Original file: src/generated/proto/nebius/common/v1/error.proto


export interface PermissionDenied {
  'resourceId'?: (string);
}

export interface PermissionDenied__Output {
  'resourceId': (string);
}
