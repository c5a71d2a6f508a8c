// Original file: src/generated/proto/nebius/compute/v1/platform.proto

import type { Preset as _nebius_compute_v1_Preset, Preset__Output as _nebius_compute_v1_Preset__Output } from '../../../nebius/compute/v1/Preset.js';

export interface PlatformSpec {
  'presets'?: (_nebius_compute_v1_Preset)[];
  'gpuCountQuotaType'?: (string);
  'humanReadableName'?: (string);
  'allowPresetChange'?: (boolean);
  'shortHumanReadableName'?: (string);
  'gpuMemoryGibibytes'?: (number);
  'gpuMemoryGigabytes'?: (number);
}

export interface PlatformSpec__Output {
  'presets': (_nebius_compute_v1_Preset__Output)[];
  'gpuCountQuotaType': (string);
  'humanReadableName': (string);
  'allowPresetChange': (boolean);
  'shortHumanReadableName': (string);
  'gpuMemoryGibibytes': (number);
  'gpuMemoryGigabytes': (number);
}
