import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateSshKeyPair } from '@cloudplane/sdk';
import { sleep, withCloud } from './helpers.js';

const publicKey = generateSshKeyPair().publicKey;

interface Offer {
  name: string;
  region: string;
  zone: string | null;
  available_capacity: number;
}
interface Inst {
  id: string;
  status: string;
  tags: Record<string, string>;
}

async function firstOffer(
  call: (m: string, p: string) => Promise<{ json: unknown }>,
): Promise<Offer> {
  const { json } = await call('GET', '/v1/instance-types?limit=1');
  const offer = (json as { instance_types: Offer[] }).instance_types[0];
  assert.ok(offer);
  return offer;
}

describe('devcloud API', () => {
  it('refuses requests without the API key, in its own error shape', async () => {
    await withCloud({}, async (_cloud, { call }) => {
      const r = await call('GET', '/v1/regions', undefined, 'wrong');
      assert.equal(r.status, 401);
      assert.deepEqual((r.json as { error: { code: string } }).error.code, 'auth/invalid-api-key');
    });
  });

  it('walks the lifecycle with time: pending, running, stopped, running, terminated, gone', async () => {
    await withCloud({ timings: { terminatedRetentionMs: 100 } }, async (_cloud, { call }) => {
      const offer = await firstOffer(call);
      const launched = await call('POST', '/v1/instances', {
        instance_type: offer.name,
        region: offer.region,
        zone: offer.zone,
        public_key: publicKey,
      });
      assert.equal(launched.status, 202);
      const id = (launched.json as { instance: Inst }).instance.id;
      assert.equal((launched.json as { instance: Inst }).instance.status, 'provisioning');
      const status = async () =>
        ((await call('GET', `/v1/instances/${id}`)).json as { instance: Inst }).instance.status;
      const until = async (want: string) => {
        for (let i = 0; i < 200 && (await status()) !== want; i++) await sleep(10);
        assert.equal(await status(), want);
      };
      await until('running');
      assert.equal((await call('POST', `/v1/instances/${id}/stop`)).status, 202);
      await until('stopped');
      assert.equal(
        (await call('POST', `/v1/instances/${id}/reboot`)).status,
        409,
        'a stopped machine cannot reboot',
      );
      await call('POST', `/v1/instances/${id}/start`);
      await until('running');
      await call('DELETE', `/v1/instances/${id}`);
      await until('terminated');
      await sleep(200);
      assert.equal(
        (await call('GET', `/v1/instances/${id}`)).status,
        404,
        'terminated instances disappear after the retention time',
      );
    });
  });

  it('consumes capacity on launch, refuses past it with its own error, and releases on terminate', async () => {
    await withCloud({ capacityPerOffer: 2 }, async (_cloud, { call }) => {
      const offer = await firstOffer(call);
      const launch = () =>
        call('POST', '/v1/instances', {
          instance_type: offer.name,
          region: offer.region,
          zone: offer.zone,
          public_key: publicKey,
        });
      const a = await launch();
      await launch();
      const refused = await launch();
      assert.equal(refused.status, 409);
      assert.equal(
        (refused.json as { error: { code: string } }).error.code,
        'capacity/insufficient',
      );
      assert.equal((await firstOffer(call)).available_capacity, 0);
      await call('DELETE', `/v1/instances/${(a.json as { instance: Inst }).instance.id}`);
      await sleep(100);
      assert.equal((await firstOffer(call)).available_capacity, 1);
      assert.equal((await launch()).status, 202);
    });
  });

  it('enforces the account quota with its own error', async () => {
    await withCloud({ instanceQuota: 1 }, async (_cloud, { call }) => {
      const offer = await firstOffer(call);
      const launch = () =>
        call('POST', '/v1/instances', {
          instance_type: offer.name,
          region: offer.region,
          zone: offer.zone,
          public_key: publicKey,
        });
      assert.equal((await launch()).status, 202);
      const refused = await launch();
      assert.equal(refused.status, 403);
      assert.equal((refused.json as { error: { code: string } }).error.code, 'quota/exceeded');
    });
  });

  it('lists with cursors, each pre-existing instance exactly once while launches happen', async () => {
    await withCloud(
      { seedInstances: 250, capacityPerOffer: 1000, instanceQuota: 10_000 },
      async (_cloud, { call }) => {
        const offer = await firstOffer(call);
        const before = new Set<string>();
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        // Snapshot of what exists before the walk.
        for (let c: string | null = null, first = true; first || c !== null; first = false) {
          const r = (await call('GET', `/v1/instances?limit=500${c ? `&cursor=${c}` : ''}`))
            .json as { instances: Inst[]; next_cursor: string | null };
          r.instances.forEach((i) => before.add(i.id));
          c = r.next_cursor;
        }
        do {
          const page = (
            await call('GET', `/v1/instances?limit=40${cursor ? `&cursor=${cursor}` : ''}`)
          ).json as { instances: Inst[]; next_cursor: string | null };
          seen.push(...page.instances.map((i) => i.id));
          await Promise.all(
            [1, 2, 3].map(() =>
              call('POST', '/v1/instances', {
                instance_type: offer.name,
                region: offer.region,
                zone: offer.zone,
                public_key: publicKey,
              }),
            ),
          );
          cursor = page.next_cursor;
          pages++;
        } while (cursor !== null);
        assert.ok(pages > 5);
        for (const id of before)
          assert.equal(seen.filter((s) => s === id).length, 1, `${id} seen once`);
        assert.equal(new Set(seen).size, seen.length, 'no instance twice');
      },
    );
  });

  it('rejects a cursor it did not issue', async () => {
    await withCloud({}, async (_cloud, { call }) => {
      const r = await call('GET', '/v1/instances?cursor=bogus');
      assert.equal(r.status, 400);
    });
  });

  it('registers SSH keys per user and launches with one', async () => {
    await withCloud({}, async (_cloud, { call }) => {
      const key = await call('POST', '/v1/ssh-keys', { name: 'alice', public_key: publicKey });
      assert.equal(key.status, 201);
      const keyId = (key.json as { ssh_key: { id: string } }).ssh_key.id;
      const offer = await firstOffer(call);
      assert.equal(
        (
          await call('POST', '/v1/instances', {
            instance_type: offer.name,
            region: offer.region,
            zone: offer.zone,
            ssh_key_id: keyId,
          })
        ).status,
        202,
      );
      assert.equal(
        (
          await call('POST', '/v1/instances', {
            instance_type: offer.name,
            region: offer.region,
            zone: offer.zone,
            ssh_key_id: 'key-none',
          })
        ).status,
        404,
      );
      assert.equal((await call('DELETE', `/v1/ssh-keys/${keyId}`)).status, 204);
    });
  });
});

