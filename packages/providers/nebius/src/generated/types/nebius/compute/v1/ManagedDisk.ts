// Original file: src/generated/proto/nebius/compute/v1/instance.proto

import type { DiskSpec as _nebius_compute_v1_DiskSpec, DiskSpec__Output as _nebius_compute_v1_DiskSpec__Output } from '../../../nebius/compute/v1/DiskSpec.js';

export interface ManagedDisk {
  'name'?: (string);
  'labels'?: ({[key: string]: string});
  'spec'?: (_nebius_compute_v1_DiskSpec | null);
}

export interface ManagedDisk__Output {
  'name': (string);
  'labels': ({[key: string]: string});
  'spec': (_nebius_compute_v1_DiskSpec__Output | null);
}
