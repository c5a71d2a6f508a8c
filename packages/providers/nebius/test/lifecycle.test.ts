import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { isCloudError } from '@cloudplane/sdk';
import { LABELS } from '../src/index.js';
import { REGION, SUBNET_ID } from './fake/fixtures.js';
import type { NebiusFake } from './fake/nebius-fake.js';
import { clientFor, eventually, PUBLIC_KEY, useFake } from './helpers.js';

const launch = (refId: string, extra: Record<string, unknown> = {}) => ({
  refId,
  publicKey: PUBLIC_KEY,
  location: REGION,
  instanceType: 'gpu-h100-sxm.1gpu-16vcpu-200gb',
  ...extra,
});

describe('instances', () => {
  let fake: NebiusFake;
  useFake({ before, after }, (f) => (fake = f));

  it('creates through an operation and reports the instance with its labels, key and addresses', async () => {
    const { client, cloudCredRefId } = clientFor(fake);
    const instance = await client.createInstance(
      launch('life-1', { name: 'My Box', tags: { team: 'ml' }, userData: '#!/bin/sh\necho hi\n' }),
    );
    assert.equal(instance.refId, 'life-1');
    assert.equal(instance.cloudCredRefId, cloudCredRefId);
    assert.equal(instance.instanceTypeId, `${REGION}/gpu-h100-sxm.1gpu-16vcpu-200gb`);
    assert.deepEqual(instance.tags, { team: 'ml' });
    assert.match(instance.name, /^my-box-[0-9a-f]{8}$/);
    const create = fake.callsOf('InstanceService.Create').at(-1);
    const request = create?.request as {
      metadata: { labels: Record<string, string> };
      spec: { cloudInitUserData: string; networkInterfaces: { subnetId: string }[] };
    };
    assert.equal(request.metadata.labels[LABELS.refId], 'life-1');
    assert.equal(request.metadata.labels[LABELS.cloudCredRefId], cloudCredRefId);
    assert.equal(request.spec.networkInterfaces[0]?.subnetId, SUBNET_ID);
    assert.ok(
      request.spec.cloudInitUserData.includes(PUBLIC_KEY),
      'the key goes in through cloud-init',
    );
    assert.ok(request.spec.cloudInitUserData.includes('echo hi'), 'with the user data');
    assert.ok(create?.idempotencyKey, 'the create carries an idempotency key');
    await eventually(
      async () => (await client.getInstance(instance.cloudId)).status.lifecycle === 'running',
      'running',
    );
    const running = await client.getInstance(instance.cloudId);
    assert.match(running.publicIp ?? '', /^203\.0\.113\.\d+$/, 'the /32 is dropped');
    assert.match(running.privateIp ?? '', /^10\.0\.0\.\d+$/);
    await client.terminateInstance(instance.cloudId);
  });

  it('puts the firewall script into the cloud-init document', async () => {
    const { client } = clientFor(fake);
    const instance = await client.createInstance(
      launch('life-fw', {
        firewallRules: {
          ingress: [{ protocol: 'tcp', fromPort: 8080, toPort: 8080, cidrs: ['0.0.0.0/0'] }],
          egress: [],
        },
      }),
    );
    const userData = (
      fake.callsOf('InstanceService.Create').at(-1)?.request.spec as { cloudInitUserData: string }
    ).cloudInitUserData;
    assert.match(userData, /10-cloudplane-firewall/);
    assert.match(userData, /8080/);
    await client.terminateInstance(instance.cloudId);
  });

  it('refuses what Nebius cannot honour before sending anything', async () => {
    const { client } = clientFor(fake);
    const before = fake.callsOf('InstanceService.Create').length;
    for (const [attrs, pattern] of [
      [launch('bad-1', { location: 'us-central1' }), /project is in eu-north1/],
      [launch('bad-2', { subLocation: 'a' }), /no zones/],
      [launch('bad-3', { instanceType: 'h100' }), /not a Nebius type name/],
      [launch('bad-4', { tags: { [LABELS.refId]: 'x' } }), /reserved/],
      [launch('bad-5', { userData: `#!/bin/sh\n${'x'.repeat(40_000)}` }), /at most 32768/],
    ] as const) {
      const err = await client.createInstance(attrs).catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'INVALID_ARGUMENT'), String(err));
      assert.match(err.message, pattern);
    }
    assert.equal(fake.callsOf('InstanceService.Create').length, before);
  });

  it('fails a launch without capacity and deletes what the failed operation left', async () => {
    const { client } = clientFor(fake);
    const restore = fake.exhaustCapacity('operation');
    try {
      const err = await client.createInstance(launch('cap-1')).catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'INSUFFICIENT_CAPACITY'), String(err));
      assert.match(err.message, /not enough gpu: no free hosts/);
      assert.equal(err.detail.providerCode, 'RESOURCE_EXHAUSTED/NotEnoughResources');
    } finally {
      restore();
    }
    await eventually(() => !fake.live().some((i) => i.labels[LABELS.refId] === 'cap-1'), 'cleanup');
  });

  it('reports a quota failure as OUT_OF_QUOTA, launching nothing', async () => {
    const { client } = clientFor(fake);
    fake.compute.gpuQuota = 0;
    try {
      const err = await client.createInstance(launch('quota-1')).catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'OUT_OF_QUOTA'), String(err));
      assert.equal(err.retryable, false);
    } finally {
      fake.compute.gpuQuota = undefined;
    }
    assert.ok(!fake.live().some((i) => i.labels[LABELS.refId] === 'quota-1'));
  });

  it('resends a create whose answer was lost with the same idempotency key, creating once', async () => {
    const { client } = clientFor(fake);
    const before = fake.callsOf('InstanceService.Create').length;
    fake.inject('InstanceService.Create', { code: grpc.status.UNAVAILABLE });
    const instance = await client.createInstance(launch('idem-1'));
    const creates = fake.callsOf('InstanceService.Create').slice(before);
    assert.equal(creates.length, 2);
    assert.equal(creates[0]?.idempotencyKey, creates[1]?.idempotencyKey);
    assert.equal(fake.live().filter((i) => i.labels[LABELS.refId] === 'idem-1').length, 1);
    await client.terminateInstance(instance.cloudId);
  });

  it('stops and starts', async () => {
    const { client } = clientFor(fake);
    const instance = await client.createInstance(launch('stop-1'));
    const state = async () => (await client.getInstance(instance.cloudId)).status.lifecycle;
    await eventually(async () => (await state()) === 'running', 'running');
    await client.stopStart.stopInstance(instance.cloudId);
    await eventually(async () => (await state()) === 'stopped', 'stopped');
    const again = await client.stopStart.stopInstance(instance.cloudId).catch((e: unknown) => e);
    assert.ok(isCloudError(again, 'INVALID_ARGUMENT'), 'stopping a stopped instance is refused');
    await client.stopStart.startInstance(instance.cloudId);
    await eventually(async () => (await state()) === 'running', 'running again');
    await client.terminateInstance(instance.cloudId);
  });

  it('terminates idempotently, also while the instance is still being created', async () => {
    const { client } = clientFor(fake, { createWaitMs: 0 });
    const instance = await client.createInstance(launch('term-1'));
    await client.terminateInstance(instance.cloudId);
    await client.terminateInstance(instance.cloudId);
    await eventually(async () => {
      const err = await client.getInstance(instance.cloudId).catch((e: unknown) => e);
      return isCloudError(err, 'INSTANCE_NOT_FOUND');
    }, 'gone');
    await client.terminateInstance(instance.cloudId);
  });

  it('lists every page, skips foreign instances, and fails when a later page fails', async () => {
    const { client, logger } = clientFor(fake);
    const foreign = fake.compute.addForeign();
    const mine = [];
    for (const refId of ['page-1', 'page-2', 'page-3'])
      mine.push(await client.createInstance(launch(refId)));
    const listed = await client.listInstances();
    for (const i of mine)
      assert.ok(
        listed.some((l) => l.cloudId === i.cloudId),
        `${i.refId} listed`,
      );
    assert.ok(!listed.some((l) => l.cloudId === foreign));
    assert.ok(
      fake.callsOf('InstanceService.List').filter((c) => c.request.pageToken !== '').length > 0,
      'paginated',
    );
    assert.equal(
      logger.entries.filter((e) => e.obj.cloudId === foreign).length,
      1,
      'foreign: one warning',
    );
    const err = await client.getInstance(foreign).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'PERMISSION_DENIED'), 'a foreign instance is not ours to report');
    const remove = fake.inject('InstanceService.List', {
      code: grpc.status.UNAVAILABLE,
      times: 99,
      when: (request) => request.pageToken !== '',
    });
    try {
      const failed = await client.listInstances().catch((e: unknown) => e);
      assert.ok(isCloudError(failed, 'SERVICE_UNAVAILABLE'), 'never a partial list');
    } finally {
      remove();
    }
    for (const i of mine) await client.terminateInstance(i.cloudId);
    await client.terminateInstance(foreign);
  });
});
