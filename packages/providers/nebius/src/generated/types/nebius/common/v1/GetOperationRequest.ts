// Original file: src/generated/proto/nebius/common/v1/operation_service.proto


export interface GetOperationRequest {
  'id'?: (string);
}

export interface GetOperationRequest__Output {
  'id': (string);
}
