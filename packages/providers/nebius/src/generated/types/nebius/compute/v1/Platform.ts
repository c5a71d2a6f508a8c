// Original file: src/generated/proto/nebius/compute/v1/platform.proto

import type { ResourceMetadata as _nebius_common_v1_ResourceMetadata, ResourceMetadata__Output as _nebius_common_v1_ResourceMetadata__Output } from '../../../nebius/common/v1/ResourceMetadata.js';
import type { PlatformSpec as _nebius_compute_v1_PlatformSpec, PlatformSpec__Output as _nebius_compute_v1_PlatformSpec__Output } from '../../../nebius/compute/v1/PlatformSpec.js';
import type { PlatformStatus as _nebius_compute_v1_PlatformStatus, PlatformStatus__Output as _nebius_compute_v1_PlatformStatus__Output } from '../../../nebius/compute/v1/PlatformStatus.js';

export interface Platform {
  'metadata'?: (_nebius_common_v1_ResourceMetadata | null);
  'spec'?: (_nebius_compute_v1_PlatformSpec | null);
  'status'?: (_nebius_compute_v1_PlatformStatus | null);
}

export interface Platform__Output {
  'metadata': (_nebius_common_v1_ResourceMetadata__Output | null);
  'spec': (_nebius_compute_v1_PlatformSpec__Output | null);
  'status': (_nebius_compute_v1_PlatformStatus__Output | null);
}
