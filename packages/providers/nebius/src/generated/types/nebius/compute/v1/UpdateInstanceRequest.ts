// Original file: src/generated/proto/nebius/compute/v1/instance_service.proto

import type { ResourceMetadata as _nebius_common_v1_ResourceMetadata, ResourceMetadata__Output as _nebius_common_v1_ResourceMetadata__Output } from '../../../nebius/common/v1/ResourceMetadata.js';
import type { InstanceSpec as _nebius_compute_v1_InstanceSpec, InstanceSpec__Output as _nebius_compute_v1_InstanceSpec__Output } from '../../../nebius/compute/v1/InstanceSpec.js';

export interface UpdateInstanceRequest {
  'metadata'?: (_nebius_common_v1_ResourceMetadata | null);
  'spec'?: (_nebius_compute_v1_InstanceSpec | null);
}

export interface UpdateInstanceRequest__Output {
  'metadata': (_nebius_common_v1_ResourceMetadata__Output | null);
  'spec': (_nebius_compute_v1_InstanceSpec__Output | null);
}
