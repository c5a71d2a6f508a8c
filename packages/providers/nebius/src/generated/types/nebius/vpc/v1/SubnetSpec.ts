// Original file: src/generated/proto/nebius/vpc/v1/subnet.proto

import type { IPv4PrivateSubnetPools as _nebius_vpc_v1_IPv4PrivateSubnetPools, IPv4PrivateSubnetPools__Output as _nebius_vpc_v1_IPv4PrivateSubnetPools__Output } from '../../../nebius/vpc/v1/IPv4PrivateSubnetPools.js';
import type { IPv4PublicSubnetPools as _nebius_vpc_v1_IPv4PublicSubnetPools, IPv4PublicSubnetPools__Output as _nebius_vpc_v1_IPv4PublicSubnetPools__Output } from '../../../nebius/vpc/v1/IPv4PublicSubnetPools.js';

export interface SubnetSpec {
  'networkId'?: (string);
  'ipv4PrivatePools'?: (_nebius_vpc_v1_IPv4PrivateSubnetPools | null);
  'ipv4PublicPools'?: (_nebius_vpc_v1_IPv4PublicSubnetPools | null);
  'routeTableId'?: (string);
}

export interface SubnetSpec__Output {
  'networkId': (string);
  'ipv4PrivatePools': (_nebius_vpc_v1_IPv4PrivateSubnetPools__Output | null);
  'ipv4PublicPools': (_nebius_vpc_v1_IPv4PublicSubnetPools__Output | null);
  'routeTableId': (string);
}
