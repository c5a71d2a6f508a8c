import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  provider as devcloud,
  REF_ID_TAG,
  type DevcloudCredential,
} from '@cloudplane/provider-devcloud';
import {
  defineProvider,
  generateSshKeyPair,
  type CloudClient,
  type Provider,
} from '@cloudplane/sdk';
import { instances } from '../src/db/schema.js';
import { providerRegistry } from '../src/providers.js';
import {
  addKey,
  addUser,
  admin,
  anOffer,
  cloudInstances,
  directClient,
  getInstance,
  json,
  launch,
  LIVE_NATIVE,
  waitForState,
  type Caller,
} from './helpers/instances.js';
import { FAST_POLL, startPlane, type Plane } from './helpers/plane.js';
import { ENGINES, freshTarget, stopClusterAfterAll } from './helpers/storage.js';

/**
 * The instance syncer against a real devcloud: lists are complete or change nothing, a missing
 * instance is confirmed before it is marked terminated, unchanged instances cost no write, and
 * instances with our correlation data but no row become orphans (docs/instances.md).
 */

/**
 * A terminated instance is forgotten within a few milliseconds, so a sync that asks for it after
 * a terminate behind our back meets INSTANCE_NOT_FOUND, not an in-between state.
 */
const FAST = {
  bootStepMs: 100,
  stopMs: 100,
  startMs: 100,
  rebootMs: 100,
  terminateMs: 1,
  terminatedRetentionMs: 1,
};

stopClusterAfterAll();

/**
 * Set by a test: resolves once the row of `refId` holds `cloudId`. A launch named `twice-*`
 * plays a slow provider: an earlier attempt's instance appears (and is adopted by the syncer)
 * while this attempt runs, and this attempt then answers with a second instance.
 */
let untilRowHolds: ((refId: string, cloudId: string) => Promise<void>) | undefined;

/**
 * devcloud whose list leaves out instances named `hidden-*` (a cloud with a lagging list), and
 * which makes two instances for a launch named `twice-*` (see untilRowHolds).
 */
const lagging = defineProvider<DevcloudCredential>({
  ...devcloud,
  pollIntervals: FAST_POLL,
  makeClient: (context) => {
    const inner = devcloud.makeClient(context);
    const client: CloudClient = Object.create(inner) as CloudClient;
    return Object.assign(client, {
      listInstances: async (args?: Parameters<CloudClient['listInstances']>[0]) =>
        (await inner.listInstances(args)).filter((i) => !i.name.startsWith('hidden-')),
      createInstance: async (attrs: Parameters<CloudClient['createInstance']>[0]) => {
        if (!attrs.name?.startsWith('twice-') || !untilRowHolds) return inner.createInstance(attrs);
        const earlier = await inner.createInstance(attrs);
        await untilRowHolds(attrs.refId, earlier.cloudId);
        return inner.createInstance(attrs);
      },
    });
  },
});

async function xmins(plane: Plane): Promise<string[]> {
  const result = await plane.plane.storage.db.execute(
    sql`SELECT xmin::text AS x FROM instances ORDER BY id`,
  );
  return z
    .object({ rows: z.array(z.object({ x: z.string() })) })
    .parse(result)
    .rows.map((r) => r.x);
}

