// Original file: src/generated/proto/nebius/vpc/v1/subnet_service.proto

import type { Long } from '@grpc/proto-loader';

export interface ListSubnetsByNetworkRequest {
  'networkId'?: (string);
  'pageSize'?: (number | string | Long);
  'pageToken'?: (string);
}

export interface ListSubnetsByNetworkRequest__Output {
  'networkId': (string);
  'pageSize': (string);
  'pageToken': (string);
}
