// Original file: src/generated/proto/nebius/vpc/v1/subnet.proto

import type { SubnetAssociatedRouteTable as _nebius_vpc_v1_SubnetAssociatedRouteTable, SubnetAssociatedRouteTable__Output as _nebius_vpc_v1_SubnetAssociatedRouteTable__Output } from '../../../nebius/vpc/v1/SubnetAssociatedRouteTable.js';
import type { SubnetStatusPool as _nebius_vpc_v1_SubnetStatusPool, SubnetStatusPool__Output as _nebius_vpc_v1_SubnetStatusPool__Output } from '../../../nebius/vpc/v1/SubnetStatusPool.js';

// Original file: src/generated/proto/nebius/vpc/v1/subnet.proto

export const _nebius_vpc_v1_SubnetStatus_State = {
  STATE_UNSPECIFIED: 'STATE_UNSPECIFIED',
  CREATING: 'CREATING',
  READY: 'READY',
  DELETING: 'DELETING',
} as const;

export type _nebius_vpc_v1_SubnetStatus_State =
  | 'STATE_UNSPECIFIED'
  | 0
  | 'CREATING'
  | 1
  | 'READY'
  | 2
  | 'DELETING'
  | 3

export type _nebius_vpc_v1_SubnetStatus_State__Output = typeof _nebius_vpc_v1_SubnetStatus_State[keyof typeof _nebius_vpc_v1_SubnetStatus_State]

export interface SubnetStatus {
  'state'?: (_nebius_vpc_v1_SubnetStatus_State);
  'ipv4PrivateCidrs'?: (string)[];
  'ipv4PublicCidrs'?: (string)[];
  'routeTable'?: (_nebius_vpc_v1_SubnetAssociatedRouteTable | null);
  'ipv4PrivatePools'?: (_nebius_vpc_v1_SubnetStatusPool)[];
  'ipv4PublicPools'?: (_nebius_vpc_v1_SubnetStatusPool)[];
}

export interface SubnetStatus__Output {
  'state': (_nebius_vpc_v1_SubnetStatus_State__Output);
  'ipv4PrivateCidrs': (string)[];
  'ipv4PublicCidrs': (string)[];
  'routeTable': (_nebius_vpc_v1_SubnetAssociatedRouteTable__Output | null);
  'ipv4PrivatePools': (_nebius_vpc_v1_SubnetStatusPool__Output)[];
  'ipv4PublicPools': (_nebius_vpc_v1_SubnetStatusPool__Output)[];
}
