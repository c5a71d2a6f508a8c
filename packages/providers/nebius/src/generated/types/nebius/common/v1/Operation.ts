// Original file: src/generated/proto/nebius/common/v1/operation.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';
import type { Any as _google_protobuf_Any, Any__Output as _google_protobuf_Any__Output } from '../../../google/protobuf/Any.js';
import type { Status as _google_rpc_Status, Status__Output as _google_rpc_Status__Output } from '../../../google/rpc/Status.js';
import type { ProgressTracker as _nebius_common_v1_ProgressTracker, ProgressTracker__Output as _nebius_common_v1_ProgressTracker__Output } from '../../../nebius/common/v1/ProgressTracker.js';

export interface _nebius_common_v1_Operation_RequestHeader {
  'values'?: (string)[];
}

export interface _nebius_common_v1_Operation_RequestHeader__Output {
  'values': (string)[];
}

export interface Operation {
  'id'?: (string);
  'description'?: (string);
  'createdAt'?: (_google_protobuf_Timestamp | null);
  'createdBy'?: (string);
  'finishedAt'?: (_google_protobuf_Timestamp | null);
  'request'?: (_google_protobuf_Any | null);
  'resourceId'?: (string);
  'progressData'?: (_google_protobuf_Any | null);
  'status'?: (_google_rpc_Status | null);
  'requestHeaders'?: ({[key: string]: _nebius_common_v1_Operation_RequestHeader});
  'progressTracker'?: (_nebius_common_v1_ProgressTracker | null);
}

export interface Operation__Output {
  'id': (string);
  'description': (string);
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  'createdBy': (string);
  'finishedAt': (_google_protobuf_Timestamp__Output | null);
  'request': (_google_protobuf_Any__Output | null);
  'resourceId': (string);
  'progressData': (_google_protobuf_Any__Output | null);
  'status': (_google_rpc_Status__Output | null);
  'requestHeaders': ({[key: string]: _nebius_common_v1_Operation_RequestHeader__Output});
  'progressTracker': (_nebius_common_v1_ProgressTracker__Output | null);
}
