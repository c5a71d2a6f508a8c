// Original file: src/generated/proto/nebius/compute/v1/operation_service.proto

import type { Long } from '@grpc/proto-loader';

export interface ListOperationsByParentRequest {
  'parentId'?: (string);
  'pageSize'?: (number | string | Long);
  'pageToken'?: (string);
}

export interface ListOperationsByParentRequest__Output {
  'parentId': (string);
  'pageSize': (string);
  'pageToken': (string);
}
