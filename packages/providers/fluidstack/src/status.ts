import { defineStatusMap, type LifecycleState } from '@cloudplane/sdk';

/** The `InstanceState` enum, copied from the spec (a test keeps the two equal). */
export const FLUIDSTACK_STATES = [
  'creating',
  'starting',
  'running',
  'stopping',
  'stopped',
  'deleting',
  'out-of-stock',
  'error',
] as const;
export type FluidstackState = (typeof FLUIDSTACK_STATES)[number];

export const FLUIDSTACK_STATUS_TABLE = {
  creating: 'pending',
  // Booting after a create or a start.
  starting: 'pending',
  running: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  deleting: 'terminating',
  // Fluidstack accepted the launch and then found no machine for it. It will not start by itself;
  // createInstance deletes such an instance and throws INSUFFICIENT_CAPACITY when it sees it.
  'out-of-stock': 'failed',
  error: 'failed',
} as const satisfies Record<FluidstackState, LifecycleState>;

/** Unknown states count as pending: not usable yet, and not final, so nothing is torn down. */
export const statusMap = defineStatusMap<FluidstackState>(FLUIDSTACK_STATUS_TABLE, {
  fallback: 'pending',
  provider: 'fluidstack',
});

/** Why an instance in a failed state failed, in words for the instance's status message. */
export const FAILED_STATE_MESSAGES: Readonly<Partial<Record<FluidstackState, string>>> = {
  'out-of-stock': 'Fluidstack found no capacity for this instance (out-of-stock)',
  error: 'Fluidstack reports the instance in error',
};