for (const engine of ENGINES) {
  describe(`instance syncer on ${engine}`, () => {
    let plane: Plane;
    let root: Caller;
    let offerId: string;
    let keyId: string;

    before(async () => {
      plane = await startPlane(await freshTarget(engine), undefined, {
        devcloud: { timings: FAST },
        providers: providerRegistry([lagging as Provider]),
      });
      root = admin(plane);
      offerId = await anOffer(plane);
      keyId = (await addKey(root)).id;
    });
    after(async () => {
      await plane.close();
    });

    async function running(name: string): Promise<{ id: string; cloudId: string }> {
      const made = z
        .object({ id: z.string() })
        .parse(await json(await launch(root, { offerId, name, sshKeyIds: [keyId] }), 202));
      const up = await waitForState(plane, root, made.id, 'running');
      assert.ok(up.cloudId);
      return { id: made.id, cloudId: up.cloudId };
    }

    it('changes nothing when a list fails: 5xx, malformed JSON, a failing page', async () => {
      const one = await running('list-faults');
      for (const faults of [
        { rules: [{ endpoint: 'listInstances' as const, kind: 'error' as const, status: 503 }] },
        { rules: [{ endpoint: 'listInstances' as const, kind: 'malformed' as const }] },
        { failPage: 1 },
      ]) {
        plane.cloud.faults.replace(faults);
        // Terminated behind our back while the list fails: the row must not move yet.
        const result = await plane.plane.instanceSyncer.sync(plane.credentialId);
        assert.equal(result.ok, false, JSON.stringify(faults));
        assert.equal(result.written, 0);
        assert.equal((await getInstance(root, one.id)).state, 'running');
      }
      const credential = z
        .object({ instancesSyncError: z.string().nullable() })
        .parse(await json(await root.call(`/v1/credentials/${plane.credentialId}`), 200));
      assert.match(credential.instancesSyncError ?? '', /page|503|SERVICE_UNAVAILABLE/i);
      await directClient(plane).terminateInstance(one.cloudId);
      const failed = await plane.plane.instanceSyncer.sync(plane.credentialId);
      assert.equal(failed.ok, false);
      assert.equal(
        (await getInstance(root, one.id)).state,
        'running',
        'a failed list never marks terminated',
      );
      plane.cloud.faults.replace({});
      await waitForState(plane, root, one.id, 'terminated');
      const healed = z
        .object({ instancesSyncError: z.string().nullable() })
        .parse(await json(await root.call(`/v1/credentials/${plane.credentialId}`), 200));
      assert.equal(healed.instancesSyncError, null);
    });

    it('confirms an instance missing from the list with getInstance before ending its row', async () => {
      const hidden = await running('hidden-but-alive');
      for (let i = 0; i < 3; i++) await plane.plane.instanceSyncer.sync(plane.credentialId);
      assert.equal(
        (await getInstance(root, hidden.id)).state,
        'running',
        'get found it, so it stays',
      );
      // Now really gone: terminated at the cloud and past its retention, so get says not found.
      await directClient(plane).terminateInstance(hidden.cloudId);
      await plane.until(
        async () => (await cloudInstances(plane)).every((i) => i.id !== hidden.cloudId),
        'the cloud to forget it',
      );
      const ended = await waitForState(plane, root, hidden.id, 'terminated');
      assert.ok(ended.terminatedAt);
      const events = z
        .object({ events: z.array(z.object({ kind: z.string() })) })
        .parse(await json(await root.call(`/v1/instances/${hidden.id}/events`), 200));
      assert.ok(events.events.some((e) => e.kind === 'terminated'));
    });

    it('keeps the row of an instance whose correlation tags were removed at the provider, until it ends', async () => {
      const retagged = await running('retagged');
      // Someone edits the tags away at the provider: lists skip it as foreign, and getting it
      // by id says it exists without our tags, so its row must stay (it still bills).
      Reflect.deleteProperty(plane.cloud.cloud.find(retagged.cloudId).tags, REF_ID_TAG);
      for (let i = 0; i < 3; i++) await plane.plane.instanceSyncer.sync(plane.credentialId);
      const row = await getInstance(root, retagged.id);
      assert.equal(row.state, 'running', 'not ended while it runs');
      assert.equal(row.terminatedAt, null);
      assert.ok(row.lastError, 'the row says why');
      assert.equal(row.lastError.code, 'INSTANCE_NOT_VOUCHED');
      assert.match(row.lastError.message, /not created by cloudplane/);
      const warned = plane.logs.filter(
        (line) => line.includes(retagged.id) && line.includes('could not be confirmed'),
      );
      assert.equal(warned.length, 1, 'warned once, not at every sync');
      // The tags put back: the instance is ours again, and the row says so.
      const tags = plane.cloud.cloud.find(retagged.cloudId).tags;
      const sync = () => plane.plane.instanceSyncer.sync(plane.credentialId);
      tags[REF_ID_TAG] = row.refId;
      await sync();
      assert.equal((await getInstance(root, retagged.id)).lastError, null, 'the reason is cleared');
      // Taken away again after something else cleared the mark (a user's action does): marked
      // again, not taken for already marked.
      Reflect.deleteProperty(tags, REF_ID_TAG);
      await sync();
      await plane.plane.storage.db
        .update(instances)
        .set({ lastErrorCode: null, lastError: null, updatedAt: new Date() })
        .where(eq(instances.id, retagged.id));
      tags[REF_ID_TAG] = row.refId;
      await sync();
      Reflect.deleteProperty(tags, REF_ID_TAG);
      await sync();
      assert.equal(
        (await getInstance(root, retagged.id)).lastError?.code,
        'INSTANCE_NOT_VOUCHED',
        'marked again',
      );
      // Ended at the provider, as the message tells its operator to, which keeps showing it as
      // terminated: now it is gone.
      plane.cloud.cloud.find(retagged.cloudId).status = 'terminated';
      await waitForState(plane, root, retagged.id, 'terminated');
    });

    it('writes nothing when nothing changed', async () => {
      const steady = await running('steady');
      await plane.plane.instanceSyncer.sync(plane.credentialId);
      const before = await xmins(plane);
      const result = await plane.plane.instanceSyncer.sync(plane.credentialId);
      assert.equal(result.ok, true);
      assert.equal(result.written, 0);
      assert.deepEqual(await xmins(plane), before, 'no instance row was rewritten');
      await json(await root.call(`/v1/instances/${steady.id}/terminate`, { method: 'POST' }), 202);
      await waitForState(plane, root, steady.id, 'terminated');
    });

    it("ends strays: a live instance under an ended row's refId, a second one beside a live row's", async () => {
      const client = directClient(plane);
      const type = (await client.getInstanceTypes()).find((t) => t.available);
      assert.ok(type);
      // What a launch attempt that a provider acted on late leaves: an instance under the refId.
      const lateLaunch = (refId: string, name: string) =>
        client.createInstance({
          refId,
          name,
          publicKey: generateSshKeyPair().publicKey,
          location: type.location,
          instanceType: type.type,
        });
      const ended = await running('stray-after-end');
      await json(await root.call(`/v1/instances/${ended.id}/terminate`, { method: 'POST' }), 202);
      await waitForState(plane, root, ended.id, 'terminated');
      const afterEnd = await lateLaunch((await getInstance(root, ended.id)).refId, 'late-one');
      const kept = await running('stray-beside');
      const beside = await lateLaunch((await getInstance(root, kept.id)).refId, 'second-one');

      const result = await plane.plane.instanceSyncer.sync(plane.credentialId);
      assert.equal(result.ok, true);
      assert.equal(result.orphans, 0, 'an instance under a known refId is no orphan');
      // The plane's own sync loop runs beside this test and may be the one that ends them.
      const Events = z.object({
        events: z.array(z.object({ kind: z.string(), data: z.unknown() })),
      });
      const strayEvents = async (id: string) =>
        Events.parse(await json(await root.call(`/v1/instances/${id}/events`), 200))
          .events.filter((e) => e.kind === 'stray')
          .map((e) => e.data);
      await plane.until(async () => {
        const cloud = await cloudInstances(plane);
        const live = (cloudId: string) =>
          cloud.some((i) => i.id === cloudId && LIVE_NATIVE.has(i.status));
        return (
          !live(afterEnd.cloudId) &&
          !live(beside.cloudId) &&
          (await strayEvents(ended.id)).length > 0 &&
          (await strayEvents(kept.id)).length > 0
        );
      }, 'both strays ended at the cloud, each with its event');
      assert.deepEqual(await strayEvents(ended.id), [{ cloudId: afterEnd.cloudId }]);
      assert.deepEqual(await strayEvents(kept.id), [{ cloudId: beside.cloudId }]);
      const keptNow = await getInstance(root, kept.id);
      assert.equal(keptNow.cloudId, kept.cloudId, 'the row keeps its own instance');
      assert.equal(keptNow.state, 'running');
      assert.equal((await getInstance(root, ended.id)).state, 'terminated');
      const metrics = await (await root.call('/metrics')).text();
      assert.match(metrics, /cloudplane_strays_terminated_total\{provider="devcloud"\} 2/);
      // Ended at the cloud, they are not ended again, and the row's own instance is untouched.
      await plane.plane.instanceSyncer.sync(plane.credentialId);
      assert.equal((await getInstance(root, kept.id)).state, 'running');
      await json(await root.call(`/v1/instances/${kept.id}/terminate`, { method: 'POST' }), 202);
      await waitForState(plane, root, kept.id, 'terminated');
    });

    it("keeps the instance a row holds when a later attempt's answer names another", async () => {
      let earlier: string | undefined;
      untilRowHolds = (refId, cloudId) => {
        earlier = cloudId;
        return plane.until(async () => {
          const result = await plane.plane.storage.db.execute(
            sql`SELECT cloud_id FROM instances WHERE ref_id = ${refId}`,
          );
          const rows = z
            .object({ rows: z.array(z.object({ cloud_id: z.string().nullable() })) })
            .parse(result).rows;
          return rows[0]?.cloud_id === cloudId;
        }, 'the syncer to adopt the earlier instance');
      };
      try {
        const made = z
          .object({ id: z.string() })
          .parse(
            await json(await launch(root, { offerId, name: 'twice-one', sshKeyIds: [keyId] }), 202),
          );
        const row = await getInstance(root, made.id);
        let both: Awaited<ReturnType<typeof cloudInstances>> = [];
        await plane.until(async () => {
          both = await cloudInstances(plane, row.refId);
          return both.length === 2;
        }, 'both attempts to have made an instance');
        assert.ok(earlier, 'the earlier attempt made its instance');
        const second = both.find((i) => i.id !== earlier);
        assert.ok(second);
        await waitForState(plane, root, made.id, 'running');
        await plane.until(async () => {
          const truth = (await cloudInstances(plane, row.refId)).find((i) => i.id === second.id);
          return truth === undefined || !LIVE_NATIVE.has(truth.status);
        }, 'the second instance to be ended as a stray');
        const after = await getInstance(root, made.id);
        assert.equal(after.cloudId, earlier, 'the row still holds the instance it had');
        assert.equal(after.state, 'running');
        const first = (await cloudInstances(plane, row.refId)).find((i) => i.id === earlier);
        assert.ok(first && LIVE_NATIVE.has(first.status), 'its instance is alive');
        await json(await root.call(`/v1/instances/${made.id}/terminate`, { method: 'POST' }), 202);
        await waitForState(plane, root, made.id, 'terminated');
      } finally {
        untilRowHolds = undefined;
      }
    });

    it('records orphans, lists them for admins, and adopts or terminates them', async () => {
      const client = directClient(plane);
      const type = (await client.getInstanceTypes()).find((t) => t.available);
      assert.ok(type);
      const spawn = (name: string) =>
        client.createInstance({
          refId: randomUUID(),
          name,
          publicKey: generateSshKeyPair().publicKey,
          location: type.location,
          instanceType: type.type,
        });
      const lost = await spawn('lost-one');
      const stray = await spawn('stray-one');
      const Orphans = z.object({
        orphans: z.array(z.object({ id: z.string(), cloudId: z.string(), refId: z.string() })),
      });
      let listed: z.infer<typeof Orphans>['orphans'] = [];
      await plane.until(async () => {
        listed = Orphans.parse(await json(await root.call('/v1/orphans'), 200)).orphans;
        return listed.length === 2;
      }, 'two orphans');
      const metrics = await (await root.call('/metrics')).text();
      assert.match(
        metrics,
        new RegExp(`cloudplane_orphan_instances\\{credential="${plane.credentialId}"\\} 2`),
      );

      const dave = await addUser(plane, `dave-${engine}`);
      const lostOrphan = listed.find((o) => o.cloudId === lost.cloudId);
      const strayOrphan = listed.find((o) => o.cloudId === stray.cloudId);
      assert.ok(lostOrphan && strayOrphan);
      // Two admins adopt it at once: one gets it, the other is told it is gone.
      const answers = await Promise.all(
        ['found', 'found-too'].map((name) =>
          root.call(`/v1/orphans/${lostOrphan.id}/adopt`, {
            method: 'POST',
            body: JSON.stringify({ user: `dave-${engine}`, name }),
          }),
        ),
      );
      assert.deepEqual(
        answers.map((a) => a.status).sort(),
        [201, 404],
        'one adopt wins; the other is not an error of ours',
      );
      const won = answers.find((a) => a.status === 201);
      const lostRace = answers.find((a) => a.status === 404);
      assert.ok(won && lostRace);
      assert.match(await lostRace.text(), /orphan\/not-found.*adopted or terminated already/);
      const adopted = z.object({ instanceId: z.string() }).parse(await json(won, 201));
      const mine = await getInstance(dave, adopted.instanceId);
      assert.equal(mine.cloudId, lost.cloudId);
      assert.equal(mine.refId, lost.refId);
      await json(
        await root.call(`/v1/orphans/${strayOrphan.id}/terminate`, { method: 'POST' }),
        204,
      );
      await plane.until(async () => {
        const truth = (await cloudInstances(plane)).find((i) => i.id === stray.cloudId);
        return (
          truth === undefined || truth.status === 'terminated' || truth.status === 'terminating'
        );
      }, 'the stray to end at the cloud');
      await plane.plane.instanceSyncer.sync(plane.credentialId);
      assert.deepEqual(Orphans.parse(await json(await root.call('/v1/orphans'), 200)).orphans, []);
      await json(
        await dave.call(`/v1/instances/${adopted.instanceId}/terminate`, { method: 'POST' }),
        202,
      );
      await waitForState(plane, dave, adopted.instanceId, 'terminated');
    });
  });
}
