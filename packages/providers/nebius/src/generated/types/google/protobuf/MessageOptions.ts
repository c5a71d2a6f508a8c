// Original file: null

import type { FeatureSet as _google_protobuf_FeatureSet, FeatureSet__Output as _google_protobuf_FeatureSet__Output } from '../../google/protobuf/FeatureSet.js';
import type { UninterpretedOption as _google_protobuf_UninterpretedOption, UninterpretedOption__Output as _google_protobuf_UninterpretedOption__Output } from '../../google/protobuf/UninterpretedOption.js';
import type { ResourceBehavior as _nebius_ResourceBehavior, ResourceBehavior__Output as _nebius_ResourceBehavior__Output } from '../../nebius/ResourceBehavior.js';
import type { DeprecationDetails as _nebius_DeprecationDetails, DeprecationDetails__Output as _nebius_DeprecationDetails__Output } from '../../nebius/DeprecationDetails.js';
import type { MessagePySDKSettings as _nebius_MessagePySDKSettings, MessagePySDKSettings__Output as _nebius_MessagePySDKSettings__Output } from '../../nebius/MessagePySDKSettings.js';

export interface MessageOptions {
  'messageSetWireFormat'?: (boolean);
  'noStandardDescriptorAccessor'?: (boolean);
  'deprecated'?: (boolean);
  'mapEntry'?: (boolean);
  'deprecatedLegacyJsonFieldConflicts'?: (boolean);
  'features'?: (_google_protobuf_FeatureSet | null);
  'uninterpretedOption'?: (_google_protobuf_UninterpretedOption)[];
  '.nebius.resourceBehavior'?: (_nebius_ResourceBehavior)[];
  '.nebius.messageDeprecationDetails'?: (_nebius_DeprecationDetails | null);
  '.nebius.messagePySdk'?: (_nebius_MessagePySDKSettings | null);
}

export interface MessageOptions__Output {
  'messageSetWireFormat': (boolean);
  'noStandardDescriptorAccessor': (boolean);
  'deprecated': (boolean);
  'mapEntry': (boolean);
  'deprecatedLegacyJsonFieldConflicts': (boolean);
  'features': (_google_protobuf_FeatureSet__Output | null);
  'uninterpretedOption': (_google_protobuf_UninterpretedOption__Output)[];
  '.nebius.resourceBehavior': (_nebius_ResourceBehavior__Output)[];
  '.nebius.messageDeprecationDetails': (_nebius_DeprecationDetails__Output | null);
  '.nebius.messagePySdk': (_nebius_MessagePySDKSettings__Output | null);
}
