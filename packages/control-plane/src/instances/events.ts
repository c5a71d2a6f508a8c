import { EventEmitter } from 'node:events';
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { instanceEvents, type EventKind } from '../db/schema.js';

/**
 * Instance events: written in the same transaction as the change they describe, read back by
 * id. Writers take turns on one advisory lock so ids commit in order, and a reader that asks for
 * "after id N" can never pass over an event that commits late (the SSE stream relies on it).
 */

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type EventRow = typeof instanceEvents.$inferSelect;

export interface NewEvent {
  readonly kind: EventKind;
  readonly from?: string | null;
  readonly to?: string | null;
  readonly message: string;
  readonly data?: Record<string, unknown>;
}

const EVENTS_LOCK = 7_262_433;

export async function writeEvents(
  tx: Tx,
  instance: { id: string; userId: string },
  events: readonly NewEvent[],
  at: Date,
): Promise<void> {
  if (events.length === 0) return;
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${EVENTS_LOCK})`);
  await tx.insert(instanceEvents).values(
    events.map((e) => ({
      instanceId: instance.id,
      userId: instance.userId,
      kind: e.kind,
      from: e.from ?? null,
      to: e.to ?? null,
      message: e.message,
      data: e.data ?? null,
      at,
    })),
  );
}

/**
 * Wakes this process's event readers (the SSE streams) after a local write commits, so they
 * need not wait for their next poll; writes on other nodes are found by the poll.
 */
export class EventBell extends EventEmitter {
  ring(): void {
    this.emit('ring');
  }
}

/** Events after `afterId`, oldest first: all of them, or only those of `userId`'s instances. */
export async function eventsAfter(
  db: Db,
  afterId: number,
  options: { userId?: string; instanceId?: string; limit: number },
): Promise<EventRow[]> {
  const conditions = [gt(instanceEvents.id, afterId)];
  if (options.userId !== undefined) conditions.push(eq(instanceEvents.userId, options.userId));
  if (options.instanceId !== undefined) {
    conditions.push(eq(instanceEvents.instanceId, options.instanceId));
  }
  return db
    .select()
    .from(instanceEvents)
    .where(and(...conditions))
    .orderBy(asc(instanceEvents.id))
    .limit(options.limit);
}

/** The newest event id (a new stream starts after it). */
export async function lastEventId(db: Db): Promise<number> {
  const [row] = await db
    .select({ id: instanceEvents.id })
    .from(instanceEvents)
    .orderBy(desc(instanceEvents.id))
    .limit(1);
  return row?.id ?? 0;
}
