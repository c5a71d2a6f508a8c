import { defineStatusMap, type LifecycleState } from '@cloudplane/sdk';
import { INSTANCE_STATES } from './proto.js';

/** nebius.compute.v1.InstanceStatus.InstanceState, as the generated types name it. */
export type NebiusInstanceState = keyof typeof INSTANCE_STATES;

/** Every value of the proto's enum (the compiler insists) and what it means in the contract. */
export const NEBIUS_STATUS_TABLE = {
  // Nebius has not said yet (an instance seen between its creation and its first status).
  UNSPECIFIED: 'pending',
  CREATING: 'pending',
  // A spec change is being applied; the machine is not ready for use until it settles.
  UPDATING: 'pending',
  STARTING: 'pending',
  RUNNING: 'running',
  STOPPING: 'stopping',
  STOPPED: 'stopped',
  DELETING: 'terminating',
  // Nebius could not run the instance; it stays until deleted.
  ERROR: 'failed',
} as const satisfies Record<NebiusInstanceState, LifecycleState>;

/** A state the proto did not list counts as pending (not usable, not final) and is logged once. */
export const statusMap = defineStatusMap<NebiusInstanceState>(NEBIUS_STATUS_TABLE, {
  fallback: 'pending',
  provider: 'nebius',
});
