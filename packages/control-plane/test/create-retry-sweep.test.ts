import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { instanceEvents, instances } from '../src/db/schema.js';
import { ActionRunner } from '../src/instances/actions.js';
import { EventBell } from '../src/instances/events.js';
import { QUEUES } from '../src/instances/jobs.js';
import { InstanceRows } from '../src/instances/rows.js';
import { makeLogger } from '../src/logger.js';
import {
  addKey,
  admin,
  anOffer,
  cloudInstances,
  json,
  launch,
  waitForState,
  type Caller,
} from './helpers/instances.js';
import { until } from './helpers/until.js';
import { startPlane, type Plane } from './helpers/plane.js';
import { ENGINES, freshTarget, stopClusterAfterAll } from './helpers/storage.js';

/**
 * A create job that waits out a retry's backoff is work in hand: the sweep, which queues again
 * the work of lost jobs, must not send a second job for the row meanwhile. pg-boss keeps a
 * second job off a key only while the first has not started, so without that rule every sweep
 * during a provider's outage started another job, each looking the launch up again at once.
 */

const Counted = z.object({ rows: z.array(z.object({ jobs: z.coerce.number() })) });
const JobIds = z.object({ rows: z.array(z.object({ id: z.string(), state: z.string() })) });
const UNFINISHED = new Set(['created', 'retry', 'active']);

stopClusterAfterAll();

