import type { Instance, LifecycleState } from '@cloudplane/sdk';
import type { InstanceAction, instances } from '../db/schema.js';
import type { NewEvent } from './events.js';

/**
 * The one reconcile step: what a cloud's view of an instance changes in its row. The syncer, the
 * create job and adoption all call it, so an action's outcome always comes back the same way.
 * Returns only the fields that differ, so an unchanged instance costs no write.
 */

export type InstanceRow = typeof instances.$inferSelect;
export type InstancePatch = Partial<Omit<InstanceRow, 'id' | 'userId' | 'createdAt'>>;

/**
 * The columns a reconcile reads (what `observe` compares, where a lookup goes) and a guarded
 * write needs. The syncer keeps only these per instance, not the launch's request and history.
 */
export type ObservedRow = Pick<
  InstanceRow,
  | 'id'
  | 'refId'
  | 'userId'
  | 'location'
  | 'cloudId'
  | 'state'
  | 'nativeStatus'
  | 'statusMessage'
  | 'publicIp'
  | 'privateIp'
  | 'hostname'
  | 'sshUser'
  | 'sshPort'
  | 'stoppable'
  | 'rebootable'
  | 'launchedAt'
  | 'pendingAction'
  | 'terminatedAt'
  | 'updatedAt'
>;

export interface Observation {
  readonly set: InstancePatch;
  readonly events: NewEvent[];
}

/** The states in which each pending action is done. */
const DONE_WHEN: Readonly<Record<InstanceAction, readonly LifecycleState[]>> = {
  create: ['running', 'stopping', 'stopped', 'suspended', 'terminating', 'terminated'],
  stop: ['stopped', 'terminated'],
  start: ['running', 'terminated'],
  // A reboot's "done" is the provider accepting it (the action job clears it).
  reboot: ['terminated'],
  terminate: ['terminated'],
};

export function observe(row: ObservedRow, seen: Instance, now: Date): Observation {
  const set: InstancePatch = {};
  const events: NewEvent[] = [];
  const state = seen.status.lifecycle;
  if (row.cloudId !== seen.cloudId) set.cloudId = seen.cloudId;
  if (row.state !== state) {
    set.state = state;
    events.push({
      kind: 'state',
      from: row.state,
      to: state,
      message: seen.status.message ?? `${row.state} -> ${state} (${seen.status.native})`,
    });
  }
  if (row.nativeStatus !== seen.status.native) set.nativeStatus = seen.status.native;
  const message = seen.status.message ?? null;
  if (row.statusMessage !== message) set.statusMessage = message;

  const address = {
    publicIp: seen.publicIp,
    privateIp: seen.privateIp,
    hostname: seen.hostname,
    sshUser: seen.sshUser,
    sshPort: seen.sshPort,
  };
  const moved = (Object.keys(address) as (keyof typeof address)[]).filter(
    (key) => row[key] !== address[key],
  );
  if (moved.length > 0) {
    Object.assign(set, address);
    events.push({
      kind: 'address',
      message: `reachable at ${seen.sshUser}@${seen.publicIp ?? seen.hostname ?? seen.privateIp ?? '(no address yet)'}:${String(seen.sshPort)}`,
      data: address,
    });
  }
  if (row.stoppable !== seen.stoppable) set.stoppable = seen.stoppable;
  if (row.rebootable !== seen.rebootable) set.rebootable = seen.rebootable;
  if (row.launchedAt === null) set.launchedAt = new Date(seen.createdAt);

  if (row.pendingAction !== null && DONE_WHEN[row.pendingAction].includes(state)) {
    set.pendingAction = null;
    set.actionRequestedAt = null;
  }
  // A failed instance will not reach what a pending action waits for, except a terminate's
  // end: that one stays pending (a failed machine may still bill) until it is done.
  if (state === 'failed' && row.pendingAction !== null && row.pendingAction !== 'terminate') {
    set.pendingAction = null;
  }
  if (state === 'terminated' && row.terminatedAt === null) set.terminatedAt = now;
  if (Object.keys(set).length > 0) set.updatedAt = now;
  return { set, events };
}

/** The row of an instance the cloud says is gone (INSTANCE_NOT_FOUND after a missing list). */
export function observeGone(row: ObservedRow, now: Date): Observation {
  return {
    set: {
      state: 'terminated',
      terminatedAt: now,
      pendingAction: null,
      actionRequestedAt: null,
      updatedAt: now,
    },
    events: [
      {
        kind: 'terminated',
        from: row.state,
        to: 'terminated',
        message: 'the provider no longer knows this instance',
      },
    ],
  };
}
