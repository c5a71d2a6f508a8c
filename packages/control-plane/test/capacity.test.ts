import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { EventDto, InstanceDto } from '../src/api/instance-dto.js';
import {
  addKey,
  admin,
  cloudInstances,
  json,
  launch,
  waitForState,
  type Caller,
} from './helpers/instances.js';
import { startPlane, type Plane } from './helpers/plane.js';
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
    /** Offers of one GPU model with at least two offers, cheapest first. */
    let family: z.infer<typeof Offer>[];

    before(async () => {
      plane = await startPlane(await freshTarget(engine), undefined, {
        devcloud: { timings: { bootStepMs: 50, terminateMs: 50 }, capacityPerOffer: 5 },
      });
      root = admin(plane);
      keyId = (await addKey(root)).id;
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
