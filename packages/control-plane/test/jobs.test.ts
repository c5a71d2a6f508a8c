import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { syncHistory } from '../src/catalog/query.js';
import { CATALOG_SYNC_QUEUE } from '../src/jobs/scheduler.js';
import { ENGINES, stopClusterAfterAll } from './helpers/storage.js';
import { until } from './helpers/until.js';
import { makeWorld } from './helpers/world.js';

stopClusterAfterAll();

const Rows = z.object({ rows: z.array(z.object({ state: z.string(), n: z.coerce.number() })) });
const Runs = z.object({
  rows: z.array(z.object({ startedAt: z.coerce.date(), finishedAt: z.coerce.date() })),
});

for (const engine of ENGINES) {
  describe(`catalog sync jobs on ${engine}`, () => {
    it('keeps one queued sync per credential, runs it, and schedules the next', async () => {
      const world = await makeWorld(engine);
      const id = await world.addDevcloud();
      const a = world.scheduler({ failureBackoffMs: 60_000 });
      const b = world.scheduler({ failureBackoffMs: 60_000 });
      try {
        // Two nodes start and both queue the credential's first sync: only one job exists.
        await a.start();
        await b.start();
        await a.schedule(id, 60_000);
        const jobs = async () =>
          Rows.parse(
            await world.storage.db.execute(
              sql`SELECT state, count(*) AS n FROM pgboss.job WHERE name = ${CATALOG_SYNC_QUEUE} AND singleton_key = ${id} GROUP BY state`,
            ),
          ).rows;
        const runs = async () =>
          Runs.parse(
            await world.storage.db.execute(
              sql`SELECT started_at AS "startedAt", finished_at AS "finishedAt" FROM syncs WHERE credential_id = ${id} ORDER BY started_at`,
            ),
          ).rows;
        await until(
          async () =>
            (await runs()).length >= 1 && (await jobs()).some((r) => r.state === 'created'),
          'the first sync runs and the next is queued',
        );
        assert.equal(
          (await jobs()).find((r) => r.state === 'created')?.n,
          1,
          'one next sync is queued, not one per node',
        );
        // The second node's start asked for a sync too: it may run, but never beside another.
        const done = await runs();
        done.slice(1).forEach((run, i) => {
          assert.ok(
            run.startedAt >= (done[i]?.finishedAt ?? run.startedAt),
            `sync ${String(i + 1)} started before sync ${String(i)} finished`,
          );
        });
      } finally {
        await a.stop();
        await b.stop();
        await world.close();
      }
    });
  });
}

for (const engine of ENGINES) {
  describe(`sync now and the sweep on ${engine}`, () => {
    it('moves the queued sync to now, and re-queues a credential whose next sync was lost', async () => {
      const world = await makeWorld(engine);
      const id = await world.addDevcloud();
      const scheduler = world.scheduler({ sweepIntervalMs: 300 });
      const syncCount = async () => (await syncHistory(world.storage.db, id, 100)).length;
      const queued = async () =>
        Rows.parse(
          await world.storage.db.execute(
            sql`SELECT state, count(*) AS n FROM pgboss.job WHERE name = ${CATALOG_SYNC_QUEUE} AND singleton_key = ${id} AND state = 'created' GROUP BY state`,
          ),
        ).rows.length > 0;
      try {
        await scheduler.start();
        await until(async () => (await syncCount()) === 1, 'the first sync');
        await until(queued, 'the next sync is queued (30 s ahead)');
        await scheduler.syncNow(id);
        await until(async () => (await syncCount()) === 2, 'sync now runs without waiting 30 s');

        await until(queued, 'the next sync is queued again');
        await world.storage.db.execute(
          sql`DELETE FROM pgboss.job WHERE name = ${CATALOG_SYNC_QUEUE} AND state = 'created'`,
        );
        await until(queued, 'the sweep queues the lost sync again');
      } finally {
        await scheduler.stop();
        await world.close();
      }
    });
  });
}

describe('catalog sync jobs after a crash (embedded database)', () => {
  it('fails a job left active by a dead process, so the credential syncs again', async () => {
    const world = await makeWorld('pglite');
    const id = await world.addDevcloud();
    const node = () => world.scheduler();
    const crashed = node();
    await crashed.start();
    await crashed.stop();
    // What a kill -9 mid-sync leaves: the credential's job marked active, never finished.
    await world.storage.db.execute(
      sql`UPDATE pgboss.job SET state = 'active', started_on = now() WHERE name = ${CATALOG_SYNC_QUEUE} AND singleton_key = ${id}`,
    );
    await world.storage.db.execute(sql`DELETE FROM syncs`);
    const restarted = node();
    try {
      await restarted.start();
      await until(
        async () => (await world.store.list())[0]?.sync.lastSyncAt != null,
        'the credential syncs after the restart',
      );
      assert.ok(
        world.logger.entries.some((e) => e.msg.includes('left active by a crash')),
        'the recovery is logged',
      );
    } finally {
      await restarted.stop();
      await world.close();
    }
  });
});
