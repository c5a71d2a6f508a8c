// Original file: src/generated/proto/nebius/compute/v1/platform.proto

import type { PresetResources as _nebius_compute_v1_PresetResources, PresetResources__Output as _nebius_compute_v1_PresetResources__Output } from '../../../nebius/compute/v1/PresetResources.js';

export interface Preset {
  'name'?: (string);
  'resources'?: (_nebius_compute_v1_PresetResources | null);
  'allowGpuClustering'?: (boolean);
}

export interface Preset__Output {
  'name': (string);
  'resources': (_nebius_compute_v1_PresetResources__Output | null);
  'allowGpuClustering': (boolean);
}
