// Original file: null

import type { FeatureSet as _google_protobuf_FeatureSet, FeatureSet__Output as _google_protobuf_FeatureSet__Output } from '../../google/protobuf/FeatureSet.js';
import type { UninterpretedOption as _google_protobuf_UninterpretedOption, UninterpretedOption__Output as _google_protobuf_UninterpretedOption__Output } from '../../google/protobuf/UninterpretedOption.js';
import type { DeprecationDetails as _nebius_DeprecationDetails, DeprecationDetails__Output as _nebius_DeprecationDetails__Output } from '../../nebius/DeprecationDetails.js';
import type { ServicePySDKSettings as _nebius_ServicePySDKSettings, ServicePySDKSettings__Output as _nebius_ServicePySDKSettings__Output } from '../../nebius/ServicePySDKSettings.js';

export interface ServiceOptions {
  'deprecated'?: (boolean);
  'features'?: (_google_protobuf_FeatureSet | null);
  'uninterpretedOption'?: (_google_protobuf_UninterpretedOption)[];
  '.nebius.apiServiceName'?: (string);
  '.nebius.serviceDeprecationDetails'?: (_nebius_DeprecationDetails | null);
  '.nebius.servicePySdk'?: (_nebius_ServicePySDKSettings | null);
}

export interface ServiceOptions__Output {
  'deprecated': (boolean);
  'features': (_google_protobuf_FeatureSet__Output | null);
  'uninterpretedOption': (_google_protobuf_UninterpretedOption__Output)[];
  '.nebius.apiServiceName': (string);
  '.nebius.serviceDeprecationDetails': (_nebius_DeprecationDetails__Output | null);
  '.nebius.servicePySdk': (_nebius_ServicePySDKSettings__Output | null);
}
