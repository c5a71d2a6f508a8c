// Original file: null

import type { FeatureSet as _google_protobuf_FeatureSet, FeatureSet__Output as _google_protobuf_FeatureSet__Output } from '../../google/protobuf/FeatureSet.js';
import type { _google_protobuf_FieldOptions_FeatureSupport, _google_protobuf_FieldOptions_FeatureSupport__Output } from '../../google/protobuf/FieldOptions.js';
import type { UninterpretedOption as _google_protobuf_UninterpretedOption, UninterpretedOption__Output as _google_protobuf_UninterpretedOption__Output } from '../../google/protobuf/UninterpretedOption.js';
import type { DeprecationDetails as _nebius_DeprecationDetails, DeprecationDetails__Output as _nebius_DeprecationDetails__Output } from '../../nebius/DeprecationDetails.js';
import type { EnumValuePySDKSettings as _nebius_EnumValuePySDKSettings, EnumValuePySDKSettings__Output as _nebius_EnumValuePySDKSettings__Output } from '../../nebius/EnumValuePySDKSettings.js';

export interface EnumValueOptions {
  'deprecated'?: (boolean);
  'features'?: (_google_protobuf_FeatureSet | null);
  'debugRedact'?: (boolean);
  'featureSupport'?: (_google_protobuf_FieldOptions_FeatureSupport | null);
  'uninterpretedOption'?: (_google_protobuf_UninterpretedOption)[];
  '.nebius.enumValueDeprecationDetails'?: (_nebius_DeprecationDetails | null);
  '.nebius.enumValuePySdk'?: (_nebius_EnumValuePySDKSettings | null);
}

export interface EnumValueOptions__Output {
  'deprecated': (boolean);
  'features': (_google_protobuf_FeatureSet__Output | null);
  'debugRedact': (boolean);
  'featureSupport': (_google_protobuf_FieldOptions_FeatureSupport__Output | null);
  'uninterpretedOption': (_google_protobuf_UninterpretedOption__Output)[];
  '.nebius.enumValueDeprecationDetails': (_nebius_DeprecationDetails__Output | null);
  '.nebius.enumValuePySdk': (_nebius_EnumValuePySDKSettings__Output | null);
}
