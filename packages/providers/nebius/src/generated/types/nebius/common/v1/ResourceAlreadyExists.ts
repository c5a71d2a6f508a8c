// Original file: src/generated/proto/nebius/common/v1/error.proto


export interface ResourceAlreadyExists {
  'resourceId'?: (string);
}

export interface ResourceAlreadyExists__Output {
  'resourceId': (string);
}
