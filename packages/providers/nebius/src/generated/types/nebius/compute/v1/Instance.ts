// Original file: src/generated/proto/nebius/compute/v1/instance.proto

import type { ResourceMetadata as _nebius_common_v1_ResourceMetadata, ResourceMetadata__Output as _nebius_common_v1_ResourceMetadata__Output } from '../../../nebius/common/v1/ResourceMetadata.js';
import type { InstanceSpec as _nebius_compute_v1_InstanceSpec, InstanceSpec__Output as _nebius_compute_v1_InstanceSpec__Output } from '../../../nebius/compute/v1/InstanceSpec.js';
import type { InstanceStatus as _nebius_compute_v1_InstanceStatus, InstanceStatus__Output as _nebius_compute_v1_InstanceStatus__Output } from '../../../nebius/compute/v1/InstanceStatus.js';

export interface Instance {
  'metadata'?: (_nebius_common_v1_ResourceMetadata | null);
  'spec'?: (_nebius_compute_v1_InstanceSpec | null);
  'status'?: (_nebius_compute_v1_InstanceStatus | null);
}

export interface Instance__Output {
  'metadata': (_nebius_common_v1_ResourceMetadata__Output | null);
  'spec': (_nebius_compute_v1_InstanceSpec__Output | null);
  'status': (_nebius_compute_v1_InstanceStatus__Output | null);
}
