import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  InstanceSchema,
  isCloudError,
  waitForStatus,
  type CloudClient,
  type CreateInstanceAttrs,
} from '@cloudplane/sdk';
import { assertForeignSkipped, rewritingFetch } from '@cloudplane/provider-testkit';
import { readInstanceName } from '../src/index.js';
import type { LambdaFake } from './fake/lambda-fake.js';
import { attrs, clientFor, countRequests, keys, useFake, withFake } from './helpers.js';

const LAUNCH = 'POST /instance-operations/launch';

async function running(client: CloudClient, cloudId: string) {
  return waitForStatus(() => client.getInstance(cloudId), 'running', {
    timeoutMs: 30_000,
    intervalMs: 20,
  });
}

describe('lifecycle against the fake', () => {
  let fake: LambdaFake;
  useFake({ before, after }, (f) => (fake = f));

  it('creates, gets, lists and terminates an instance, correlation and ids intact', async () => {
    const clock = new Date('2026-03-01T12:34:56.789Z');
    const { client, cloudCredRefId } = clientFor(fake, { now: () => clock });
    const refId = randomUUID();
    const release = fake.holdBoots();
    const created = await client
      .createInstance(attrs({ refId, name: 'Nightly training' }))
      .finally(release);
    InstanceSchema.parse(created);
    assert.equal(created.refId, refId);
    assert.equal(created.cloudCredRefId, cloudCredRefId);
    assert.equal(created.instanceTypeId, 'us-east-1/gpu_1x_a10');
    const catalog = await client.getInstanceTypes({ instanceTypes: ['gpu_1x_a10'] });
    assert.ok(catalog.some((t) => t.id === created.instanceTypeId));
    assert.equal(created.createdAt, '2026-03-01T12:34:00.000Z', 'the launch minute from the name');
    assert.equal(created.status.lifecycle, 'pending');
    assert.equal(created.status.native, 'booting');
    assert.equal(created.sshUser, 'ubuntu');
    assert.equal(created.sshPort, 22);
    assert.deepEqual(created.tags, {});
    const wire = fake.instances.get(created.cloudId);
    assert.ok(wire?.name && wire.name.length <= 64, 'the name fits Lambda’s 64 characters');
    assert.deepEqual(readInstanceName(wire.name), {
      refId,
      cloudCredRefId,
      launchedAt: new Date('2026-03-01T12:34:00.000Z'),
    });

    const up = await running(client, created.cloudId);
    assert.equal(up?.status.lifecycle, 'running');
    const got = await client.getInstance(created.cloudId);
    assert.deepEqual(
      [got.refId, got.cloudCredRefId, got.instanceTypeId, got.createdAt],
      [refId, cloudCredRefId, created.instanceTypeId, created.createdAt],
    );
    const listed = await client.listInstances({ instanceIds: [created.cloudId] });
    assert.deepEqual(
      listed.map((i) => i.cloudId),
      [created.cloudId],
    );
    assert.deepEqual(await client.listInstances({ locations: ['us-west-3'] }), []);
    assert.deepEqual(await client.listInstances({ tagFilters: { team: ['ml'] } }), []);

    await client.terminateInstance(created.cloudId);
    const ending = await client.getInstance(created.cloudId).catch((e: unknown) => e);
    if (!isCloudError(ending, 'INSTANCE_NOT_FOUND')) {
      assert.ok(!isCloudError(ending));
      assert.equal((ending as { status: { lifecycle: string } }).status.lifecycle, 'terminating');
    }
    await client.terminateInstance(created.cloudId);
    await waitForStatus(() => client.getInstance(created.cloudId), 'terminated', {
      timeoutMs: 30_000,
      intervalMs: 20,
      notFoundIsTerminated: true,
    });
    await client.terminateInstance(created.cloudId);
    assert.deepEqual(await client.listInstances({ instanceIds: [created.cloudId] }), []);
  });

  it('a second client (another cloudCredRefId) reports the creator’s ids', async () => {
    const creator = clientFor(fake);
    const other = clientFor(fake);
    const created = await creator.client.createInstance(attrs());
    try {
      const seen = await other.client.getInstance(created.cloudId);
      assert.equal(seen.cloudCredRefId, creator.cloudCredRefId);
      assert.equal(seen.refId, created.refId);
      const listed = await other.client.listInstances({ instanceIds: [created.cloudId] });
      assert.equal(listed[0]?.cloudCredRefId, creator.cloudCredRefId);
    } finally {
      await creator.client.terminateInstance(created.cloudId);
    }
  });

  it('reuses a key with the same material whatever its name, and never deletes keys', () =>
    withFake({}, async (own) => {
      const reformatted = `${keys.publicKey.split(' ').slice(0, 2).join(' ')} other-comment\n`;
      own.addKey('macbook-pro', reformatted);
      const { client } = clientFor(own);
      const created = await client.createInstance(attrs());
      assert.equal(countRequests(own, 'POST /ssh-keys'), 0);
      assert.deepEqual(own.instances.get(created.cloudId)?.keyName, 'macbook-pro');
      await client.terminateInstance(created.cloudId);
      assert.equal(own.requests.filter((r) => r.method === 'DELETE').length, 0);
      assert.deepEqual(
        own.sshKeys.map((k) => k.name),
        ['macbook-pro'],
      );
    }));

  it('registers a missing key under a name made from the launch, then reuses it', () =>
    withFake({}, async (own) => {
      const { client, cloudCredRefId } = clientFor(own);
      const first = await client.createInstance(attrs());
      const second = await client.createInstance(attrs());
      assert.equal(countRequests(own, 'POST /ssh-keys'), 1);
      const [key] = own.sshKeys;
      assert.ok(key);
      assert.match(key.name, /^cpk--/);
      assert.ok(key.name.length <= 64);
      assert.equal(key.public_key, keys.publicKey);
      assert.equal(own.instances.get(first.cloudId)?.keyName, key.name);
      assert.equal(own.instances.get(second.cloudId)?.keyName, key.name);
      assert.ok(key.name.includes('--') && cloudCredRefId !== '');
      await client.terminateInstance(first.cloudId);
      await client.terminateInstance(second.cloudId);
    }));

  it('skips instances cloudplane did not create, with one warning each', () =>
    withFake({}, async (own) => {
      const named = own.addInstance({ name: 'training-node-1' });
      const unnamed = own.addInstance({ name: null });
      const lookalike = own.addInstance({ name: 'cp--not-ours--either' });
      const { client, logger } = clientFor(own);
      const ours = await client.createInstance(
        attrs({ location: 'us-west-3', instanceType: 'gpu_1x_h100_pcie' }),
      );
      await assertForeignSkipped({
        client,
        logger,
        foreign: [named, unnamed, lookalike],
        ours: [ours.cloudId],
      });
    }));

  it('surfaces exhausted capacity as INSUFFICIENT_CAPACITY and leaves nothing behind', async () => {
    const { client } = clientFor(fake);
    fake.setCapacity('gpu_1x_gh200', 'us-east-3', 1);
    const one = await client.createInstance(
      attrs({ location: 'us-east-3', instanceType: 'gpu_1x_gh200' }),
    );
    const before = fake.live().length;
    const err = await client
      .createInstance(attrs({ location: 'us-east-3', instanceType: 'gpu_1x_gh200' }))
      .catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INSUFFICIENT_CAPACITY'), String(err));
    assert.equal(err.scope, 'offer');
    assert.equal(fake.live().length, before);
    const [gh200] = await client.getInstanceTypes({
      instanceTypes: ['gpu_1x_gh200'],
      locations: ['us-east-3'],
    });
    assert.equal(gh200?.available, false);
    await client.terminateInstance(one.cloudId);
  });

  it('surfaces the account limit as OUT_OF_QUOTA', () =>
    withFake({ quota: 1 }, async (own) => {
      const { client } = clientFor(own);
      await client.createInstance(attrs());
      const err = await client.createInstance(attrs()).catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'OUT_OF_QUOTA'), String(err));
      assert.equal(own.live().length, 1);
    }));

  it('refuses what Lambda cannot do, before asking Lambda anything', async () => {
    const { client } = clientFor(fake);
    const asked = fake.requests.length;
    const refused: [Partial<CreateInstanceAttrs>, RegExp][] = [
      [
        {
          firewallRules: {
            ingress: [{ protocol: 'tcp', fromPort: 80, toPort: 80, cidrs: ['0.0.0.0/0'] }],
            egress: [],
          },
        },
        /firewall/,
      ],
      [{ userData: '#!/bin/sh\necho hi' }, /userData/],
      [{ imageId: 'ubuntu-22.04' }, /imageId/],
      [{ diskSize: { value: 100, unit: 'GB' } }, /diskSize/],
      [{ subLocation: 'a' }, /subLocation/],
      [{ refId: 'x'.repeat(40) }, /64/],
      [{ publicKey: 'not a key' }, /publicKey/],
    ];
    for (const [extra, why] of refused) {
      const err = await client.createInstance(attrs(extra)).catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'INVALID_ARGUMENT'), `${JSON.stringify(extra)}: ${String(err)}`);
      assert.match(err.message, why);
    }
    assert.equal(fake.requests.length, asked, 'no request reached Lambda');
  });

  it('accepts empty firewall rules and tags (Lambda keeps none)', async () => {
    const { client } = clientFor(fake);
    const created = await client.createInstance(
      attrs({ firewallRules: { ingress: [], egress: [] }, tags: { team: 'ml' } }),
    );
    assert.deepEqual(created.tags, {});
    await client.terminateInstance(created.cloudId);
  });

  it('adopts a launch whose answer was lost instead of launching twice', async () => {
    const { client } = clientFor(fake);
    for (const fault of [
      { status: 500, afterHandling: true },
      { drop: true, afterHandling: true },
    ]) {
      const before = countRequests(fake, LAUNCH);
      const live = fake.live().length;
      fake.inject(LAUNCH, fault);
      const request = attrs();
      const created = await client.createInstance(request);
      assert.equal(created.refId, request.refId);
      assert.equal(countRequests(fake, LAUNCH) - before, 1, JSON.stringify(fault));
      assert.equal(fake.live().length, live + 1);
      await client.terminateInstance(created.cloudId);
    }
  });

  it('relaunches after a failure that launched nothing (5xx, dropped, 429 with Retry-After)', async () => {
    const { client } = clientFor(fake);
    for (const fault of [{ status: 503 }, { drop: true }, { status: 429, retryAfter: '0' }]) {
      const before = countRequests(fake, LAUNCH);
      const live = fake.live().length;
      fake.inject(LAUNCH, fault);
      const created = await client.createInstance(attrs());
      assert.equal(countRequests(fake, LAUNCH) - before, 2, JSON.stringify(fault));
      assert.equal(fake.live().length, live + 1);
      await client.terminateInstance(created.cloudId);
    }
  });

  it('never relaunches after a 4xx', async () => {
    const { client } = clientFor(fake);
    const before = countRequests(fake, LAUNCH);
    fake.inject(LAUNCH, { status: 400, code: 'global/invalid-parameters' });
    const err = await client.createInstance(attrs()).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INVALID_ARGUMENT'));
    assert.equal(countRequests(fake, LAUNCH) - before, 1);
  });

  it('is idempotent by refId: a repeated create returns the same instance', async () => {
    const { client } = clientFor(fake);
    const request = attrs();
    const first = await client.createInstance(request);
    const before = countRequests(fake, LAUNCH);
    const again = await client.createInstance(request);
    assert.equal(again.cloudId, first.cloudId);
    assert.equal(countRequests(fake, LAUNCH), before);
    await client.terminateInstance(first.cloudId);
  });

  it('terminates what it launched when it cannot hand the instance over', async () => {
    const { client } = clientFor(fake);
    const live = fake.live().length;
    const remove = fake.inject('GET /instances/{id}', { status: 500, times: 50 });
    try {
      const err = await client.createInstance(attrs()).catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'INTERNAL'), String(err));
    } finally {
      remove();
    }
    assert.equal(fake.live().length, live, 'the launched instance was terminated');
  });

  it('names the instance to clean up when that termination fails too', async () => {
    const { client } = clientFor(fake);
    const removeGet = fake.inject('GET /instances/{id}', { status: 500, times: 50 });
    const removeTerminate = fake.inject('POST /instance-operations/terminate', {
      status: 500,
      times: 50,
    });
    let leaked: string | undefined;
    try {
      const err = await client.createInstance(attrs()).catch((e: unknown) => e);
      assert.ok(isCloudError(err), String(err));
      leaked = /terminating instance (\w+) failed too/.exec(err.message)?.[1];
      assert.ok(leaked, err.message);
      assert.match(err.message, /terminate it by hand/);
    } finally {
      removeGet();
      removeTerminate();
    }
    await client.terminateInstance(leaked);
  });

  it('reboots through restart', async () => {
    const { client } = clientFor(fake);
    const created = await client.createInstance(attrs());
    await running(client, created.cloudId);
    assert.ok(client.reboot);
    const release = fake.holdBoots();
    try {
      await client.reboot.rebootInstance(created.cloudId);
      assert.equal((await client.getInstance(created.cloudId)).status.native, 'booting');
    } finally {
      release();
    }
    await running(client, created.cloudId);
    await client.terminateInstance(created.cloudId);
    const err = await client.reboot.rebootInstance(created.cloudId).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INVALID_ARGUMENT', 'INSTANCE_NOT_FOUND'), String(err));
    const unknown = await client.reboot.rebootInstance('nope').catch((e: unknown) => e);
    assert.ok(isCloudError(unknown, 'INSTANCE_NOT_FOUND'), String(unknown));
  });

  it('says a reboot Lambda left out of restarted_instances is done only when the instance is booting', async () => {
    let active = false;
    const unconfirmed = rewritingFetch('/api/v1', (path, body) => {
      if (path === '/instance-operations/restart') return { data: { restarted_instances: [] } };
      if (active && path.startsWith('/instances/')) {
        const { data } = body as { data: Record<string, unknown> };
        return { data: { ...data, status: 'active' } };
      }
      return body;
    });
    const { client } = clientFor(fake, { fetch: unconfirmed });
    const created = await client.createInstance(attrs());
    await running(client, created.cloudId);
    assert.ok(client.reboot);
    // Restarted all the same: the instance is booting, so the reboot is under way.
    await client.reboot.rebootInstance(created.cloudId);
    await running(client, created.cloudId);
    // Still active: Lambda declined, and the caller is told so instead of "done".
    active = true;
    const err = await client.reboot.rebootInstance(created.cloudId).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INVALID_ARGUMENT'), String(err));
    assert.match(err.message, /did not restart it .* still active/);
    active = false;
    await client.terminateInstance(created.cloudId);
  });

  it('maps unhealthy to failed', async () => {
    const { client } = clientFor(fake);
    const created = await client.createInstance(attrs());
    fake.forceStatus(created.cloudId, 'unhealthy');
    const seen = await client.getInstance(created.cloudId);
    assert.deepEqual(seen.status, { lifecycle: 'failed', native: 'unhealthy' });
    await client.terminateInstance(created.cloudId);
  });

  it('terminating an unknown id is done, getting it is INSTANCE_NOT_FOUND', async () => {
    const { client } = clientFor(fake);
    await client.terminateInstance('0000aaaa');
    const err = await client.getInstance('0000aaaa').catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INSTANCE_NOT_FOUND'));
  });

  it('keeps a stable createdAt when the ids leave no room for the launch minute', async () => {
    // 25 + 31 characters of ids leave the label no room for the six-digit launch minute.
    const { client } = clientFor(fake, { cloudCredRefId: `cred-${'c'.repeat(25)}` });
    const created = await client.createInstance(attrs({ refId: `ref-${'r'.repeat(20)}` }));
    assert.equal(
      readInstanceName(fake.instances.get(created.cloudId)?.name)?.launchedAt,
      undefined,
    );
    const again = await client.getInstance(created.cloudId);
    assert.equal(again.createdAt, created.createdAt);
    await client.terminateInstance(created.cloudId);
  });
});
