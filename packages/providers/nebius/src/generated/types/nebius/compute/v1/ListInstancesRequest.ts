// Original file: src/generated/proto/nebius/compute/v1/instance_service.proto

import type { Long } from '@grpc/proto-loader';

export interface ListInstancesRequest {
  'parentId'?: (string);
  'pageSize'?: (number | string | Long);
  'pageToken'?: (string);
}

export interface ListInstancesRequest__Output {
  'parentId': (string);
  'pageSize': (string);
  'pageToken': (string);
}
