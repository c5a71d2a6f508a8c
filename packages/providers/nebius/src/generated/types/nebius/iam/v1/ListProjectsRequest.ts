// Original file: src/generated/proto/nebius/iam/v1/project_service.proto

import type { Long } from '@grpc/proto-loader';

export interface ListProjectsRequest {
  'parentId'?: (string);
  'pageSize'?: (number | string | Long);
  'pageToken'?: (string);
  'filter'?: (string);
}

export interface ListProjectsRequest__Output {
  'parentId': (string);
  'pageSize': (string);
  'pageToken': (string);
  'filter': (string);
}
