import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { EventDto, InstanceDto } from '../src/api/instance-dto.js';
import { instances } from '../src/db/schema.js';
import { CapacityMemory } from '../src/instances/capacity.js';
import { EventBell } from '../src/instances/events.js';
import { Launcher } from '../src/instances/launcher.js';
import { InstanceRows } from '../src/instances/rows.js';
import { JobLeases } from '../src/jobs/leases.js';
import { makeLogger } from '../src/logger.js';
import {
  addKey,
  admin,
  cloudInstances,
  directClient,
  getInstance,
  json,
  launch,
  LIVE_NATIVE,
  waitForState,
  type Caller,
} from './helpers/instances.js';
import { MARKED_FETCH, marked, markedDevcloud } from './helpers/marked-devcloud.js';
import { instanceRowValues } from './helpers/instance-rows.js';
import { fastRegistry, startPlane, type Plane } from './helpers/plane.js';
import { ENGINES, freshTarget, stopClusterAfterAll } from './helpers/storage.js';

/**
 * Capacity memory (shared, in the database, with a TTL), launch by requirement with failover
 * after capacity and quota errors (each attempt proven to have made nothing), the orphan
 * policy, and provider scorecards (docs/instances.md).
 */

stopClusterAfterAll();

const Offer = z.object({
  id: z.string(),
  typeId: z.string(),
  type: z.string(),
  credentialId: z.string(),
  region: z.string(),
  available: z.boolean(),
  gpu: z.object({ name: z.string().nullable(), count: z.number() }),
  price: z.object({ perHour: z.string() }),
  capacity: z
    .object({ unavailableUntil: z.string(), reason: z.string(), scope: z.string() })
    .nullable(),
});
const Offers = z.object({ offers: z.array(Offer) });
const Events = z.object({ events: z.array(EventDto) });

async function setCapacity(plane: Plane, name: string, capacity: number): Promise<void> {
  const response = await fetch(`${plane.cloud.url}/admin/capacity`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${plane.cloud.adminKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ name, capacity }),
  });
  assert.equal(response.status, 200);
}

async function syncCatalog(plane: Plane, root: Caller): Promise<void> {
  const before =
    z
      .object({ syncs: z.array(z.object({ id: z.number() })) })
      .parse(
        await json(await root.call(`/v1/credentials/${plane.credentialId}/syncs?limit=1`), 200),
      ).syncs[0]?.id ?? 0;
  await json(
    await root.call(`/v1/credentials/${plane.credentialId}/sync`, { method: 'POST' }),
    202,
  );
  await plane.until(async () => {
    const last =
      z
        .object({ syncs: z.array(z.object({ id: z.number() })) })
        .parse(
          await json(await root.call(`/v1/credentials/${plane.credentialId}/syncs?limit=1`), 200),
        ).syncs[0]?.id ?? 0;
    return last > before;
  }, 'a catalog sync');
}

