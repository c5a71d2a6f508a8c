// Original file: src/generated/proto/nebius/common/v1/error.proto


export interface ResourceNotFound {
  'resourceId'?: (string);
}

export interface ResourceNotFound__Output {
  'resourceId': (string);
}
