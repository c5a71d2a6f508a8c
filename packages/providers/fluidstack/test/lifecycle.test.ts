import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  generateSshKeyPair,
  InstanceSchema,
  isCloudError,
  waitForStatus,
  type CloudClient,
} from '@cloudplane/sdk';
import { CREATED_AT_TAG, CRED_REF_ID_TAG, REF_ID_TAG } from '../src/index.js';
import type { FluidstackFake } from './fake/fluidstack-fake.js';
import { clientFor, countRequests, useFake } from './helpers.js';

const keys = generateSshKeyPair('launcher');
const wait = { timeoutMs: 20_000, intervalMs: 20 };

describe('Fluidstack lifecycle', () => {
  let fake: FluidstackFake;
  let client: CloudClient;
  let cloudCredRefId: string;
  useFake({ before, after }, (f) => (fake = f), { addresses: true });
  before(() => {
    ({ client, cloudCredRefId } = clientFor(fake, {
      now: () => new Date('2026-03-04T05:06:07.890Z'),
    }));
  });

  const launch = (extra: Partial<Parameters<CloudClient['createInstance']>[0]> = {}) =>
    client.createInstance({
      refId: randomUUID(),
      publicKey: keys.publicKey,
      location: 'us-west-1',
      instanceType: 'l40s-48gb.1x',
      ...extra,
    });

  it('launches with correlation and the creation time in tags, and reads them back', async () => {
    const refId = randomUUID();
    const created = await launch({ refId, name: 'My Training Run!', tags: { team: 'ml' } });
    InstanceSchema.parse(created);
    assert.equal(created.refId, refId);
    assert.equal(created.cloudCredRefId, cloudCredRefId);
    assert.equal(created.instanceTypeId, 'us-west-1/l40s-48gb.1x');
    assert.equal(created.createdAt, '2026-03-04T05:06:07.000Z');
    assert.deepEqual(created.tags, { team: 'ml' });
    const stored = fake.instances.get(created.cloudId);
    assert.ok(stored);
    assert.equal(stored.name, 'my-training-run');
    assert.deepEqual(stored.tags, {
      team: 'ml',
      [REF_ID_TAG]: refId,
      [CRED_REF_ID_TAG]: cloudCredRefId,
      [CREATED_AT_TAG]: '20260304T050607Z',
    });
    const running = await waitForStatus(() => client.getInstance(created.cloudId), 'running', wait);
    assert.equal(running?.createdAt, created.createdAt);
    await client.terminateInstance(created.cloudId);
  });

  it('puts the launch key, firewall and user script in one cloud-init document', async () => {
    const created = await launch({
      userData: '#!/bin/bash\necho user-script\n',
      firewallRules: {
        ingress: [{ protocol: 'tcp', fromPort: 8080, toPort: 8080, cidrs: ['0.0.0.0/0'] }],
        egress: [],
      },
    });
    const text = fake.instances.get(created.cloudId)?.userDataText ?? '';
    assert.match(text, /^Content-Type: multipart\/mixed; boundary="/);
    assert.ok(text.includes(keys.publicKey), 'the launch key is authorized');
    assert.match(text, /Content-Type: text\/x-shellscript[\s\S]*8080[\s\S]*echo user-script/);
    await client.terminateInstance(created.cloudId);
  });

  it('reports the one address Fluidstack gives as private, never as public', async () => {
    const created = await launch();
    const running = await waitForStatus(() => client.getInstance(created.cloudId), 'running', wait);
    assert.ok(running);
    assert.match(running.privateIp ?? '', /^10\./);
    assert.equal(running.publicIp, null);
    assert.equal(running.sshUser, 'ubuntu');
    await client.terminateInstance(created.cloudId);
  });

  it('deletes a launch that goes out of stock, and throws INSUFFICIENT_CAPACITY', async () => {
    fake.setCapacity('us-west-1', 'a100-sxm-80gb.1x', 0);
    const deletes = countRequests(fake, 'DELETE /instances/{id}');
    const err = await launch({ instanceType: 'a100-sxm-80gb.1x' }).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INSUFFICIENT_CAPACITY'), String(err));
    assert.equal(err.detail.providerCode, 'out-of-stock');
    assert.equal(countRequests(fake, 'DELETE /instances/{id}') - deletes, 1);
    assert.deepEqual(
      fake.live().filter((i) => i.type === 'a100-sxm-80gb.1x'),
      [],
    );
    fake.setCapacity('us-west-1', 'a100-sxm-80gb.1x', 3);
  });

  it('hands over a launch still creating after the watch; out of stock later is failed', async () => {
    fake.setCapacity('us-west-1', 'a100-sxm-80gb.1x', 0);
    const { client: quick } = clientFor(fake, { stockCheckMs: 0 });
    const created = await quick.createInstance({
      refId: randomUUID(),
      publicKey: keys.publicKey,
      location: 'us-west-1',
      instanceType: 'a100-sxm-80gb.1x',
    });
    assert.deepEqual(created.status, { lifecycle: 'pending', native: 'creating' });
    const failed = await waitForStatus(() => quick.getInstance(created.cloudId), 'failed', wait);
    assert.equal(failed?.status.native, 'out-of-stock');
    assert.match(failed.status.message ?? '', /no capacity/);
    await quick.terminateInstance(created.cloudId);
    fake.setCapacity('us-west-1', 'a100-sxm-80gb.1x', 3);
  });

  it('stops and starts', async () => {
    const created = await launch();
    await waitForStatus(() => client.getInstance(created.cloudId), 'running', wait);
    assert.ok(client.stopStart);
    await client.stopStart.stopInstance(created.cloudId);
    await waitForStatus(() => client.getInstance(created.cloudId), 'stopped', wait);
    const twice = await client.stopStart.stopInstance(created.cloudId).catch((e: unknown) => e);
    assert.ok(isCloudError(twice, 'INVALID_ARGUMENT'), 'stopping a stopped instance: 409');
    await client.stopStart.startInstance(created.cloudId);
    await waitForStatus(() => client.getInstance(created.cloudId), 'running', wait);
    await client.terminateInstance(created.cloudId);
  });

  it('terminates idempotently: deleting, gone, or never a UUID', async () => {
    const created = await launch();
    await client.terminateInstance(created.cloudId);
    await client.terminateInstance(created.cloudId);
    await waitForStatus(() => client.getInstance(created.cloudId), 'terminated', {
      ...wait,
      notFoundIsTerminated: true,
    });
    await client.terminateInstance(created.cloudId);
    await client.terminateInstance('not-a-uuid');
    const err = await client.getInstance('not-a-uuid').catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INSTANCE_NOT_FOUND'));
  });

  it('refuses, before any request, what Fluidstack cannot honour', async () => {
    const launches = countRequests(fake, 'POST /instances');
    const cases: [Partial<Parameters<CloudClient['createInstance']>[0]>, RegExp][] = [
      [{ location: 'eu-north-1' }, /serves the Fluidstack region us-west-1/],
      [{ tags: { 'cloudplane.ref-id': 'x' } }, /reserved/],
      [{ tags: { '-bad-': 'x' } }, /tag keys are 1-63 characters/],
      [{ userData: 'echo no shebang' }, /neither a shell script/],
      [{ userData: '#include\nhttps://example.com\n' }, /#include/],
      [{ diskSize: { value: 100, unit: 'GiB' } }, /diskSize/],
      [{ subLocation: 'a' }, /zones/],
    ];
    for (const [extra, why] of cases) {
      const err = await launch(extra).catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'INVALID_ARGUMENT') && why.test(err.message), String(err));
    }
    assert.equal(countRequests(fake, 'POST /instances'), launches);
  });

  it('answers only getLocations without a location, and refuses a region not in the credential', async () => {
    const { client: unbound } = clientFor(fake, { location: null });
    assert.deepEqual(
      (await unbound.getLocations()).map((l) => l.name),
      ['us-west-1', 'eu-north-1'],
    );
    const err = await unbound.listInstances().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INVALID_ARGUMENT') && /locational/.test(err.message));
    const { client: elsewhere } = clientFor(fake, { location: 'ap-south-1' });
    const other = await elsewhere.getInstanceTypes().catch((e: unknown) => e);
    assert.ok(isCloudError(other, 'INVALID_ARGUMENT') && /not one of/.test(other.message));
  });

  it('sends the project header and the token on every project call', () => {
    const projectCalls = fake.requests.filter((r) => !r.path.endsWith('/instance-types'));
    assert.ok(projectCalls.length > 10);
    assert.ok(projectCalls.every((r) => r.project === fake.projectId));
    assert.ok(fake.requests.every((r) => r.authorization === `Bearer ${fake.apiKey}`));
  });
});
