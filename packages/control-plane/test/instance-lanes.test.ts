import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { provider as devcloud, type DevcloudCredential } from '@cloudplane/provider-devcloud';
import { defineProvider, type Provider } from '@cloudplane/sdk';
import { EventDto } from '../src/api/instance-dto.js';
import { instances, launchAttempts } from '../src/db/schema.js';
import { providerRegistry } from '../src/providers.js';
import {
  addKey,
  admin,
  anOffer,
  cloudInstances,
  getInstance,
  json,
  launch,
  waitForState,
  LIVE_NATIVE,
} from './helpers/instances.js';
import { FAST_POLL, startPlane, type Plane } from './helpers/plane.js';
import { ENGINES, freshTarget, stopClusterAfterAll } from './helpers/storage.js';

/**
 * The provider's launch rate is kept per credential, and a flood of launches waiting on it
 * never holds up a terminate (terminates have their own lane). A terminate of a launch that
 * never reached the provider ends it without launching.
 */

stopClusterAfterAll();

const slow = defineProvider<DevcloudCredential>({
  ...devcloud,
  pollIntervals: FAST_POLL,
  maxCreatesPerMinute: 2,
});
const Events = z.object({ events: z.array(EventDto) });
const Keys = z.object({ rows: z.array(z.object({ key: z.string() })) });

for (const engine of ENGINES) {
  describe(`launch rate and lanes on ${engine}`, () => {
    let plane: Plane;

    before(async () => {
      plane = await startPlane(await freshTarget(engine), undefined, {
        devcloud: { timings: { bootStepMs: 50, terminateMs: 50 } },
        providers: providerRegistry([slow as Provider]),
      });
    });
    after(async () => {
      await plane.close();
    });

    it('sends at most maxCreatesPerMinute launches, and terminates at once meanwhile', async () => {
      const root = admin(plane);
      const offerId = await anOffer(plane);
      const key = await addKey(root);
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const made = z
          .object({ id: z.string() })
          .parse(
            await json(
              await launch(root, { offerId, name: `flood-${String(i)}`, sshKeyIds: [key.id] }),
              202,
            ),
          );
        ids.push(made.id);
      }
      const sent = async () => {
        let n = 0;
        for (const id of ids) {
          const { events } = Events.parse(
            await json(await root.call(`/v1/instances/${id}/events`), 200),
          );
          if (events.some((e) => e.kind === 'launching')) n++;
        }
        return n;
      };
      await plane.until(async () => (await sent()) === 2, 'two launches sent');
      // Which two went first is the queue's business; find a running one.
      let runningId: string | undefined;
      await plane.until(async () => {
        for (const id of ids) {
          if ((await getInstance(root, id)).state === 'running') runningId = id;
        }
        return runningId !== undefined;
      }, 'a launched instance to run');
      assert.ok(runningId);
      const asked = Date.now();
      await json(await root.call(`/v1/instances/${runningId}/terminate`, { method: 'POST' }), 202);
      await waitForState(plane, root, runningId, 'terminated', 20_000);
      const tookMs = Date.now() - asked;
      assert.ok(tookMs < 20_000, `the terminate waited ${String(tookMs)} ms behind the launches`);
      assert.equal(await sent(), 2, 'the rate limit still holds the other launches back');
      // A launch accepted over the rate took its slot back in the same transaction: no attempt
      // on record, no create lease held, nothing counted as sent.
      const db = plane.plane.storage.db;
      const attempts = await db
        .select({ id: launchAttempts.instanceId })
        .from(launchAttempts)
        .where(inArray(launchAttempts.instanceId, ids));
      assert.equal(attempts.length, 2, 'one attempt on record per launch sent');
      const heldBack = ids.filter((id) => !attempts.some((a) => a.id === id));
      const rows = await db
        .select({ attempts: instances.createAttempts, sentAt: instances.createSentAt })
        .from(instances)
        .where(inArray(instances.id, heldBack));
      assert.deepEqual(
        rows.map((r) => [r.attempts, r.sentAt]),
        heldBack.map(() => [0, null]),
      );
      const leases = Keys.parse(
        await db.execute(sql`SELECT key FROM job_leases WHERE key LIKE 'instance-create:%'`),
      ).rows.filter((r) => heldBack.some((id) => r.key.endsWith(id)));
      assert.deepEqual(leases, [], 'no held-back launch holds a create lease');

      // The held-back launches never reached the provider: terminating them launches nothing.
      const before = (await cloudInstances(plane)).length;
      for (const id of ids)
        await json(await root.call(`/v1/instances/${id}/terminate`, { method: 'POST' }), 202);
      for (const id of ids) await waitForState(plane, root, id, 'terminated', 60_000);
      assert.equal((await cloudInstances(plane)).length, before, 'no launch after its terminate');
      assert.deepEqual(
        (await cloudInstances(plane)).filter((i) => LIVE_NATIVE.has(i.status)),
        [],
      );
    });
  });
}
