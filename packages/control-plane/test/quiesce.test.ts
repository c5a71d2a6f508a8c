import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { CATALOG_SYNC_QUEUE } from '../src/jobs/scheduler.js';
import { QUEUES } from '../src/instances/jobs.js';
import { startPlane, type Plane } from './helpers/plane.js';
import { ENGINES, freshTarget, stopClusterAfterAll } from './helpers/storage.js';

/**
 * A node shutting down first stops taking work (InstanceJobs.quiesce, SyncScheduler.quiesce),
 * and only then aborts what runs: a job it fetched after the abort would only fail, spending a
 * retry (a launch's last one fails the launch). A job queued once it has quiesced stays queued
 * for another node, however many polling intervals pass.
 */

stopClusterAfterAll();

const States = z.object({ rows: z.array(z.object({ name: z.string(), state: z.string() })) });
const Now = z.object({ rows: z.array(z.object({ now: z.string() })) });

/** Polling intervals (0.5 s in tests) a quiesced node is given to fetch a job it must not. */
const POLLS_WAITED = 4;

for (const engine of ENGINES) {
  describe(`a node that stops taking work, on ${engine}`, () => {
    let plane: Plane;

    before(async () => {
      plane = await startPlane(await freshTarget(engine));
    });
    after(async () => {
      await plane.close();
    });

    it('leaves jobs queued after it quiesced for another node', async () => {
      const db = plane.plane.storage.db;
      await plane.plane.instanceJobs.quiesce();
      await plane.plane.scheduler.quiesce();
      // A job already running when the node quiesced (the first catalog sync) goes on; none
      // may start after this instant.
      const [mark] = Now.parse(await db.execute(sql`SELECT now()::text AS now`)).rows;
      assert.ok(mark);
      const instanceId = randomUUID();
      await plane.plane.instanceJobs.queueCreate(instanceId);
      await plane.plane.scheduler.syncNow(plane.credentialId);
      await sleep(POLLS_WAITED * 500);
      const { rows } = States.parse(
        await db.execute(sql`
          SELECT name, state FROM pgboss.job
          WHERE name IN (${QUEUES.create}, ${CATALOG_SYNC_QUEUE})
            AND (started_on >= ${mark.now}::timestamptz
                 OR (name = ${QUEUES.create} AND data->>'instanceId' = ${instanceId}))`),
      );
      assert.deepEqual(rows, [{ name: QUEUES.create, state: 'created' }], 'nothing started');
    });
  });
}
