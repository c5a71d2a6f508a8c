// Original file: src/generated/proto/nebius/common/v1/error.proto


export interface OperationConflict {
  'conflictingOperationId'?: (string);
  'resourceId'?: (string);
}

export interface OperationConflict__Output {
  'conflictingOperationId': (string);
  'resourceId': (string);
}
