// Original file: src/generated/proto/nebius/common/v1/operation_service.proto

import type { Long } from '@grpc/proto-loader';

export interface ListOperationsRequest {
  'resourceId'?: (string);
  'pageSize'?: (number | string | Long);
  'pageToken'?: (string);
}

export interface ListOperationsRequest__Output {
  'resourceId': (string);
  'pageSize': (string);
  'pageToken': (string);
}
