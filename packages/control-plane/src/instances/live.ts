import { and, eq, gt, isNotNull, isNull, ne, or, type SQL } from 'drizzle-orm';
import { instances } from '../db/schema.js';
import { LAUNCH_UNCONFIRMED } from './outcome.js';
import type { InstanceRow } from './observe.js';

/**
 * An instance that may still cost money or change: not terminated, and not a launch that failed
 * before the provider made anything. Users and credentials cannot be removed while they have
 * one, and the syncer looks at these every tick.
 */
export function isLiveInstance(): SQL {
  const live = and(
    isNull(instances.terminatedAt),
    or(isNotNull(instances.cloudId), ne(instances.state, 'failed')),
  );
  if (!live) throw new Error('and() of conditions is never empty');
  return live;
}

/**
 * A failed launch that may yet have made an instance: one given up unconfirmed, or one that
 * failed after an earlier attempt whose answer never came (a provider acting on that attempt
 * late). Only its credential's syncer would find such an instance, by its refId, and end it.
 */
export function mayStillAppear(): SQL {
  const failed = and(
    eq(instances.state, 'failed'),
    isNull(instances.cloudId),
    isNull(instances.terminatedAt),
    or(eq(instances.lastErrorCode, LAUNCH_UNCONFIRMED), gt(instances.createAttempts, 1)),
  );
  if (!failed) throw new Error('and() of conditions is never empty');
  return failed;
}

/** `isLiveInstance()` of a row in memory: the two must say the same of every row. */
export function isLiveRow(row: Pick<InstanceRow, 'terminatedAt' | 'cloudId' | 'state'>): boolean {
  return row.terminatedAt === null && (row.cloudId !== null || row.state !== 'failed');
}
