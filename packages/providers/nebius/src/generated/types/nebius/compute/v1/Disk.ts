// Original file: src/generated/proto/nebius/compute/v1/disk.proto

import type { ResourceMetadata as _nebius_common_v1_ResourceMetadata, ResourceMetadata__Output as _nebius_common_v1_ResourceMetadata__Output } from '../../../nebius/common/v1/ResourceMetadata.js';
import type { DiskSpec as _nebius_compute_v1_DiskSpec, DiskSpec__Output as _nebius_compute_v1_DiskSpec__Output } from '../../../nebius/compute/v1/DiskSpec.js';
import type { DiskStatus as _nebius_compute_v1_DiskStatus, DiskStatus__Output as _nebius_compute_v1_DiskStatus__Output } from '../../../nebius/compute/v1/DiskStatus.js';

export interface Disk {
  'metadata'?: (_nebius_common_v1_ResourceMetadata | null);
  'spec'?: (_nebius_compute_v1_DiskSpec | null);
  'status'?: (_nebius_compute_v1_DiskStatus | null);
}

export interface Disk__Output {
  'metadata': (_nebius_common_v1_ResourceMetadata__Output | null);
  'spec': (_nebius_compute_v1_DiskSpec__Output | null);
  'status': (_nebius_compute_v1_DiskStatus__Output | null);
}
