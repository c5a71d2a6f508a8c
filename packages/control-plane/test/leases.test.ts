import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../src/db/open.js';
import { BUSY_RECHECK_MS, JobLeases, leaseKey } from '../src/jobs/leases.js';
import { ensureQueue, QUEUE_POLICY } from '../src/jobs/queues.js';
import { ENGINES, stopClusterAfterAll } from './helpers/storage.js';
import { until } from './helpers/until.js';
import { makeWorld, type World } from './helpers/world.js';

/**
 * Job leases: one worker per key across nodes, a dead holder's key free again after its TTL,
 * and a queue whose job a dead node left active still handing out every other job.
 */

stopClusterAfterAll();

const StartsIn = z.object({
  rows: z.array(z.object({ key: z.string(), seconds: z.coerce.number() })),
});

async function withNode<T>(
  world: World,
  body: (node: ReturnType<World['scheduler']>) => Promise<T>,
): Promise<T> {
  const node = world.scheduler();
  await node.boss.start();
  try {
    return await body(node);
  } finally {
    await node.boss.stop({ graceful: false, wait: true });
  }
}

/** A lease row as a node that has since died left it. */
async function deadHolderLease(world: World, key: string, lapsesInMs: number): Promise<void> {
  await world.storage.db.execute(
    sql`INSERT INTO job_leases (key, holder, expires_at)
        VALUES (${key}, 'a-node-that-died', now() + ${lapsesInMs} * interval '1 millisecond')`,
  );
}

