// Original file: src/generated/proto/nebius/annotations.proto

import type { NIDFieldSettings as _nebius_NIDFieldSettings, NIDFieldSettings__Output as _nebius_NIDFieldSettings__Output } from '../nebius/NIDFieldSettings.js';

export interface SubfieldSettings {
  'fieldPath'?: (string);
  'nid'?: (_nebius_NIDFieldSettings | null);
  'isRequired'?: (boolean);
  '_isRequired'?: "isRequired";
}

export interface SubfieldSettings__Output {
  'fieldPath': (string);
  'nid': (_nebius_NIDFieldSettings__Output | null);
  'isRequired'?: (boolean);
  '_isRequired'?: "isRequired";
}
