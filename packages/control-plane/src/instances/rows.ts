import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/open.js';
import { instances } from '../db/schema.js';
import { ControlPlaneError } from '../errors.js';
import { LaunchAttempts } from './attempts.js';
import { writeEventBatch, writeEvents, type EventBell, type NewEvent } from './events.js';
import type { InstancePatch, InstanceRow, ObservedRow, Observation } from './observe.js';
import { bulkChunks } from '../catalog/bulk.js';
import { updateGuarded } from './guarded-update.js';
import type { KeptVersion } from './known-rows.js';

/**
 * Writes to instance rows. Every write that comes from something read earlier (a sync, a job)
 * is guarded by the row's `updated_at`: if anything else wrote the row meanwhile, this write is
 * dropped and the next sync looks again, so a stale view never overwrites a newer one.
 */

/** What work on a locked row decides: its result, and what it writes to the row. */
export interface Locked<T> {
  readonly result: T;
  readonly set?: InstancePatch;
  readonly events?: NewEvent[];
}

/** One row's guarded write: `set` and `events`, if the row is still as `row` was read. */
export interface RowChange {
  readonly row: ObservedRow;
  readonly set: InstancePatch;
  readonly events: readonly NewEvent[];
}

const WRITES_PER_TRANSACTION = 100;

/** The write takes the row's instance to running: its launch attempt records when. */
function firstRunning(row: Pick<InstanceRow, 'state'>, set: InstancePatch): boolean {
  return set.state === 'running' && row.state !== 'running';
}

/**
 * Writes a batch in one transaction: first every guarded update, then the events of the rows
 * written. Events take the event lock, so they come last: every transaction locks its instance
 * rows (and launch attempts) before the event lock, and two of them never wait on each other in
 * opposite order.
 */
async function writeBatch(
  tx: Tx,
  batch: readonly RowChange[],
  now: Date,
): Promise<{ written: RowChange[]; versions: Map<string, KeptVersion> }> {
  const versions = await updateGuarded(tx, batch, now);
  const written = batch.filter((change) => versions.has(change.row.id));
  await LaunchAttempts.running(
    tx,
    written.filter(({ row, set }) => firstRunning(row, set)).map(({ row }) => row.refId),
    now,
  );
  // All rows' events in one go: one event lock and one notification for the transaction.
  await writeEventBatch(
    tx,
    written.map(({ row, events }) => ({ instance: row, events })),
    now,
  );
  return { written, versions };
}

export class InstanceRows {
  constructor(
    private readonly db: Db,
    private readonly bell: EventBell,
  ) {}

  async get(id: string): Promise<InstanceRow | null> {
    const [row] = await this.db.select().from(instances).where(eq(instances.id, id));
    return row ?? null;
  }

  async require(id: string): Promise<InstanceRow> {
    const row = await this.get(id);
    if (!row) throw new ControlPlaneError(404, 'instance/not-found', `no instance with id ${id}`);
    return row;
  }

  /** Applies an observation if the row is unchanged since it was read; true when written. */
  async apply(row: ObservedRow, observation: Observation): Promise<boolean> {
    if (Object.keys(observation.set).length === 0 && observation.events.length === 0) return true;
    // The observation's own time, when it has one, is the write's (every write sets updatedAt).
    return this.write(row, observation.set, observation.events, observation.set.updatedAt);
  }

  /** A guarded write of `set` plus its events; false when the row moved on meanwhile. */
  async write(
    row: ObservedRow,
    set: InstancePatch,
    events: readonly NewEvent[],
    now = new Date(),
  ): Promise<boolean> {
    const written = await this.writeAll([{ row, set, events }], now);
    return written.has(row.id);
  }

  /**
   * Guarded writes of several rows (each as `write` does), in transactions of up to
   * WRITES_PER_TRANSACTION rows: a sync that changes many rows commits a few times, not once per
   * row, and still holds the event lock only briefly. Returns the rows written, each as its new
   * version holds the kept columns (`updateGuarded`), once committed.
   */
  async writeAll(
    changes: readonly RowChange[],
    now = new Date(),
  ): Promise<Map<string, KeptVersion>> {
    const written = new Map<string, KeptVersion>();
    let rang = false;
    for (const batch of bulkChunks(changes, WRITES_PER_TRANSACTION)) {
      const done = await this.db.transaction((tx) => writeBatch(tx, batch, now));
      for (const [id, version] of done.versions) written.set(id, version);
      rang ||= done.written.some((c) => c.events.length > 0);
    }
    if (rang) this.bell.ring();
    return written;
  }

  /**
   * Events about a row that change nothing in it (what the syncer did beside it), written
   * whatever the row's state, with no guard. The row is locked `FOR KEY SHARE` first: the
   * events' foreign key takes that lock anyway, and taking it after the event lock would be the
   * opposite order to every writer that locks the row and then writes events (a deadlock).
   */
  async note(row: Pick<ObservedRow, 'id' | 'userId'>, events: readonly NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.db.transaction(async (tx) => {
      await tx
        .select({ id: instances.id })
        .from(instances)
        .where(eq(instances.id, row.id))
        .for('key share');
      await writeEvents(tx, row, events, new Date());
    });
    this.bell.ring();
  }

  /** Runs `work` on the row locked for update; its events are written in the same transaction. */
  async locked<T>(id: string, work: (row: InstanceRow, tx: Tx) => Promise<Locked<T>>): Promise<T> {
    const { result, rang } = await this.db.transaction(async (tx) => {
      const [row] = await tx.select().from(instances).where(eq(instances.id, id)).for('update');
      if (!row) throw new ControlPlaneError(404, 'instance/not-found', `no instance with id ${id}`);
      const outcome = await work(row, tx);
      const now = new Date();
      if (outcome.set && Object.keys(outcome.set).length > 0) {
        await tx
          .update(instances)
          .set({ ...outcome.set, updatedAt: now })
          .where(eq(instances.id, id));
        if (firstRunning(row, outcome.set)) {
          await LaunchAttempts.running(tx, [outcome.set.refId ?? row.refId], now);
        }
      }
      const events = outcome.events ?? [];
      await writeEvents(tx, row, events, now);
      return { result: outcome.result, rang: events.length > 0 };
    });
    if (rang) this.bell.ring();
    return result;
  }
}
