import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFaults, startDevcloud, NATIVE_STATUSES, type Devcloud } from '@cloudplane/devcloud';
import {
  CloudError,
  generateSshKeyPair,
  isCloudError,
  memoryLogger,
  moneyToDecimal,
  type CloudClient,
} from '@cloudplane/sdk';
import { provider, STATUS_TABLE, statusMap } from '../src/index.js';

const FAST = { bootStepMs: 20, stopMs: 20, startMs: 20, rebootMs: 20, terminateMs: 20 };
const publicKey = generateSshKeyPair().publicKey;

async function withClient(
  body: (
    client: CloudClient,
    cloud: Devcloud,
    logger: ReturnType<typeof memoryLogger>,
  ) => Promise<void>,
  options: Parameters<typeof startDevcloud>[0] = {},
): Promise<void> {
  const cloud = await startDevcloud({ timings: FAST, ...options });
  const logger = memoryLogger();
  try {
    const credential = provider.credentialSchema.parse({
      apiKey: cloud.apiKey,
      baseUrl: cloud.url,
    });
    await body(
      provider.makeClient({ credential, cloudCredRefId: 'cred-a', logger }),
      cloud,
      logger,
    );
  } finally {
    await cloud.close();
  }
}

describe('devcloud adapter: status table', () => {
  it('maps every native status the cloud documents', () => {
    assert.deepEqual(Object.keys(STATUS_TABLE).sort(), [...NATIVE_STATUSES].sort());
    for (const native of NATIVE_STATUSES)
      assert.equal(statusMap.map(native).lifecycle, STATUS_TABLE[native]);
  });

  it('maps an unknown status to pending and logs it', () => {
    const logger = memoryLogger();
    assert.equal(statusMap.map('hibernating', { logger }).lifecycle, 'pending');
    assert.equal(logger.entries.filter((e) => e.level === 'warn').length, 1);
  });
});

describe('devcloud adapter: credentials', () => {
  it('says which field is wrong, without echoing the key', () => {
    const result = provider.credentialSchema.safeParse({ apiKey: 'short', baseUrl: 'not a url' });
    assert.ok(!result.success);
    const text = JSON.stringify(result.error.issues);
    assert.match(text, /apiKey/);
    assert.match(text, /baseUrl/);
    assert.doesNotMatch(text, /"short"/);
  });
});

describe('devcloud adapter: errors', () => {
  it('maps capacity, quota, not-found and auth to their codes', async () => {
    await withClient(async (client, cloud) => {
      const [type] = await client.getInstanceTypes();
      assert.ok(type);
      const attrs = {
        refId: 'r1',
        publicKey,
        location: type.location,
        ...(type.subLocation ? { subLocation: type.subLocation } : {}),
        instanceType: type.type,
      };
      await setFaults(cloud, { outOfCapacity: true });
      await assert.rejects(
        client.createInstance(attrs),
        (e: unknown) => isCloudError(e, 'INSUFFICIENT_CAPACITY') && e.scope === 'offer',
      );
      await setFaults(cloud, { quotaExceeded: true });
      await assert.rejects(client.createInstance(attrs), (e: unknown) =>
        isCloudError(e, 'OUT_OF_QUOTA'),
      );
      await setFaults(cloud, {});
      await assert.rejects(client.getInstance('i-nope'), (e: unknown) =>
        isCloudError(e, 'INSTANCE_NOT_FOUND'),
      );
      const bad = provider.makeClient({
        credential: { apiKey: 'dc_wrongwrong', baseUrl: cloud.url, defects: [] },
        cloudCredRefId: 'x',
      });
      await assert.rejects(bad.getLocations(), (e: unknown) => isCloudError(e, 'UNAUTHENTICATED'));
    });
  });

  it('retries 429 honouring Retry-After, and 5xx, a bounded number of times', async () => {
    await withClient(async (client, cloud, logger) => {
      await setFaults(cloud, {
        rules: [{ endpoint: 'regions', kind: 'rate-limit', retryAfterSeconds: 1, times: 1 }],
      });
      const t0 = Date.now();
      assert.ok((await client.getLocations()).length > 0);
      assert.ok(Date.now() - t0 >= 900, 'waited for Retry-After');
      await setFaults(cloud, { rules: [{ endpoint: 'regions', kind: 'error', status: 503 }] });
      await assert.rejects(client.getLocations(), (e: unknown) =>
        isCloudError(e, 'SERVICE_UNAVAILABLE'),
      );
      assert.ok(logger.entries.filter((e) => e.msg.includes('retrying')).length >= 4);
    });
  });

  it('turns malformed and truncated JSON into typed errors, never a crash', async () => {
    await withClient(async (client, cloud) => {
      await setFaults(cloud, { rules: [{ endpoint: 'regions', kind: 'malformed' }] });
      await assert.rejects(
        client.getLocations(),
        (e: unknown) => e instanceof CloudError && /cannot read/.test(e.message),
      );
      await setFaults(cloud, { rules: [{ endpoint: 'regions', kind: 'truncated' }] });
      await assert.rejects(client.getLocations(), (e: unknown) => e instanceof CloudError);
    });
  });

  it('fails the whole list when a page fails (complete or error)', async () => {
    await withClient(
      async (client, cloud) => {
        await setFaults(cloud, { failPage: 2 });
        await assert.rejects(client.listInstances(), (e: unknown) =>
          isCloudError(e, 'SERVICE_UNAVAILABLE'),
        );
      },
      { seedInstances: 150 },
    );
  });
});

