// Original file: src/generated/proto/nebius/vpc/v1/subnet.proto

import type { SubnetPool as _nebius_vpc_v1_SubnetPool, SubnetPool__Output as _nebius_vpc_v1_SubnetPool__Output } from '../../../nebius/vpc/v1/SubnetPool.js';

export interface IPv4PrivateSubnetPools {
  'pools'?: (_nebius_vpc_v1_SubnetPool)[];
  'useNetworkPools'?: (boolean);
}

export interface IPv4PrivateSubnetPools__Output {
  'pools': (_nebius_vpc_v1_SubnetPool__Output)[];
  'useNetworkPools': (boolean);
}
