import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import Pg from 'pg';
import { z } from 'zod';
import { openStorage, type Db, type Storage, type StorageTarget } from '../src/db/open.js';
import { instanceEvents, instances, schema } from '../src/db/schema.js';
import {
  EVENTS_CHANNEL,
  EVENTS_LOCK,
  EventBell,
  writeEventBatch,
  type NewEvent,
} from '../src/instances/events.js';
import { stampOf } from '../src/instances/known-rows.js';
import type { InstanceRow } from '../src/instances/observe.js';
import { InstanceRows, type RowChange } from '../src/instances/rows.js';
import { UserStore } from '../src/users/users.js';
import { instanceRowValues } from './helpers/instance-rows.js';
import { ENGINES, freshTarget, stopClusterAfterAll } from './helpers/storage.js';

/**
 * Instance row and event writes: a batch writes each row only if nobody wrote it since it was
 * read, whatever columns each row's patch sets, and stores every column type as given; a
 * transaction's events, however many instances they belong to, come back in the order written
 * with ascending ids, wake listeners once per commit, and leave no trace (neither rows nor a
 * notification) when the transaction rolls back.
 */

stopClusterAfterAll();

/** A payload only the test sends: when it arrives, every earlier commit's notification has. */
const SENTINEL = 'event-writes-test-sentinel';

