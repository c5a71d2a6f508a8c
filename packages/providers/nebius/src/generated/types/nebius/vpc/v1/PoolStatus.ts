// Original file: src/generated/proto/nebius/vpc/v1/pool.proto

import type { PoolAssignment as _nebius_vpc_v1_PoolAssignment, PoolAssignment__Output as _nebius_vpc_v1_PoolAssignment__Output } from '../../../nebius/vpc/v1/PoolAssignment.js';

// Original file: src/generated/proto/nebius/vpc/v1/pool.proto

export const _nebius_vpc_v1_PoolStatus_State = {
  STATE_UNSPECIFIED: 'STATE_UNSPECIFIED',
  CREATING: 'CREATING',
  READY: 'READY',
  DELETING: 'DELETING',
} as const;

export type _nebius_vpc_v1_PoolStatus_State =
  | 'STATE_UNSPECIFIED'
  | 0
  | 'CREATING'
  | 1
  | 'READY'
  | 2
  | 'DELETING'
  | 3

export type _nebius_vpc_v1_PoolStatus_State__Output = typeof _nebius_vpc_v1_PoolStatus_State[keyof typeof _nebius_vpc_v1_PoolStatus_State]

export interface PoolStatus {
  'state'?: (_nebius_vpc_v1_PoolStatus_State);
  'cidrs'?: (string)[];
  'scopeId'?: (string);
  'assignment'?: (_nebius_vpc_v1_PoolAssignment | null);
}

export interface PoolStatus__Output {
  'state': (_nebius_vpc_v1_PoolStatus_State__Output);
  'cidrs': (string)[];
  'scopeId': (string);
  'assignment': (_nebius_vpc_v1_PoolAssignment__Output | null);
}
