// Original file: src/generated/proto/nebius/vpc/v1/pool.proto

import type { IpVersion as _nebius_vpc_v1_IpVersion, IpVersion__Output as _nebius_vpc_v1_IpVersion__Output } from '../../../nebius/vpc/v1/IpVersion.js';
import type { PoolCidr as _nebius_vpc_v1_PoolCidr, PoolCidr__Output as _nebius_vpc_v1_PoolCidr__Output } from '../../../nebius/vpc/v1/PoolCidr.js';
import type { IpVisibility as _nebius_vpc_v1_IpVisibility, IpVisibility__Output as _nebius_vpc_v1_IpVisibility__Output } from '../../../nebius/vpc/v1/IpVisibility.js';

export interface PoolSpec {
  'sourcePoolId'?: (string);
  'version'?: (_nebius_vpc_v1_IpVersion);
  'cidrs'?: (_nebius_vpc_v1_PoolCidr)[];
  'visibility'?: (_nebius_vpc_v1_IpVisibility);
}

export interface PoolSpec__Output {
  'sourcePoolId': (string);
  'version': (_nebius_vpc_v1_IpVersion__Output);
  'cidrs': (_nebius_vpc_v1_PoolCidr__Output)[];
  'visibility': (_nebius_vpc_v1_IpVisibility__Output);
}
