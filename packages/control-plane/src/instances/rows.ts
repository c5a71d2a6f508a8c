import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { instances } from '../db/schema.js';
import { ControlPlaneError } from '../errors.js';
import { LaunchAttempts } from './attempts.js';
import { writeEvents, type EventBell, type NewEvent, type Tx } from './events.js';
import type { InstancePatch, InstanceRow, Observation } from './observe.js';

/**
 * Writes to instance rows. Every write that comes from something read earlier (a sync, a job)
 * is guarded by the row's `updated_at`: if anything else wrote the row meanwhile, this write is
 * dropped and the next sync looks again, so a stale view never overwrites a newer one.
 */

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
  async apply(row: InstanceRow, observation: Observation): Promise<boolean> {
    if (Object.keys(observation.set).length === 0 && observation.events.length === 0) return true;
    const now = observation.set.updatedAt ?? new Date();
    return this.write(row, { ...observation.set, updatedAt: now }, observation.events, now);
  }

  /** A guarded write of `set` plus its events; false when the row moved on meanwhile. */
  async write(
    row: InstanceRow,
    set: InstancePatch,
    events: readonly NewEvent[],
    now = new Date(),
  ): Promise<boolean> {
    const written = await this.db.transaction(async (tx) => {
      const updated = await tx
        .update(instances)
        .set({ ...set, updatedAt: now })
        .where(and(eq(instances.id, row.id), eq(instances.updatedAt, row.updatedAt)))
        .returning({ id: instances.id });
      if (updated.length === 0) return false;
      if (set.state === 'running' && row.state !== 'running') {
        await LaunchAttempts.running(tx, row.refId, now);
      }
      await writeEvents(tx, row, events, now);
      return true;
    });
    if (written && events.length > 0) this.bell.ring();
    return written;
  }

  /** Runs `work` on the row locked for update; its events are written in the same transaction. */
  async locked<T>(
    id: string,
    work: (
      row: InstanceRow,
      tx: Tx,
    ) => Promise<{ result: T; set?: InstancePatch; events?: NewEvent[] }>,
  ): Promise<T> {
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
        if (outcome.set.state === 'running' && row.state !== 'running') {
          await LaunchAttempts.running(tx, outcome.set.refId ?? row.refId, now);
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
