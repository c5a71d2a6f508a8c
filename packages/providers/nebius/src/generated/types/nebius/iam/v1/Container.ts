// Original file: src/generated/proto/nebius/iam/v1/container.proto

import type { ResourceMetadata as _nebius_common_v1_ResourceMetadata, ResourceMetadata__Output as _nebius_common_v1_ResourceMetadata__Output } from '../../../nebius/common/v1/ResourceMetadata.js';
import type { ContainerSpec as _nebius_iam_v1_ContainerSpec, ContainerSpec__Output as _nebius_iam_v1_ContainerSpec__Output } from '../../../nebius/iam/v1/ContainerSpec.js';
import type { ContainerStatus as _nebius_iam_v1_ContainerStatus, ContainerStatus__Output as _nebius_iam_v1_ContainerStatus__Output } from '../../../nebius/iam/v1/ContainerStatus.js';

export interface Container {
  'metadata'?: (_nebius_common_v1_ResourceMetadata | null);
  'spec'?: (_nebius_iam_v1_ContainerSpec | null);
  'status'?: (_nebius_iam_v1_ContainerStatus | null);
}

export interface Container__Output {
  'metadata': (_nebius_common_v1_ResourceMetadata__Output | null);
  'spec': (_nebius_iam_v1_ContainerSpec__Output | null);
  'status': (_nebius_iam_v1_ContainerStatus__Output | null);
}
