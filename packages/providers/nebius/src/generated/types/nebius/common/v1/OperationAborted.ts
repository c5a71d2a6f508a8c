// Original file: src/generated/proto/nebius/common/v1/error.proto


export interface OperationAborted {
  'operationId'?: (string);
  'abortedByOperationId'?: (string);
  'resourceId'?: (string);
}

export interface OperationAborted__Output {
  'operationId': (string);
  'abortedByOperationId': (string);
  'resourceId': (string);
}