/** Counts the event notifications (empty payload) a database delivers. */
interface Listener {
  /** Event notifications delivered so far, once every earlier commit's have arrived. */
  settled(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * On PostgreSQL, a LISTEN on its own connection (as `EventBell.listen` does); the sentinel,
 * notified after the transactions under test, marks when their notifications are all in.
 * On PGlite the notification arrives before the commit's promise resolves.
 */
async function listenTo(storage: Storage, target: StorageTarget): Promise<Listener> {
  let events = 0;
  if (target.kind === 'pglite') {
    assert.ok(storage.listenInProcess, 'PGlite storage listens in process');
    const stop = await storage.listenInProcess(EVENTS_CHANNEL, () => {
      events += 1;
    });
    return { settled: () => Promise.resolve(events), stop };
  }
  const client = new Pg.Client({ connectionString: target.url });
  let sentinels = 0;
  client.on('notification', (n) => {
    if (n.payload === SENTINEL) sentinels += 1;
    else events += 1;
  });
  await client.connect();
  await client.query(`LISTEN ${EVENTS_CHANNEL}`);
  return {
    async settled() {
      const wanted = sentinels + 1;
      await client.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, SENTINEL]);
      for (let waited = 0; sentinels < wanted; waited += 20) {
        assert.ok(waited < 30_000, 'the sentinel notification to arrive');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return events;
    },
    stop: () => client.end(),
  };
}

/** A drizzle handle on `url` that counts the statements it sends that match `pattern`. */
function countingDb(
  url: string,
  pattern: RegExp,
): { db: Db; count: () => number; end(): Promise<void> } {
  const pool = new Pg.Pool({ connectionString: url, max: 2 });
  let matched = 0;
  const db = drizzle({
    client: pool,
    schema,
    logger: {
      logQuery(query) {
        if (pattern.test(query)) matched += 1;
      },
    },
  });
  return { db, count: () => matched, end: () => pool.end() };
}

for (const engine of ENGINES) {
  describe(`event writes on ${engine}`, () => {
    let target: StorageTarget;
    let storage: Storage;
    let userId: string;
    let listener: Listener;

    before(async () => {
      target = await freshTarget(engine);
      storage = await openStorage(target);
      userId = (await new UserStore(storage.db).add(`events-${engine}`, 'member')).id;
      listener = await listenTo(storage, target);
    });
    after(async () => {
      await listener.stop();
      await storage.close();
    });

    async function someRows(n: number): Promise<InstanceRow[]> {
      return storage.db
        .insert(instances)
        .values(Array.from({ length: n }, () => instanceRowValues(userId)))
        .returning();
    }

    function eventsOf(label: string, n: number): NewEvent[] {
      return Array.from({ length: n }, (_, k) => ({
        kind: 'state' as const,
        message: `${label} #${String(k)}`,
        data: { k },
      }));
    }

    async function storedEvents(ids: readonly string[]) {
      return storage.db
        .select()
        .from(instanceEvents)
        .where(inArray(instanceEvents.instanceId, [...ids]))
        .orderBy(asc(instanceEvents.id));
    }

    it('writes each row of a batch only if unchanged since read, whatever columns its patch sets', async () => {
      const [fresh, stale, other, third] = await someRows(4);
      assert.ok(fresh && stale && other && third);
      // Another writer moves `stale` on after it was read.
      await storage.db
        .update(instances)
        .set({ statusMessage: 'moved on', updatedAt: new Date(stale.updatedAt.getTime() + 1) })
        .where(eq(instances.id, stale.id));
      const at = new Date('2026-12-01T10:00:00.123Z');
      const now = new Date('2026-12-01T10:00:05.456Z');
      const changes: RowChange[] = [
        {
          row: fresh,
          set: {
            state: 'running',
            publicIp: '192.0.2.10',
            sshPort: 2222,
            tags: { team: 'ml', 'cloudplane-ref': fresh.refId },
            actionRequestedAt: at,
            price: '2.5',
            updatedAt: at,
          },
          events: [],
        },
        { row: stale, set: { state: 'running' }, events: [] },
        {
          row: other,
          set: { state: 'stopped', statusMessage: null, lastError: 'it "broke"' },
          events: [],
        },
        {
          row: third,
          set: { sshKeyIds: ['k1', 'k2'], requirement: null, gpuMemoryGiB: 80 },
          events: [],
        },
      ];

      const written = await new InstanceRows(storage.db, new EventBell()).writeAll(changes, now);

      assert.deepEqual([...written.keys()].sort(), [fresh.id, other.id, third.id].sort());
      // Each comes as its new version holds it, stamp and all, as a later read of it sees it.
      const { rows: stamps } = z
        .object({ rows: z.array(z.object({ id: z.string(), stamp: z.string() })) })
        .parse(
          await storage.db.execute(
            sql`SELECT id, ${stampOf(sql`${instances}`)}::text AS stamp FROM ${instances}
                WHERE id IN (${fresh.id}, ${other.id}, ${third.id})`,
          ),
        );
      assert.deepEqual(
        new Map(stamps.map((r) => [r.id, r.stamp])),
        new Map([...written].map(([id, version]) => [id, version.stamp])),
        'stamps as stored',
      );
      assert.equal(written.get(fresh.id)?.state, 'running', 'and the columns as written');
      assert.deepEqual(written.get(fresh.id)?.updatedAt, now);
      const stored = new Map(
        (
          await storage.db
            .select()
            .from(instances)
            .where(inArray(instances.id, [fresh.id, stale.id, other.id, third.id]))
        ).map((row) => [row.id, row]),
      );
      const expectRow = (id: string, fields: Partial<InstanceRow>) => {
        const row = stored.get(id);
        assert.ok(row);
        assert.deepEqual(
          Object.fromEntries(Object.keys(fields).map((k) => [k, row[k as keyof InstanceRow]])),
          fields,
        );
      };
      expectRow(fresh.id, {
        state: 'running',
        publicIp: '192.0.2.10',
        sshPort: 2222,
        tags: { team: 'ml', 'cloudplane-ref': fresh.refId },
        actionRequestedAt: at,
        price: '2.500000',
        updatedAt: now,
      });
      expectRow(stale.id, { state: 'pending', statusMessage: 'moved on' });
      expectRow(other.id, {
        state: 'stopped',
        statusMessage: null,
        lastError: 'it "broke"',
        updatedAt: now,
      });
      expectRow(third.id, {
        sshKeyIds: ['k1', 'k2'],
        requirement: null,
        gpuMemoryGiB: 80,
        state: 'pending',
        updatedAt: now,
      });
    });

    it("writes a batch's events in order, ids ascending per instance, with one notification", async () => {
      const rows = await someRows(4);
      const perRow = [3, 0, 1, 4];
      const changes: RowChange[] = rows.map((row, i) => ({
        row,
        set: { state: 'running' },
        events: eventsOf(row.id, perRow[i] ?? 0),
      }));
      const before = await listener.settled();

      const written = await new InstanceRows(storage.db, new EventBell()).writeAll(changes);

      assert.deepEqual([...written.keys()].sort(), rows.map((r) => r.id).sort());
      const stored = await storedEvents(rows.map((r) => r.id));
      const expected = changes.flatMap((c) =>
        c.events.map((e) => ({ instanceId: c.row.id, message: e.message })),
      );
      assert.deepEqual(
        stored.map((e) => ({ instanceId: e.instanceId, message: e.message })),
        expected,
      );
      for (const row of rows) {
        const ids = stored.filter((e) => e.instanceId === row.id).map((e) => e.id);
        assert.deepEqual(
          ids,
          [...ids].sort((a, b) => a - b),
          `ids of ${row.id} ascend`,
        );
      }
      assert.ok(stored.every((e) => e.userId === userId && e.kind === 'state'));
      assert.equal((await listener.settled()) - before, 1, 'one notification for the commit');
    });

    it("gives each transaction its own notification, its ids after the earlier one's", async () => {
      const [first, second] = await someRows(2);
      assert.ok(first && second);
      const before = await listener.settled();

      for (const row of [first, second]) {
        await storage.db.transaction((tx) =>
          writeEventBatch(tx, [{ instance: row, events: eventsOf(row.id, 2) }], new Date()),
        );
      }

      const stored = await storedEvents([first.id, second.id]);
      assert.deepEqual(
        stored.map((e) => e.instanceId),
        [first.id, first.id, second.id, second.id],
      );
      assert.equal((await listener.settled()) - before, 2);
    });

    it('writes nothing and notifies nobody when the transaction rolls back', async () => {
      const rows = await someRows(2);
      const before = await listener.settled();

      await assert.rejects(
        storage.db.transaction(async (tx) => {
          await tx.update(instances).set({ state: 'running' }).where(eq(instances.userId, userId));
          await writeEventBatch(
            tx,
            rows.map((row) => ({ instance: row, events: eventsOf(row.id, 2) })),
            new Date(),
          );
          throw new Error('rolled back on purpose');
        }),
        /rolled back on purpose/,
      );

      assert.deepEqual(await storedEvents(rows.map((r) => r.id)), []);
      assert.equal((await listener.settled()) - before, 0);
    });

    it('writes no events and notifies nobody for a batch without events', async () => {
      const rows = await someRows(2);
      const before = await listener.settled();

      const written = await new InstanceRows(storage.db, new EventBell()).writeAll(
        rows.map((row) => ({ row, set: { state: 'running' }, events: [] })),
      );

      assert.equal(written.size, 2);
      assert.deepEqual(await storedEvents(rows.map((r) => r.id)), []);
      assert.equal((await listener.settled()) - before, 0);
    });

    if (engine === 'postgres') {
      it('updates the rows of a batch that set the same columns in one statement', async () => {
        const rows = await someRows(50);
        assert.equal(target.kind, 'postgres');
        const counting = countingDb(target.url, /^update "instances"/i);
        let written: ReadonlyMap<string, unknown>;
        try {
          written = await new InstanceRows(counting.db, new EventBell()).writeAll(
            rows.map((row, i) => ({
              row,
              set: { state: 'running', publicIp: `192.0.2.${String(i)}` },
              events: [],
            })),
          );
        } finally {
          await counting.end();
        }
        assert.equal(written.size, 50);
        assert.equal(counting.count(), 1);
      });

      it('takes the event lock before it draws an id, and waits for its holder to commit', async () => {
        const [row] = await someRows(1);
        assert.ok(row);
        assert.equal(target.kind, 'postgres');
        // Another transaction holds the event lock, as a writer that has not committed does.
        const holder = new Pg.Client({ connectionString: target.url });
        await holder.connect();
        // Read on the holder's connection: a sequence's value is outside any transaction.
        const lastId = async () =>
          (
            await holder.query<{ v: string }>(
              'SELECT last_value::text AS v FROM instance_events_id_seq',
            )
          ).rows[0]?.v;
        try {
          await holder.query('BEGIN');
          await holder.query('SELECT pg_advisory_xact_lock($1)', [EVENTS_LOCK]);
          const before = await lastId();
          const writing = storage.db.transaction((tx) =>
            writeEventBatch(tx, [{ instance: row, events: eventsOf(row.id, 2) }], new Date()),
          );
          const deadline = Date.now() + 10_000;
          for (;;) {
            const waiting = await holder.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
            );
            if (waiting.rows[0]?.n === 1) break;
            assert.ok(Date.now() < deadline, 'the writer never waited for the event lock');
            await new Promise((r) => setTimeout(r, 20));
          }
          assert.equal(await lastId(), before, 'no id drawn while the lock is held elsewhere');
          await holder.query('COMMIT');
          await writing;
        } finally {
          await holder.end();
        }
        assert.equal((await storedEvents([row.id])).length, 2);
      });

      it('takes the event lock once per transaction, not once per instance', async () => {
        const rows = await someRows(5);
        assert.equal(target.kind, 'postgres');
        const counting = countingDb(target.url, /pg_advisory_xact_lock/);
        try {
          await new InstanceRows(counting.db, new EventBell()).writeAll(
            rows.map((row) => ({ row, set: { state: 'running' }, events: eventsOf(row.id, 2) })),
          );
        } finally {
          await counting.end();
        }
        assert.equal(counting.count(), 1);
        assert.equal((await storedEvents(rows.map((r) => r.id))).length, 10);
      });
    }
  });
}
