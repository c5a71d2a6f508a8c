// Original file: src/generated/proto/nebius/vpc/v1/subnet_service.proto

import type { Long } from '@grpc/proto-loader';

export interface ListSubnetsRequest {
  'parentId'?: (string);
  'pageSize'?: (number | string | Long);
  'pageToken'?: (string);
}

export interface ListSubnetsRequest__Output {
  'parentId': (string);
  'pageSize': (string);
  'pageToken': (string);
}
