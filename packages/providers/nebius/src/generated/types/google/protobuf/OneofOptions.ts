// Original file: null

import type { FeatureSet as _google_protobuf_FeatureSet, FeatureSet__Output as _google_protobuf_FeatureSet__Output } from '../../google/protobuf/FeatureSet.js';
import type { UninterpretedOption as _google_protobuf_UninterpretedOption, UninterpretedOption__Output as _google_protobuf_UninterpretedOption__Output } from '../../google/protobuf/UninterpretedOption.js';
import type { FieldBehavior as _nebius_FieldBehavior, FieldBehavior__Output as _nebius_FieldBehavior__Output } from '../../nebius/FieldBehavior.js';
import type { OneofPySDKSettings as _nebius_OneofPySDKSettings, OneofPySDKSettings__Output as _nebius_OneofPySDKSettings__Output } from '../../nebius/OneofPySDKSettings.js';

export interface OneofOptions {
  'features'?: (_google_protobuf_FeatureSet | null);
  'uninterpretedOption'?: (_google_protobuf_UninterpretedOption)[];
  '.nebius.oneofBehavior'?: (_nebius_FieldBehavior)[];
  '.nebius.oneofPySdk'?: (_nebius_OneofPySDKSettings | null);
}

export interface OneofOptions__Output {
  'features': (_google_protobuf_FeatureSet__Output | null);
  'uninterpretedOption': (_google_protobuf_UninterpretedOption__Output)[];
  '.nebius.oneofBehavior': (_nebius_FieldBehavior__Output)[];
  '.nebius.oneofPySdk': (_nebius_OneofPySDKSettings__Output | null);
}
