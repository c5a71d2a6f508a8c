// Original file: src/generated/proto/nebius/compute/v1/instance_service.proto

import type { Long } from '@grpc/proto-loader';

export interface ListInstancesByNVLInstanceGroupRequest {
  'nvlInstanceGroupId'?: (string);
  'pageSize'?: (number | string | Long);
  'pageToken'?: (string);
}

export interface ListInstancesByNVLInstanceGroupRequest__Output {
  'nvlInstanceGroupId': (string);
  'pageSize': (string);
  'pageToken': (string);
}