for (const engine of ENGINES) {
  describe(`job leases on ${engine}`, () => {
    it("refuses a held key, then takes a dead holder's key once its TTL has passed", async () => {
      const world = await makeWorld(engine);
      try {
        await withNode(world, async ({ leases }) => {
          await deadHolderLease(world, 'k', 1_500);
          let ran = 0;
          const refused = await leases.run('k', 10_000, () => Promise.resolve(++ran));
          assert.ok(!refused.ran, 'the key is held');
          assert.ok(refused.retryAfterMs > 0);
          assert.ok(refused.retryAfterMs <= BUSY_RECHECK_MS);
          assert.equal(ran, 0, 'the work did not run while the key was held');

          await sleep(1_600);
          const taken = await leases.run('k', 10_000, () => Promise.resolve(++ran));
          assert.deepEqual(taken, { ran: true, value: 1 });
          assert.equal((await leases.liveKeys()).has('k'), false, 'released when the work ended');
        });
      } finally {
        await world.close();
      }
    });

    it('keeps the key while its work runs past the TTL, against workers of the same node', async () => {
      const world = await makeWorld(engine);
      try {
        await withNode(world, async ({ leases }) => {
          const long = leases.run('k', 600, () => sleep(1_800).then(() => 'done'));
          await sleep(1_200); // past the first TTL: only renewal keeps it
          const second = await leases.run('k', 600, () => Promise.resolve('twice'));
          assert.equal(second.ran, false, 'a renewed lease is still held');
          assert.deepEqual(await long, { ran: true, value: 'done' });
        });
      } finally {
        await world.close();
      }
    });

    it('tries a failed renewal again soon, so a few failures in a row do not let the lease lapse', async () => {
      const world = await makeWorld(engine);
      try {
        // The database refuses the next three statements of this holder once its work starts:
        // its first renewals. At a third of the TTL apart, the third failure is at the TTL.
        let failures = 0;
        const flaky = new Proxy(world.storage.db, {
          get(target, property, receiver) {
            if (property !== 'execute') return Reflect.get(target, property, receiver) as unknown;
            return (query: Parameters<Db['execute']>[0]) => {
              if (failures > 0) {
                failures--;
                return Promise.reject(new Error('the database is unreachable (test)'));
              }
              return target.execute(query);
            };
          },
        });
        const leases = new JobLeases(flaky, world.logger);
        const other = new JobLeases(world.storage.db, world.logger);
        const ttlMs = 3_000;
        const long = leases.run('k', ttlMs, async () => {
          failures = 3;
          await sleep(4_000);
          return 'done';
        });
        await sleep(3_400); // past the TTL the first renewal would have given
        const second = await other.run('k', ttlMs, () => Promise.resolve('twice'));
        assert.equal(second.ran, false, 'renewed after the failures, so still held');
        assert.deepEqual(await long, { ran: true, value: 'done' });
        assert.ok(
          world.logger.entries.some((e) => /trying again soon/.test(e.msg)),
          'the failures are logged',
        );
      } finally {
        await world.close();
      }
    });

    it('names as dead only active jobs that nobody holds, and hands out jobs behind them', async () => {
      const world = await makeWorld(engine);
      try {
        await withNode(world, async ({ boss, leases }) => {
          const queue = 'lease-test';
          await ensureQueue(boss, { name: queue, policy: QUEUE_POLICY });
          await boss.send(queue, {}, { singletonKey: 'K' });
          await boss.send(queue, {}, { singletonKey: 'L' });
          const started = await boss.fetch(queue, { batchSize: 2, includeMetadata: true });
          assert.equal(started.length, 2);
          const idOf = (key: string) => started.find((j) => j.singletonKey === key)?.id;
          // Both were started a minute ago; L's worker is alive and holds its lease.
          await world.storage.db.execute(
            sql`UPDATE pgboss.job SET started_on = now() - interval '1 minute' WHERE name = ${queue}`,
          );
          await deadHolderLease(world, leaseKey(queue, 'L'), 60_000);
          assert.deepEqual(await leases.deadJobs(queue, 30_000), [{ id: idOf('K'), key: 'K' }]);

          // K's job is still active (its node is dead). Another K and an M are queued: both are
          // handed out, where a `stately` queue refused to start the K and so started nothing.
          await boss.send(queue, {}, { singletonKey: 'K' });
          await boss.send(queue, {}, { singletonKey: 'M' });
          let next: string[] = [];
          await until(async () => {
            const fetched = await boss.fetch(queue, { batchSize: 2, includeMetadata: true });
            next = [...next, ...fetched.map((j) => j.singletonKey ?? '')];
            return next.length === 2;
          }, 'both queued jobs are handed out');
          assert.deepEqual(next.sort(), ['K', 'M']);
        });
      } finally {
        await world.close();
      }
    });

    it('lists the keys of unfinished jobs, and holds a retry to the cap', async () => {
      const world = await makeWorld(engine);
      try {
        await withNode(world, async ({ boss, leases }) => {
          const queue = 'retry-test';
          await ensureQueue(boss, { name: queue, policy: QUEUE_POLICY });
          const send = (key: string, retryDelay: number) =>
            boss.send(queue, {}, { singletonKey: key, retryLimit: 3, retryDelay });
          for (const [key, delay] of [
            ['far', 3_600],
            ['near', 10],
            ['done', 1],
          ] as const) {
            await send(key, delay);
          }
          await until(async () => {
            const [job] = await boss.fetch(queue, { includeMetadata: true });
            if (!job) return false;
            if (job.singletonKey === 'done') await boss.complete(queue, job.id);
            else await boss.fail(queue, job.id);
            return job.singletonKey === 'done';
          }, 'the jobs are fetched one by one, failed or completed');
          await send('waiting', 1);
          assert.deepEqual(
            [...(await leases.unfinishedKeys([queue, 'another-queue']))].sort(),
            ['far', 'near', 'waiting'].map((key) => leaseKey(queue, key)),
            'retries and waiting jobs are unfinished; a completed one is not',
          );

          await leases.capRetryDelays(queue, 60_000);
          const { rows } = StartsIn.parse(
            await world.storage.db.execute(
              sql`SELECT singleton_key AS key, extract(epoch FROM start_after - now()) AS seconds
                  FROM pgboss.job WHERE name = ${queue} AND state = 'retry'`,
            ),
          );
          const startsIn = new Map(rows.map((row) => [row.key, row.seconds]));
          const far = startsIn.get('far') ?? NaN;
          assert.ok(
            far > 25 && far <= 60,
            `the hour-long wait is brought within a minute (${far} s)`,
          );
          const near = startsIn.get('near') ?? NaN;
          assert.ok(near > 0 && near <= 20, `a wait under the cap is left alone (${near} s)`);
        });
      } finally {
        await world.close();
      }
    });
  });
}
