// Original file: src/generated/proto/nebius/vpc/v1/pool.proto

import type { ResourceMetadata as _nebius_common_v1_ResourceMetadata, ResourceMetadata__Output as _nebius_common_v1_ResourceMetadata__Output } from '../../../nebius/common/v1/ResourceMetadata.js';
import type { PoolSpec as _nebius_vpc_v1_PoolSpec, PoolSpec__Output as _nebius_vpc_v1_PoolSpec__Output } from '../../../nebius/vpc/v1/PoolSpec.js';
import type { PoolStatus as _nebius_vpc_v1_PoolStatus, PoolStatus__Output as _nebius_vpc_v1_PoolStatus__Output } from '../../../nebius/vpc/v1/PoolStatus.js';

export interface Pool {
  'metadata'?: (_nebius_common_v1_ResourceMetadata | null);
  'spec'?: (_nebius_vpc_v1_PoolSpec | null);
  'status'?: (_nebius_vpc_v1_PoolStatus | null);
}

export interface Pool__Output {
  'metadata': (_nebius_common_v1_ResourceMetadata__Output | null);
  'spec': (_nebius_vpc_v1_PoolSpec__Output | null);
  'status': (_nebius_vpc_v1_PoolStatus__Output | null);
}
