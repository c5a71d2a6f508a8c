// Original file: src/generated/proto/nebius/compute/v1/platform_service.proto

import type { Long } from '@grpc/proto-loader';

export interface ListPlatformsRequest {
  'pageSize'?: (number | string | Long);
  'pageToken'?: (string);
  'parentId'?: (string);
}

export interface ListPlatformsRequest__Output {
  'pageSize': (string);
  'pageToken': (string);
  'parentId': (string);
}
