// Original file: null

import type { FeatureSet as _google_protobuf_FeatureSet, FeatureSet__Output as _google_protobuf_FeatureSet__Output } from '../../google/protobuf/FeatureSet.js';
import type { UninterpretedOption as _google_protobuf_UninterpretedOption, UninterpretedOption__Output as _google_protobuf_UninterpretedOption__Output } from '../../google/protobuf/UninterpretedOption.js';
import type { EnumPySDKSettings as _nebius_EnumPySDKSettings, EnumPySDKSettings__Output as _nebius_EnumPySDKSettings__Output } from '../../nebius/EnumPySDKSettings.js';
import type { DeprecationDetails as _nebius_DeprecationDetails, DeprecationDetails__Output as _nebius_DeprecationDetails__Output } from '../../nebius/DeprecationDetails.js';

export interface EnumOptions {
  'allowAlias'?: (boolean);
  'deprecated'?: (boolean);
  'deprecatedLegacyJsonFieldConflicts'?: (boolean);
  'features'?: (_google_protobuf_FeatureSet | null);
  'uninterpretedOption'?: (_google_protobuf_UninterpretedOption)[];
  '.nebius.enumPySdk'?: (_nebius_EnumPySDKSettings | null);
  '.nebius.enumDeprecationDetails'?: (_nebius_DeprecationDetails | null);
}

export interface EnumOptions__Output {
  'allowAlias': (boolean);
  'deprecated': (boolean);
  'deprecatedLegacyJsonFieldConflicts': (boolean);
  'features': (_google_protobuf_FeatureSet__Output | null);
  'uninterpretedOption': (_google_protobuf_UninterpretedOption__Output)[];
  '.nebius.enumPySdk': (_nebius_EnumPySDKSettings__Output | null);
  '.nebius.enumDeprecationDetails': (_nebius_DeprecationDetails__Output | null);
}
