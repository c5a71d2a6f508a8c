// Original file: src/generated/proto/nebius/iam/v1/project_service.proto

import type { ResourceMetadata as _nebius_common_v1_ResourceMetadata, ResourceMetadata__Output as _nebius_common_v1_ResourceMetadata__Output } from '../../../nebius/common/v1/ResourceMetadata.js';
import type { ContainerSpec as _nebius_iam_v1_ContainerSpec, ContainerSpec__Output as _nebius_iam_v1_ContainerSpec__Output } from '../../../nebius/iam/v1/ContainerSpec.js';

export interface CreateProjectRequest {
  'metadata'?: (_nebius_common_v1_ResourceMetadata | null);
  'spec'?: (_nebius_iam_v1_ContainerSpec | null);
}

export interface CreateProjectRequest__Output {
  'metadata': (_nebius_common_v1_ResourceMetadata__Output | null);
  'spec': (_nebius_iam_v1_ContainerSpec__Output | null);
}