for (const engine of ENGINES) {
  describe(`the sweep and a create waiting out its retries on ${engine}`, () => {
    let plane: Plane;
    let root: Caller;

    before(async () => {
      plane = await startPlane(await freshTarget(engine), undefined, {
        devcloud: { timings: { bootStepMs: 50, terminateMs: 50 } },
        credential: { timeoutMs: 1_000 },
        sweepIntervalMs: 200,
      });
      root = admin(plane);
    });
    after(async () => {
      await plane.close();
    });

    /** The row's create jobs that wait to run, wait to retry, or run. */
    const unfinishedJobs = async (instanceId: string) => {
      const [row] = Counted.parse(
        await plane.plane.storage.db.execute(
          sql`SELECT count(*) AS jobs FROM pgboss.job WHERE name = ${QUEUES.create}
              AND singleton_key = ${instanceId} AND state IN ('created', 'retry', 'active')`,
        ),
      ).rows;
      return row?.jobs ?? 0;
    };

    it('keeps one create job for a launch whose look-up fails, through a terminate that waits', async () => {
      const [offerId, key] = [await anOffer(plane), await addKey(root)];
      // The first attempt's answer is lost, and every list fails: the create job that looks
      // the launch up by refId fails, and waits out its retries (2 s, then 4 s, ...).
      plane.cloud.faults.replace({
        rules: [
          { endpoint: 'createInstance', kind: 'error-after', status: 500, times: 1 },
          { endpoint: 'listInstances', kind: 'error', status: 503 },
        ],
      });
      const made = z
        .object({ id: z.string(), refId: z.string() })
        .parse(
          await json(await launch(root, { offerId, name: 'retrying', sshKeyIds: [key.id] }), 202),
        );
      /** The most create jobs for the row at any moment over `ms`, and whether one was seen. */
      const watch = async (ms: number) => {
        let most = 0;
        let sawOne = false;
        const watchUntil = Date.now() + ms;
        while (Date.now() < watchUntil) {
          const jobs = await unfinishedJobs(made.id);
          most = Math.max(most, jobs);
          sawOne ||= jobs === 1;
          await sleep(100);
        }
        return { most, sawOne };
      };
      const beforeTerminate = await watch(9_000);
      assert.ok(beforeTerminate.sawOne, 'the create job was queued for the lost answer');
      assert.equal(beforeTerminate.most, 1, 'never a second create job beside the one retrying');

      // A terminate now waits for the launch to settle, retrying (1 s, 2 s, ...); each try that
      // waits makes sure a create job exists, but must not add one beside the retrying one.
      await json(await root.call(`/v1/instances/${made.id}/terminate`, { method: 'POST' }), 202);
      const afterTerminate = await watch(7_000);
      assert.equal(afterTerminate.most, 1, 'the waiting terminate added no second create job');

      plane.cloud.faults.replace({});
      await waitForState(plane, root, made.id, 'terminated', 90_000);
      const truth = await cloudInstances(plane, made.refId);
      assert.equal(truth.length, 1, 'one cloud instance for the row, never two');
      assert.equal(truth[0]?.status, 'terminated', 'and it was ended');
    });
    it('never gives a terminate up: its last retry keeps it pending, and it ends once it can', async () => {
      const [offerId, key] = [await anOffer(plane), await addKey(root, 'sticky')];
      const made = z
        .object({ id: z.string() })
        .parse(
          await json(await launch(root, { offerId, name: 'sticky', sshKeyIds: [key.id] }), 202),
        );
      await waitForState(plane, root, made.id, 'running');
      // A refusal, which a stop or start would give up on at once.
      plane.cloud.faults.replace({
        rules: [{ endpoint: 'terminateInstance', kind: 'error', status: 409 }],
      });
      await json(await root.call(`/v1/instances/${made.id}/terminate`, { method: 'POST' }), 202);
      // A retry, then the job's last retry, played here: the provider still refuses.
      const db = plane.plane.storage.db;
      const actions = new ActionRunner({
        rows: new InstanceRows(db, new EventBell()),
        credentials: plane.plane.credentials,
        logger: makeLogger({ level: 'silent' }),
        clientOptions: {},
      });
      await assert.rejects(actions.run(made.id, 'terminate', false), /INVALID_ARGUMENT/);
      await assert.rejects(actions.run(made.id, 'terminate', true), /INVALID_ARGUMENT/);
      const [row] = await db.select().from(instances).where(eq(instances.id, made.id));
      assert.equal(row?.pendingAction, 'terminate', 'the terminate is still pending');
      assert.ok(row.lastError, 'and the failure is shown on the instance');
      // A later chain's last retry failing the same way shows nothing new: no second event.
      await assert.rejects(actions.run(made.id, 'terminate', true), /INVALID_ARGUMENT/);
      const failures = await db
        .select({ id: instanceEvents.id })
        .from(instanceEvents)
        .where(
          and(eq(instanceEvents.instanceId, made.id), eq(instanceEvents.kind, 'action-failed')),
        );
      assert.equal(failures.length, 1, 'one event for the same error, however often it recurs');
      const failing = /cloudplane_terminates_failing\{provider="devcloud"\} (\d+)/;
      const scrape = async () => (await (await plane.call('/metrics')).text()).match(failing);
      assert.equal((await scrape())?.[1], '1', 'an operator sees it in the metrics');

      // The plane's own job chain ends failed, as after its last retry: the sweep starts anew.
      const jobsOf = async (which: 'mine' | 'new') => {
        const { rows } = JobIds.parse(
          await db.execute(
            sql`SELECT id::text AS id, state::text AS state FROM pgboss.job
                WHERE name = ${QUEUES.terminate} AND singleton_key = ${made.id}`,
          ),
        );
        return rows.filter((job) => (which === 'mine') === first.has(job.id));
      };
      const first = new Set<string>();
      for (const job of await jobsOf('new')) first.add(job.id);
      assert.ok(first.size > 0, 'the terminate has its job');
      await until(async () => {
        await db.execute(
          sql`UPDATE pgboss.job SET state = 'failed', completed_on = now()
              WHERE name = ${QUEUES.terminate} AND singleton_key = ${made.id}
                AND state IN ('created', 'retry')`,
        );
        return (await jobsOf('mine')).every((job) => job.state === 'failed');
      }, 'the first job chain ends failed');
      await until(
        async () => (await jobsOf('new')).some((job) => UNFINISHED.has(job.state)),
        'the sweep queues a new terminate job',
      );

      plane.cloud.faults.replace({});
      await waitForState(plane, root, made.id, 'terminated', 90_000);
      assert.equal((await scrape())?.[1], undefined, 'and no longer once it has ended');
    });
  });
}
