// Original file: src/generated/proto/nebius/vpc/v1/subnet.proto

import type { SubnetCidr as _nebius_vpc_v1_SubnetCidr, SubnetCidr__Output as _nebius_vpc_v1_SubnetCidr__Output } from '../../../nebius/vpc/v1/SubnetCidr.js';

export interface SubnetPool {
  'cidrs'?: (_nebius_vpc_v1_SubnetCidr)[];
}

export interface SubnetPool__Output {
  'cidrs': (_nebius_vpc_v1_SubnetCidr__Output)[];
}
