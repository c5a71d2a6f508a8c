// Original file: src/generated/proto/nebius/vpc/v1/subnet_service.proto

import type { ResourceMetadata as _nebius_common_v1_ResourceMetadata, ResourceMetadata__Output as _nebius_common_v1_ResourceMetadata__Output } from '../../../nebius/common/v1/ResourceMetadata.js';
import type { SubnetSpec as _nebius_vpc_v1_SubnetSpec, SubnetSpec__Output as _nebius_vpc_v1_SubnetSpec__Output } from '../../../nebius/vpc/v1/SubnetSpec.js';

export interface UpdateSubnetRequest {
  'metadata'?: (_nebius_common_v1_ResourceMetadata | null);
  'spec'?: (_nebius_vpc_v1_SubnetSpec | null);
}

export interface UpdateSubnetRequest__Output {
  'metadata': (_nebius_common_v1_ResourceMetadata__Output | null);
  'spec': (_nebius_vpc_v1_SubnetSpec__Output | null);
}
