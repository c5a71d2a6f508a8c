// Original file: src/generated/proto/nebius/common/v1/metadata.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';
import type { Long } from '@grpc/proto-loader';

export interface ResourceMetadata {
  'id'?: (string);
  'parentId'?: (string);
  'name'?: (string);
  'resourceVersion'?: (number | string | Long);
  'createdAt'?: (_google_protobuf_Timestamp | null);
  'updatedAt'?: (_google_protobuf_Timestamp | null);
  'labels'?: ({[key: string]: string});
}

export interface ResourceMetadata__Output {
  'id': (string);
  'parentId': (string);
  'name': (string);
  'resourceVersion': (string);
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  'updatedAt': (_google_protobuf_Timestamp__Output | null);
  'labels': ({[key: string]: string});
}