for (const engine of ENGINES) {
  describe(`capacity, failover, orphan policy and scorecards on ${engine}`, () => {
    let plane: Plane;
    let root: Caller;
    let keyId: string;
    let key: Awaited<ReturnType<typeof addKey>>;
    /** Offers of one GPU model with at least two offers, cheapest first. */
    let family: z.infer<typeof Offer>[];

    before(async () => {
      plane = await startPlane(await freshTarget(engine), undefined, {
        devcloud: { timings: { bootStepMs: 50, terminateMs: 50 }, capacityPerOffer: 5 },
        providers: fastRegistry(markedDevcloud),
      });
      root = admin(plane);
      key = await addKey(root);
      keyId = key.id;
      await plane.until(
        async () => (await plane.plane.offerCount(plane.credentialId)) > 0,
        'the catalog',
      );
      const all = Offers.parse(
        await json(await root.call('/v1/offers?available=true&limit=500'), 200),
      ).offers;
      const byGpu = new Map<string, z.infer<typeof Offer>[]>();
      for (const offer of all) {
        const key = `${offer.gpu.name ?? ''}x${String(offer.gpu.count)}`;
        if (offer.gpu.name !== null) byGpu.set(key, [...(byGpu.get(key) ?? []), offer]);
      }
      const pick = [...byGpu.values()].find((list) => list.length >= 2);
      assert.ok(pick, 'a GPU model offered at least twice');
      family = pick;
    });
    after(async () => {
      await plane.close();
    });

    it('remembers a capacity refusal: the offer shows unavailable with its end and reason, until a sync reports it available', async () => {
      const [cheapest] = family;
      assert.ok(cheapest);
      await setCapacity(plane, cheapest.type, 0);
      const made = InstanceDto.parse(
        await json(
          await launch(root, { offerId: cheapest.id, name: 'no-room-here', sshKeyIds: [keyId] }),
          202,
        ),
      );
      const failed = await waitForState(plane, root, made.id, 'failed');
      assert.equal(failed.lastError?.code, 'INSUFFICIENT_CAPACITY');

      const shown = Offers.parse(
        await json(
          await root.call(
            `/v1/offers?gpu=${encodeURIComponent(cheapest.gpu.name ?? '')}&limit=100`,
          ),
          200,
        ),
      ).offers.find((o) => o.id === cheapest.id);
      assert.ok(shown);
      assert.equal(shown.available, false);
      assert.ok(shown.capacity, 'the offer says why it is unavailable');
      assert.match(shown.capacity.reason, /INSUFFICIENT_CAPACITY/);
      const until = Date.parse(shown.capacity.unavailableUntil) - Date.now();
      assert.ok(until > 14 * 60_000 && until <= 15 * 60_000, 'the default TTL is 15 minutes');
      const launchable = Offers.parse(
        await json(await root.call('/v1/offers?available=true&limit=500'), 200),
      ).offers;
      assert.ok(!launchable.some((o) => o.id === cheapest.id), 'available=true leaves it out');
      const direct = await launch(root, {
        offerId: cheapest.id,
        name: 'still-no-room',
        sshKeyIds: [keyId],
      });
      assert.equal(
        z.object({ error: z.object({ code: z.string() }) }).parse(await json(direct, 409)).error
          .code,
        'offer/unavailable',
      );
      const metrics = await (await root.call('/metrics')).text();
      assert.match(
        metrics,
        /cloudplane_capacity_errors_total\{provider="devcloud",gpu="[^"]+"\} 1/,
      );

      // The catalog learns it is sold out, then that it is back: the mark goes with it.
      await syncCatalog(plane, root);
      await setCapacity(plane, cheapest.type, 5);
      await syncCatalog(plane, root);
      const back = Offers.parse(
        await json(await root.call('/v1/offers?available=true&limit=500'), 200),
      ).offers.find((o) => o.id === cheapest.id);
      assert.ok(back, 'launchable again');
      assert.equal(back.capacity, null);
    });

    it('launches by requirement, failing over past a capacity refusal with every attempt proven empty', async () => {
      const [cheapest, next] = family;
      assert.ok(cheapest && next);
      await setCapacity(plane, cheapest.type, 0);
      const requirement = { gpu: cheapest.gpu.name ?? '', count: cheapest.gpu.count };
      const made = InstanceDto.parse(
        await json(await launch(root, { requirement, name: 'anywhere', sshKeyIds: [keyId] }), 202),
      );
      assert.equal(made.offerId, cheapest.id, 'the cheapest match is tried first');
      const running = await waitForState(plane, root, made.id, 'running');
      assert.notEqual(running.offerId, cheapest.id, 'it moved to another offer');
      const { events } = Events.parse(
        await json(await root.call(`/v1/instances/${made.id}/events`), 200),
      );
      const failover = events.find((e) => e.kind === 'failover');
      assert.ok(failover, 'the failover is an event with its reason');
      assert.match(failover.message, /INSUFFICIENT_CAPACITY|insufficient|capacity/i);
      const firstRef = z.object({ from: z.object({ refId: z.string() }) }).parse(failover.data)
        .from.refId;
      assert.equal(
        (await cloudInstances(plane, firstRef)).length,
        0,
        'the refused attempt made nothing',
      );
      assert.equal(
        (await cloudInstances(plane, running.refId)).length,
        1,
        'the last attempt made one',
      );
      await setCapacity(plane, cheapest.type, 5);

      // A slow provider acts on the given-up refId after all: the syncer ends that instance as
      // a stray of the row that moved on, not an orphan nobody watches.
      const late = await directClient(plane).createInstance({
        refId: firstRef,
        name: 'late-attempt',
        publicKey: key.pair.publicKey,
        location: cheapest.region,
        instanceType: cheapest.type,
      });
      await plane.until(async () => {
        const [seen] = await cloudInstances(plane, firstRef);
        return seen !== undefined && !LIVE_NATIVE.has(seen.status);
      }, 'the late attempt ended');
      const after = Events.parse(
        await json(await root.call(`/v1/instances/${made.id}/events`), 200),
      ).events;
      const stray = after.find((e) => e.kind === 'stray');
      assert.ok(stray, 'a stray event on the row');
      assert.match(
        stray.message,
        new RegExp(`^${late.cloudId}, made by an attempt this launch gave up when it failed over`),
      );
      const orphans = z
        .object({ orphans: z.array(z.object({ cloudId: z.string() })) })
        .parse(await json(await root.call('/v1/orphans'), 200)).orphans;
      assert.ok(!orphans.some((o) => o.cloudId === late.cloudId), 'not an orphan');
      const still = await getInstance(root, made.id);
      assert.equal(still.state, 'running', 'the row keeps its own instance');
      assert.equal(still.refId, running.refId);

      await json(await root.call(`/v1/instances/${made.id}/terminate`, { method: 'POST' }), 202);
      await waitForState(plane, root, made.id, 'terminated');
    });

    it('fails a launch by requirement when quota rules out the only provider, saying so', async () => {
      plane.cloud.faults.replace({ quotaExceeded: true });
      const [cheapest] = family;
      assert.ok(cheapest);
      const made = InstanceDto.parse(
        await json(
          await launch(root, {
            requirement: { gpu: cheapest.gpu.name ?? '' },
            name: 'over-quota',
            sshKeyIds: [keyId],
          }),
          202,
        ),
      );
      const failed = await waitForState(plane, root, made.id, 'failed');
      plane.cloud.faults.replace({});
      assert.ok(failed.lastError);
      assert.equal(failed.lastError.code, 'OUT_OF_QUOTA');
      assert.match(failed.lastError.message, /no other offer/);
      const none = await launch(root, {
        requirement: { gpu: 'NoSuchGPU9000' },
        name: 'nothing',
        sshKeyIds: [keyId],
      });
      assert.equal(
        z.object({ error: z.object({ code: z.string() }) }).parse(await json(none, 409)).error.code,
        'offer/none-matches',
      );
      const both = await launch(root, {
        offerId: cheapest.id,
        requirement: { gpu: 'H100' },
        name: 'both',
        sshKeyIds: [keyId],
      });
      assert.equal(both.status, 400);
    });

    it('terminates orphans under a terminate-after policy', async () => {
      await json(
        await root.call(`/v1/credentials/${plane.credentialId}/orphan-policy`, {
          method: 'PUT',
          body: JSON.stringify({ orphanPolicy: { terminateAfterMinutes: 0 } }),
        }),
        200,
      );
      const { provider } = await import('@cloudplane/provider-devcloud');
      const { generateSshKeyPair } = await import('@cloudplane/sdk');
      const client = provider.makeClient({
        credential: { apiKey: plane.cloud.apiKey, baseUrl: plane.cloud.url, defects: [] },
        cloudCredRefId: plane.credentialId,
      });
      const [cheapest] = family;
      assert.ok(cheapest);
      const stray = await client.createInstance({
        refId: 'stray-by-hand',
        publicKey: generateSshKeyPair().publicKey,
        location: cheapest.region,
        instanceType: cheapest.type,
      });
      await plane.until(async () => {
        const truth = (await cloudInstances(plane)).find((i) => i.id === stray.cloudId);
        return (
          truth?.status === 'terminating' || truth?.status === 'terminated' || truth === undefined
        );
      }, 'the orphan to be terminated by policy');
      const metrics = await (await root.call('/metrics')).text();
      assert.match(metrics, /cloudplane_orphans_terminated_total\{provider="devcloud"\} 1/);
      await json(
        await root.call(`/v1/credentials/${plane.credentialId}/orphan-policy`, {
          method: 'PUT',
          body: JSON.stringify({ orphanPolicy: 'report' }),
        }),
        200,
      );
    });

    it('scores the provider: syncs, launches, capacity errors, time to running, last error', async () => {
      const body = z
        .object({
          scorecards: z.array(
            z.object({
              credentialId: z.string(),
              windows: z.object({
                hour: z.object({
                  catalogSyncs: z.number(),
                  catalogSyncSuccessRate: z.number().nullable(),
                  launches: z.number(),
                  createSuccessRate: z.number().nullable(),
                  capacityErrorRate: z.number().nullable(),
                  timeToRunningSeconds: z.object({
                    p50: z.number().nullable(),
                    p95: z.number().nullable(),
                  }),
                }),
                day: z.object({ launches: z.number() }),
              }),
              lastError: z.object({ what: z.string(), message: z.string() }).nullable(),
            }),
          ),
        })
        .parse(await json(await root.call('/v1/providers/scorecards'), 200));
      const card = body.scorecards.find((c) => c.credentialId === plane.credentialId);
      assert.ok(card);
      const hour = card.windows.hour;
      // So far: one capacity refusal, a failover (one refusal, one success), one quota refusal.
      assert.equal(hour.launches, 4);
      assert.equal(hour.createSuccessRate, 1 / 4);
      assert.equal(hour.capacityErrorRate, 2 / 4);
      assert.ok(hour.catalogSyncs >= 3);
      assert.equal(hour.catalogSyncSuccessRate, 1);
      assert.ok(hour.timeToRunningSeconds.p50 !== null && hour.timeToRunningSeconds.p50 > 0);
      assert.equal(card.windows.day.launches, 4);
      assert.ok(card.lastError);
      assert.match(card.lastError.message, /OUT_OF_QUOTA/);
      const metrics = await (await root.call('/metrics')).text();
      assert.match(
        metrics,
        /cloudplane_provider_score\{credential="dev",window="hour",measure="create_success"\} 0.25/,
      );
    });

    /**
     * A launch of `offer` by its requirement, queued with its create lease held as a create
     * job's runner holds it (so the plane's own sweep leaves it alone), and a launcher whose
     * provider calls are marked (see marked-devcloud.ts) to run it.
     */
    async function queuedLaunch(
      offer: z.infer<typeof Offer>,
      overrides: Partial<typeof instances.$inferInsert> = {},
    ) {
      const db = plane.plane.storage.db;
      const logger = makeLogger({ level: 'silent' });
      const id = randomUUID();
      const refId = randomUUID();
      const row = instanceRowValues(root.userId, {
        id,
        refId,
        credentialId: offer.credentialId,
        provider: 'devcloud',
        typeId: offer.typeId,
        location: offer.region,
        instanceType: offer.type,
        gpuName: offer.gpu.name,
        gpuCount: offer.gpu.count,
        requirement: { gpu: offer.gpu.name ?? '', count: offer.gpu.count },
        intent: { publicKey: key.pair.publicKey },
        pendingAction: 'create',
        ...overrides,
      });
      // With its lease, in one transaction: the plane's sweep queues a leaseless launch.
      await db.transaction(async (tx) => {
        await tx.insert(instances).values(row);
        await new JobLeases(db, logger).takeIn(tx, `instance-create:${id}`, 600_000);
      });
      const launcher = new Launcher({
        db,
        rows: new InstanceRows(db, new EventBell()),
        credentials: plane.plane.credentials,
        logger,
        clientOptions: { fetch: MARKED_FETCH },
        capacity: new CapacityMemory(db),
        providers: fastRegistry(markedDevcloud),
      });
      const read = async () => {
        const [stored] = await db.select().from(instances).where(eq(instances.id, id));
        assert.ok(stored);
        return stored;
      };
      /** Another writer's change to the row (a sync, another runner), with a new updated_at. */
      const writeMeanwhile = async (set: Partial<typeof instances.$inferInsert>) => {
        await db
          .update(instances)
          .set({ ...set, updatedAt: new Date() })
          .where(eq(instances.id, id));
      };
      return { id, refId, launcher, read, writeMeanwhile };
    }

    it('leaves a row alone that a sync adopted while its failover looked for the refused attempt', async () => {
      const [cheapest] = family;
      assert.ok(cheapest);
      const { id, refId, launcher, read, writeMeanwhile } = await queuedLaunch(cheapest);
      // The refusal's look-up runs as the credential's syncer adopts the refId's instance.
      marked.beforeList = () => writeMeanwhile({ cloudId: 'adopted-meanwhile', state: 'running' });
      // Out of capacity as a fault, not as an offer's count set to 0: an earlier test's
      // instance ending meanwhile would give that count a slot back.
      plane.cloud.faults.replace({ outOfCapacity: true });
      try {
        assert.deepEqual(await launcher.run(id, false), { kind: 'done' });
      } finally {
        plane.cloud.faults.replace({});
      }
      assert.equal(marked.beforeList, undefined, 'the failover looked');
      const row = await read();
      assert.deepEqual(
        [row.refId, row.credentialId, row.typeId, row.failovers, row.cloudId],
        [refId, cheapest.credentialId, cheapest.typeId, 0, 'adopted-meanwhile'],
        'the adopted row keeps its refId and offer',
      );
    });

    it('does not fail a row that another runner moved on while this one looked', async () => {
      const [cheapest] = family;
      assert.ok(cheapest);
      // Its last try: an earlier attempt went unanswered, and this look-up fails too.
      const { id, launcher, read, writeMeanwhile } = await queuedLaunch(cheapest, {
        createAttempts: 1,
        createSentAt: new Date(),
      });
      const movedTo = randomUUID();
      marked.beforeList = () => {
        marked.list = 'fail';
        return writeMeanwhile({ refId: movedTo });
      };
      try {
        assert.deepEqual(await launcher.run(id, true), { kind: 'done' });
      } finally {
        marked.list = 'all';
      }
      const row = await read();
      assert.deepEqual(
        [row.refId, row.state, row.lastErrorCode],
        [movedTo, 'pending', null],
        "the other runner's launch is not failed by this one's give-up",
      );
    });

    it('does not give a row that failed over meanwhile the instance of its earlier refId', async () => {
      const [cheapest] = family;
      assert.ok(cheapest);
      // An earlier attempt went unanswered, and the provider made its instance.
      const { id, refId, launcher, read, writeMeanwhile } = await queuedLaunch(cheapest, {
        createAttempts: 1,
        createSentAt: new Date(),
      });
      const made = await directClient(plane).createInstance({
        refId,
        name: 'earlier-attempt',
        publicKey: key.pair.publicKey,
        location: cheapest.region,
        instanceType: cheapest.type,
      });
      // Hidden from the plane's own syncer, which would adopt it before this launcher looks.
      marked.hidden.add(made.cloudId);
      // Another runner (its lease lost to this one) fails the row over while this one looks.
      const movedTo = randomUUID();
      marked.beforeList = () => writeMeanwhile({ refId: movedTo });
      assert.deepEqual(await launcher.run(id, false), { kind: 'done' });
      assert.equal(marked.beforeList, undefined, 'the attempt looked');
      const row = await read();
      assert.deepEqual([row.refId, row.cloudId], [movedTo, null], 'the moved row has no instance');
      await directClient(plane).terminateInstance(made.cloudId);
      marked.hidden.delete(made.cloudId);
    });
  });
}

describe('capacity memory with a short TTL', () => {
  let plane: Plane;
  before(async () => {
    plane = await startPlane(undefined, undefined, { devcloud: { timings: { bootStepMs: 50 } } });
  });
  after(async () => {
    await plane.close();
  });

  it('expires marks after the configured TTL', async () => {
    const { CapacityMemory, markFor } = await import('../src/instances/capacity.js');
    const { CloudError } = await import('@cloudplane/sdk');
    const memory = new CapacityMemory(plane.plane.storage.db, 300);
    const place = { credentialId: plane.credentialId, typeId: 'x/y', location: 'x' };
    await memory.remember(
      place,
      new CloudError('INSUFFICIENT_CAPACITY', { scope: 'location' }),
      'no room in x',
      { provider: 'devcloud', gpu: null },
    );
    const marks = await memory.active([plane.credentialId]);
    assert.ok(
      markFor(marks, { ...place, typeId: 'x/other' }),
      'a location mark covers every offer there',
    );
    assert.equal(markFor(marks, { ...place, location: 'elsewhere', typeId: 'e/z' }), null);
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(await memory.active([plane.credentialId]), []);
  });
});