describe('devcloud adapter: correlation', () => {
  it('skips foreign instances with a warning and keeps its own', async () => {
    await withClient(
      async (client, _cloud, logger) => {
        const [type] = await client.getInstanceTypes();
        assert.ok(type);
        const mine = await client.createInstance({
          refId: 'mine-1',
          publicKey,
          location: type.location,
          ...(type.subLocation ? { subLocation: type.subLocation } : {}),
          instanceType: type.type,
        });
        const listed = await client.listInstances();
        assert.deepEqual(
          listed.map((i) => i.cloudId),
          [mine.cloudId],
        );
        assert.ok(logger.entries.some((e) => e.msg.includes('without cloudplane correlation')));
        const [first] = listed;
        assert.ok(first);
        assert.deepEqual(
          [first.refId, first.cloudCredRefId, first.instanceTypeId],
          ['mine-1', 'cred-a', type.id],
        );
      },
      { seedInstances: 3 },
    );
  });

  it('puts the firewall script in user data when rules are given', async () => {
    await withClient(async (client, cloud) => {
      const [type] = await client.getInstanceTypes();
      assert.ok(type);
      const created = await client.createInstance({
        refId: 'fw-1',
        publicKey,
        location: type.location,
        ...(type.subLocation ? { subLocation: type.subLocation } : {}),
        instanceType: type.type,
        firewallRules: {
          ingress: [{ protocol: 'tcp', fromPort: 8080, toPort: 8080, cidrs: ['0.0.0.0/0'] }],
          egress: [],
        },
      });
      assert.equal(created.refId, 'fw-1');
      const userData = cloud.cloud.find(created.cloudId).userData ?? '';
      assert.match(userData, /cloudplane-firewall/);
      assert.match(userData, /--dport 8080 -j ACCEPT/);
    });
  });
});

describe('devcloud adapter: re-reading the catalog', () => {
  it('hands back the same types for unchanged offers, and new ones only for what changed', async () => {
    await withClient(
      async (client, cloud) => {
        const first = await client.getInstanceTypes();
        assert.equal(first.length, 1200);
        const again = await client.getInstanceTypes();
        assert.ok(
          again.every((type, i) => type === first[i]),
          'three unchanged pages give back the very same types',
        );

        const priced = cloud.cloud.offers[700];
        const drained = cloud.cloud.offers[701];
        assert.ok(priced && drained && drained.capacity > 1);
        priced.pricePerHour = (Number(priced.pricePerHour) + 1).toFixed(3);
        drained.capacity = 1;
        const after = await client.getInstanceTypes();
        const changed = after.filter((type, i) => type !== first[i]);
        assert.equal(changed.length, 1, 'only the repriced offer maps to a new type');
        assert.equal(changed[0], after[700]);
        const repriced = after[700];
        assert.ok(repriced);
        assert.equal(Number(moneyToDecimal(repriced.price)), Number(priced.pricePerHour));
        assert.equal(after[701], first[701], 'capacity left, still > 0, is the same type');

        await setFaults(cloud, { rules: [{ endpoint: 'listInstanceTypes', kind: 'malformed' }] });
        await assert.rejects(client.getInstanceTypes(), (e: unknown) =>
          isCloudError(e, 'INTERNAL'),
        );
      },
      { catalogSize: 1200 },
    );
  });
});
