import { EventEmitter } from 'node:events';
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import Pg from 'pg';
import type { Logger } from '@cloudplane/sdk';
import type { Db, Tx } from '../db/open.js';
import { instanceEvents, type EventKind } from '../db/schema.js';
import { loggableMessage } from '../storage-errors.js';
import { bulkChunks } from '../catalog/bulk.js';

/**
 * Instance events: written in the same transaction as the change they describe, read back by
 * id. Writers take turns on one advisory lock so ids commit in order, and a reader that asks for
 * "after id N" can never pass over an event that commits late (the SSE stream relies on it).
 */

export type EventRow = typeof instanceEvents.$inferSelect;

export interface NewEvent {
  readonly kind: EventKind;
  readonly from?: string | null;
  readonly to?: string | null;
  readonly message: string;
  readonly data?: Record<string, unknown>;
}

/** The advisory lock event writers take in turn, held to commit. */
export const EVENTS_LOCK = 7_262_433;

/** The PostgreSQL channel an event write notifies on commit, for every node's streams. */
export const EVENTS_CHANNEL = 'cloudplane_instance_events';

/**
 * The channel that asks for an instance sync of the credential named in the payload, now: the
 * node that owns the credential's syncs (`InstanceSyncLoop`) hears it through its bell.
 */
export const SYNC_SOON_CHANNEL = 'cloudplane_instance_sync_soon';

/** Asks the owner of a credential's instance syncs, on whichever node, to sync it now. */
export async function announceSyncSoon(db: Db, credentialId: string): Promise<void> {
  await db.execute(sql`SELECT pg_notify(${SYNC_SOON_CHANNEL}, ${credentialId})`);
}

/** One instance's events, as `writeEventBatch` takes them. */
export interface InstanceEvents {
  readonly instance: { readonly id: string; readonly userId: string };
  readonly events: readonly NewEvent[];
}

/** Rows per INSERT: at seven parameters a row, far below PostgreSQL's 65,535. */
const EVENTS_PER_INSERT = 1_000;

/** One instance's events; see `writeEventBatch`. */
export async function writeEvents(
  tx: Tx,
  instance: { id: string; userId: string },
  events: readonly NewEvent[],
  at: Date,
): Promise<void> {
  await writeEventBatch(tx, [{ instance, events }], at);
}

/**
 * Writes the events of several instances, in the order given, and notifies every node on
 * commit. Call it once per transaction, after the transaction's row locks: each call takes the
 * event lock and queues a notification (a second call is correct, only wasted).
 */
export async function writeEventBatch(
  tx: Tx,
  batch: readonly InstanceEvents[],
  at: Date,
): Promise<void> {
  const rows = batch.flatMap(({ instance, events }) => events.map((e) => ({ instance, event: e })));
  for (const chunk of bulkChunks(rows, EVENTS_PER_INSERT)) {
    const values = chunk.map(
      ({ instance, event }, i) =>
        sql`(${sql.raw(String(i))}, ${instance.id}, ${instance.userId}, ${event.kind}, ${event.from ?? null}, ${event.to ?? null}, ${event.message}, ${event.data === undefined ? null : JSON.stringify(event.data)}::jsonb)`,
    );
    // One statement, one round trip: the lock (held to commit) is taken before the first id is
    // drawn, since every inserted row joins its one row; the ids are then drawn in `ord`
    // order, so they ascend as written. The notification goes out on commit, and only then, to
    // every node listening.
    await tx.execute(sql`WITH turn AS MATERIALIZED (
        SELECT pg_advisory_xact_lock(${EVENTS_LOCK}), pg_notify(${EVENTS_CHANNEL}, '')
      )
      INSERT INTO instance_events (instance_id, user_id, kind, from_state, to_state, message, data, at)
      SELECT v.instance_id, v.user_id, v.kind, v.from_state, v.to_state, v.message, v.data, ${at.toISOString()}::timestamptz
      FROM turn CROSS JOIN (VALUES ${sql.join(values, sql`, `)})
        AS v(ord, instance_id, user_id, kind, from_state, to_state, message, data)
      ORDER BY v.ord`);
  }
}

/**
 * Wakes this process's event readers (the SSE streams) when events commit: at once after a
 * local write, and, on PostgreSQL, when any node's write is notified on `EVENTS_CHANNEL`. The
 * streams still poll, slowly, for a notification lost while the listener reconnects.
 *
 * The same connection hears `SYNC_SOON_CHANNEL`, emitted as `sync-soon` with the credential id.
 */
export class EventBell extends EventEmitter {
  constructor() {
    super();
    // Every open `GET /v1/events` stream listens for the ring: any number is expected, so
    // Node's leak warning (past 10 listeners) would only be noise.
    this.setMaxListeners(0);
  }

  ring(): void {
    this.emit('ring');
  }

  /**
   * Listens on `EVENTS_CHANNEL` over its own connection (a pooled one cannot hold a LISTEN),
   * reconnecting after a drop. Returns the function that stops listening.
   */
  async listen(url: string, logger: Logger): Promise<() => Promise<void>> {
    let client: Pg.Client | undefined;
    let closed = false;
    let retry: NodeJS.Timeout | undefined;
    const retryLater = (): void => {
      if (closed || retry) return;
      retry = setTimeout(() => {
        retry = undefined;
        void connectQuietly();
      }, 1_000);
      retry.unref();
    };
    const connect = async (): Promise<void> => {
      const next = new Pg.Client({ connectionString: url });
      next.on('notification', (message) => {
        if (message.channel === SYNC_SOON_CHANNEL) this.emit('sync-soon', message.payload ?? '');
        else this.ring();
      });
      next.on('error', (err) => {
        logger.warn(
          { err: loggableMessage(err) },
          'event listener connection failed; reconnecting',
        );
      });
      next.on('end', () => {
        if (client === next) retryLater();
      });
      client = next;
      await next.connect();
      await next.query(`LISTEN ${EVENTS_CHANNEL}; LISTEN ${SYNC_SOON_CHANNEL}`);
      this.ring(); // events written while no one listened are found by the wake-up read
    };
    const connectQuietly = async (): Promise<void> => {
      try {
        await connect();
      } catch (err) {
        logger.warn({ err: loggableMessage(err) }, 'event listener could not connect; retrying');
        await client?.end().catch(() => undefined);
        retryLater();
      }
    };
    await connect();
    return async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
    };
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
