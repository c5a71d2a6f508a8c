import { and, isNotNull, isNull, ne, or, type SQL } from 'drizzle-orm';
import { instances } from '../db/schema.js';
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

/** `isLiveInstance()` of a row in memory: the two must say the same of every row. */
export function isLiveRow(row: Pick<InstanceRow, 'terminatedAt' | 'cloudId' | 'state'>): boolean {
  return row.terminatedAt === null && (row.cloudId !== null || row.state !== 'failed');
}
