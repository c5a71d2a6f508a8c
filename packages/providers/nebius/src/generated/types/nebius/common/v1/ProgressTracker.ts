// Original file: src/generated/proto/nebius/common/v1/progress_tracker.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp.js';
import type { Long } from '@grpc/proto-loader';

export interface _nebius_common_v1_ProgressTracker_Step {
  'description'?: (string);
  'startedAt'?: (_google_protobuf_Timestamp | null);
  'finishedAt'?: (_google_protobuf_Timestamp | null);
  'workDone'?: (_nebius_common_v1_ProgressTracker_WorkDone | null);
}

export interface _nebius_common_v1_ProgressTracker_Step__Output {
  'description': (string);
  'startedAt': (_google_protobuf_Timestamp__Output | null);
  'finishedAt': (_google_protobuf_Timestamp__Output | null);
  'workDone': (_nebius_common_v1_ProgressTracker_WorkDone__Output | null);
}

export interface _nebius_common_v1_ProgressTracker_WorkDone {
  'totalTickCount'?: (number | string | Long);
  'doneTickCount'?: (number | string | Long);
}

export interface _nebius_common_v1_ProgressTracker_WorkDone__Output {
  'totalTickCount': (string);
  'doneTickCount': (string);
}

export interface ProgressTracker {
  'description'?: (string);
  'startedAt'?: (_google_protobuf_Timestamp | null);
  'estimatedFinishedAt'?: (_google_protobuf_Timestamp | null);
  'finishedAt'?: (_google_protobuf_Timestamp | null);
  'workDone'?: (_nebius_common_v1_ProgressTracker_WorkDone | null);
  'steps'?: (_nebius_common_v1_ProgressTracker_Step)[];
}

export interface ProgressTracker__Output {
  'description': (string);
  'startedAt': (_google_protobuf_Timestamp__Output | null);
  'estimatedFinishedAt': (_google_protobuf_Timestamp__Output | null);
  'finishedAt': (_google_protobuf_Timestamp__Output | null);
  'workDone': (_nebius_common_v1_ProgressTracker_WorkDone__Output | null);
  'steps': (_nebius_common_v1_ProgressTracker_Step__Output)[];
}