describe('devcloud faults', () => {
  it('injects 429 with Retry-After, 5xx, latency, malformed and truncated JSON, per endpoint', async () => {
    await withCloud({}, async (_cloud, { call, admin }) => {
      assert.equal(
        (await call('PUT', '/admin/faults', { rules: [] })).status,
        401,
        'the API key is not the admin key',
      );
      await admin('PUT', '/admin/faults', {
        rules: [{ endpoint: 'regions', kind: 'rate-limit', retryAfterSeconds: 7, times: 1 }],
      });
      const limited = await call('GET', '/v1/regions');
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '7');
      assert.equal((await call('GET', '/v1/regions')).status, 200, 'times: 1 fires once');
      await admin('PUT', '/admin/faults', {
        rules: [{ endpoint: 'listInstances', kind: 'error', status: 503 }],
      });
      assert.equal((await call('GET', '/v1/instances')).status, 503);
      assert.equal((await call('GET', '/v1/regions')).status, 200, 'other endpoints are untouched');
      await admin('PUT', '/admin/faults', { rules: [{ endpoint: 'regions', kind: 'malformed' }] });
      const malformed = await call('GET', '/v1/regions');
      assert.equal(malformed.json, undefined);
      await admin('PUT', '/admin/faults', {
        rules: [{ endpoint: 'regions', kind: 'latency', latencyMs: 150 }],
      });
      const t0 = Date.now();
      assert.equal((await call('GET', '/v1/regions')).status, 200);
      assert.ok(Date.now() - t0 >= 140);
      await admin('PUT', '/admin/faults', { rules: [{ endpoint: 'regions', kind: 'truncated' }] });
      await assert.rejects(call('GET', '/v1/regions'));
      assert.equal(
        (await admin('PUT', '/admin/faults', { rules: [{ endpoint: 'nope', kind: 'error' }] }))
          .status,
        400,
      );
    });
  });

  it('fails a list page, runs out of capacity or quota, and fails boots on demand', async () => {
    await withCloud(
      { seedInstances: 150, instanceQuota: 1000 },
      async (_cloud, { call, admin }) => {
        await admin('PUT', '/admin/faults', { failPage: 2 });
        const first = (await call('GET', '/v1/instances?limit=100')).json as {
          next_cursor: string;
        };
        assert.equal(
          (await call('GET', `/v1/instances?limit=100&cursor=${first.next_cursor}`)).status,
          503,
        );
        const offer = await firstOffer(call);
        const launch = () =>
          call('POST', '/v1/instances', {
            instance_type: offer.name,
            region: offer.region,
            zone: offer.zone,
            public_key: publicKey,
          });
        await admin('PUT', '/admin/faults', { outOfCapacity: true });
        assert.equal((await launch()).status, 409);
        await admin('PUT', '/admin/faults', { quotaExceeded: true });
        assert.equal((await launch()).status, 403);
        await admin('PUT', '/admin/faults', { bootFailureRate: 1 });
        const id = ((await launch()).json as { instance: Inst }).instance.id;
        await sleep(150);
        const failed = (
          (await call('GET', `/v1/instances/${id}`)).json as {
            instance: Inst & { status_message: string };
          }
        ).instance;
        assert.equal(failed.status, 'boot_failed');
        assert.match(failed.status_message, /did not boot/);
      },
    );
  });

  it('makes the same decisions for the same seed', async () => {
    const decisions = async () => {
      const out: number[] = [];
      await withCloud(
        { seed: 42, faults: { rules: [{ endpoint: 'regions', kind: 'error', rate: 0.5 }] } },
        async (_cloud, { call }) => {
          for (let i = 0; i < 20; i++) out.push((await call('GET', '/v1/regions')).status);
        },
      );
      return out;
    };
    const a = await decisions();
    assert.deepEqual(await decisions(), a);
    assert.ok(a.includes(500) && a.includes(200));
  });
});

describe('devcloud at scale', () => {
  it('serves 10,000 instance types and 100,000 instances, walked completely', async () => {
    await withCloud({ catalogSize: 10_000, seedInstances: 100_000 }, async (_cloud, { call }) => {
      let cursor: string | null = null;
      let types = 0;
      do {
        const page = (
          await call('GET', `/v1/instance-types?limit=500${cursor ? `&cursor=${cursor}` : ''}`)
        ).json as { instance_types: unknown[]; next_cursor: string | null };
        types += page.instance_types.length;
        cursor = page.next_cursor;
      } while (cursor !== null);
      assert.equal(types, 10_000);
      let instances = 0;
      do {
        const page = (
          await call('GET', `/v1/instances?limit=500${cursor ? `&cursor=${cursor}` : ''}`)
        ).json as { instances: unknown[]; next_cursor: string | null };
        instances += page.instances.length;
        cursor = page.next_cursor;
      } while (cursor !== null);
      assert.equal(instances, 100_000);
    });
  });
});
