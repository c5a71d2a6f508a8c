import type PgBoss from 'pg-boss';

/**
 * Creates a queue, or brings an existing one to `options`: pg-boss's createQueue leaves an
 * existing queue as it was, so a data directory made by an older version would keep its old
 * policy and expiry forever.
 */
export async function ensureQueue(boss: PgBoss, options: PgBoss.Queue): Promise<void> {
  await boss.createQueue(options.name, options);
  await boss.updateQueue(options.name, options);
}

/**
 * The policy of every queue: at most one job queued per key, any number running. Running one
 * at a time per key is the job leases' part (`JobLeases`), which survive a dead node far
 * better than pg-boss's `stately` policy does.
 */
export const QUEUE_POLICY = 'short';
