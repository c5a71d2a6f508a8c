// Original file: null

import type { FeatureSet as _google_protobuf_FeatureSet, FeatureSet__Output as _google_protobuf_FeatureSet__Output } from '../../google/protobuf/FeatureSet.js';
import type { UninterpretedOption as _google_protobuf_UninterpretedOption, UninterpretedOption__Output as _google_protobuf_UninterpretedOption__Output } from '../../google/protobuf/UninterpretedOption.js';
import type { DeprecationDetails as _nebius_DeprecationDetails, DeprecationDetails__Output as _nebius_DeprecationDetails__Output } from '../../nebius/DeprecationDetails.js';
import type { MethodPySDKSettings as _nebius_MethodPySDKSettings, MethodPySDKSettings__Output as _nebius_MethodPySDKSettings__Output } from '../../nebius/MethodPySDKSettings.js';
import type { MethodBehavior as _nebius_MethodBehavior, MethodBehavior__Output as _nebius_MethodBehavior__Output } from '../../nebius/MethodBehavior.js';
import type { SubfieldSettings as _nebius_SubfieldSettings, SubfieldSettings__Output as _nebius_SubfieldSettings__Output } from '../../nebius/SubfieldSettings.js';

// Original file: null

export const _google_protobuf_MethodOptions_IdempotencyLevel = {
  IDEMPOTENCY_UNKNOWN: 'IDEMPOTENCY_UNKNOWN',
  NO_SIDE_EFFECTS: 'NO_SIDE_EFFECTS',
  IDEMPOTENT: 'IDEMPOTENT',
} as const;

export type _google_protobuf_MethodOptions_IdempotencyLevel =
  | 'IDEMPOTENCY_UNKNOWN'
  | 0
  | 'NO_SIDE_EFFECTS'
  | 1
  | 'IDEMPOTENT'
  | 2

export type _google_protobuf_MethodOptions_IdempotencyLevel__Output = typeof _google_protobuf_MethodOptions_IdempotencyLevel[keyof typeof _google_protobuf_MethodOptions_IdempotencyLevel]

export interface MethodOptions {
  'deprecated'?: (boolean);
  'idempotencyLevel'?: (_google_protobuf_MethodOptions_IdempotencyLevel);
  'features'?: (_google_protobuf_FeatureSet | null);
  'uninterpretedOption'?: (_google_protobuf_UninterpretedOption)[];
  '.nebius.methodDeprecationDetails'?: (_nebius_DeprecationDetails | null);
  '.nebius.methodPySdk'?: (_nebius_MethodPySDKSettings | null);
  '.nebius.methodBehavior'?: (_nebius_MethodBehavior)[];
  '.nebius.requestFields'?: (_nebius_SubfieldSettings)[];
}

export interface MethodOptions__Output {
  'deprecated': (boolean);
  'idempotencyLevel': (_google_protobuf_MethodOptions_IdempotencyLevel__Output);
  'features': (_google_protobuf_FeatureSet__Output | null);
  'uninterpretedOption': (_google_protobuf_UninterpretedOption__Output)[];
  '.nebius.methodDeprecationDetails': (_nebius_DeprecationDetails__Output | null);
  '.nebius.methodPySdk': (_nebius_MethodPySDKSettings__Output | null);
  '.nebius.methodBehavior': (_nebius_MethodBehavior__Output)[];
  '.nebius.requestFields': (_nebius_SubfieldSettings__Output)[];
}
