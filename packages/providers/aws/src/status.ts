import { defineStatusMap, type LifecycleState } from '@cloudplane/sdk';

/** EC2's `InstanceStateName` enum, copied from the service model (a test keeps the two equal). */
export const EC2_INSTANCE_STATES = [
  'pending',
  'running',
  'shutting-down',
  'terminated',
  'stopping',
  'stopped',
] as const;
export type Ec2InstanceState = (typeof EC2_INSTANCE_STATES)[number];

export const EC2_STATUS_TABLE = {
  pending: 'pending',
  running: 'running',
  'shutting-down': 'terminating',
  terminated: 'terminated',
  stopping: 'stopping',
  stopped: 'stopped',
} as const satisfies Record<Ec2InstanceState, LifecycleState>;

/** An unknown state counts as pending: not usable yet, and not final, so nothing is torn down. */
export const statusMap = defineStatusMap<Ec2InstanceState>(EC2_STATUS_TABLE, {
  fallback: 'pending',
  provider: 'aws',
});
