import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  generateSshKeyPair,
  InstanceSchema,
  isCloudError,
  waitForStatus,
  type CloudClient,
  type LifecycleState,
} from '@cloudplane/sdk';
import { clientToken } from '../src/client.js';
import { TAG_CRED_ID, TAG_REF_ID, TAG_CREATED_AT, type DeferredAwsClient } from '../src/index.js';
import type { Ec2Fake } from './fake/ec2-fake.js';
import { clientFor, useFake, withFake } from './helpers.js';

const keys = generateSshKeyPair();

function launch(client: CloudClient, extra: Record<string, unknown> = {}) {
  return client.createInstance({
    refId: randomUUID(),
    publicKey: keys.publicKey,
    location: 'us-east-1',
    instanceType: 'g5.xlarge',
    ...extra,
  });
}

async function reach(client: CloudClient, id: string, state: LifecycleState) {
  const reached = await waitForStatus(() => client.getInstance(id), state, {
    timeoutMs: 30_000,
    intervalMs: 20,
  });
  assert.equal(reached?.status.lifecycle, state);
}

describe('lifecycle', () => {
  let fake: Ec2Fake;
  useFake({ before, after }, (f) => (fake = f));

  it('launches with correlation tags, a key pair, a security group and a ClientToken', async () => {
    const { client, cloudCredRefId } = clientFor(fake, {
      now: () => new Date('2025-03-04T05:06:07.000Z'),
    });
    const refId = randomUUID();
    const created = await client.createInstance({
      refId,
      name: 'training run',
      publicKey: keys.publicKey,
      location: 'us-east-1',
      instanceType: 'g5.xlarge',
      tags: { team: 'ml' },
      userData: '#!/bin/sh\necho hi\n',
      diskSize: { value: 200, unit: 'GiB' },
      firewallRules: {
        ingress: [{ protocol: 'tcp', fromPort: 8080, toPort: 8081, cidrs: ['203.0.113.0/24'] }],
        egress: [],
      },
    });
    InstanceSchema.parse(created);
    assert.equal(created.refId, refId);
    assert.equal(created.cloudCredRefId, cloudCredRefId);
    assert.equal(created.instanceTypeId, 'us-east-1/g5.xlarge');
    assert.equal(created.name, 'training run');
    assert.deepEqual(created.tags, { Name: 'training run', team: 'ml' });
    assert.equal(created.createdAt, '2025-03-04T05:06:07.000Z');
    assert.equal(created.sshUser, 'ubuntu');
    const wire = fake.instances.get(created.cloudId);
    assert.ok(wire);
    assert.equal(wire.tags.get(TAG_REF_ID), refId);
    assert.equal(wire.tags.get(TAG_CRED_ID), cloudCredRefId);
    assert.equal(wire.tags.get(TAG_CREATED_AT), '2025-03-04T05:06:07.000Z');
    assert.equal(wire.clientToken, clientToken(refId, cloudCredRefId));
    assert.equal(wire.userData, '#!/bin/sh\necho hi\n');
    assert.equal(wire.rootVolumeGiB, 200);
    assert.match(wire.imageId, /^ami-/);
    const newest = fake.images.find(
      (i) =>
        i.region === 'us-east-1' &&
        i.architecture === 'x86_64' &&
        i.creationDate.startsWith('2025'),
    );
    assert.equal(wire.imageId, newest?.id, 'the newest Deep Learning Base AMI');
    const group = fake.groups.get(wire.groupIds[0] ?? '');
    assert.ok(group);
    assert.deepEqual(
      group.ingress.map((p) => `${p.protocol} ${p.fromPort}-${p.toPort} ${p.cidr}`).sort(),
      ['tcp 22-22 0.0.0.0/0', 'tcp 22-22 ::/0', 'tcp 8080-8081 203.0.113.0/24'],
    );
    assert.deepEqual(group.egress.map((p) => `${p.protocol} ${p.cidr}`).sort(), [
      '-1 0.0.0.0/0',
      '-1 ::/0',
    ]);
    const key = [...fake.keyPairs.values()].find((k) => k.name === wire.keyName);
    assert.equal(key?.material, keys.publicKey.trim());
    await client.terminateInstance(created.cloudId);
  });

  it('reuses the key pair and the security group of identical launches', async () => {
    const { client } = clientFor(fake);
    const imports = fake.countRequests('ImportKeyPair');
    const groups = fake.groups.size;
    const a = await launch(client);
    const b = await launch(client);
    assert.equal(fake.countRequests('ImportKeyPair') - imports, imports === 0 ? 1 : 0);
    assert.deepEqual(
      fake.instances.get(a.cloudId)?.groupIds,
      fake.instances.get(b.cloudId)?.groupIds,
    );
    assert.ok(fake.groups.size - groups <= 1);
    await client.terminateInstance(a.cloudId);
    await client.terminateInstance(b.cloudId);
  });

  it('never creates twice: a launch whose answer was lost is answered by its ClientToken', async () => {
    const { client } = clientFor(fake);
    const refId = randomUUID();
    const launches = fake.countRequests('RunInstances');
    fake.inject('RunInstances', { code: 'InternalError', afterHandling: true });
    const created = await launch(client, { refId });
    assert.equal(
      fake.countRequests('RunInstances') - launches,
      2,
      'sent again after the lost answer',
    );
    const made = [...fake.instances.values()].filter((i) => i.tags.get(TAG_REF_ID) === refId);
    assert.deepEqual(
      made.map((i) => i.id),
      [created.cloudId],
    );
    await client.terminateInstance(created.cloudId);
  });

  it('is idempotent by refId across calls and clients', async () => {
    const { client, cloudCredRefId } = clientFor(fake);
    const refId = randomUUID();
    const first = await launch(client, { refId });
    const again = await launch(clientFor(fake, { cloudCredRefId }).client, { refId });
    assert.equal(again.cloudId, first.cloudId);
    assert.equal(fake.live().filter((i) => i.tags.get(TAG_REF_ID) === refId).length, 1);
    await client.terminateInstance(first.cloudId);
  });

  it('moves through stop, start and reboot', async () => {
    const { client } = clientFor(fake);
    const created = await launch(client);
    await reach(client, created.cloudId, 'running');
    await client.stopStart.stopInstance(created.cloudId);
    await reach(client, created.cloudId, 'stopped');
    await client.stopStart.stopInstance(created.cloudId);
    await client.stopStart.startInstance(created.cloudId);
    await reach(client, created.cloudId, 'running');
    await client.reboot.rebootInstance(created.cloudId);
    assert.equal((await client.getInstance(created.cloudId)).status.lifecycle, 'running');
    assert.equal(fake.countRequests('RebootInstances'), 1);
    await client.terminateInstance(created.cloudId);
    await reach(client, created.cloudId, 'terminated');
    const err = await client.stopStart.startInstance(created.cloudId).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INVALID_ARGUMENT'), String(err));
    assert.equal(err.detail.providerCode, 'IncorrectInstanceState');
  });

  it('terminates idempotently: twice, unknown and malformed ids all succeed', async () => {
    const { client } = clientFor(fake);
    const created = await launch(client);
    await client.terminateInstance(created.cloudId);
    await client.terminateInstance(created.cloudId);
    await reach(client, created.cloudId, 'terminated');
    await client.terminateInstance(created.cloudId);
    await client.terminateInstance('i-0123456789abcdef0');
    await client.terminateInstance('not-an-instance-id');
    assert.equal(fake.countRequests('TerminateInstances') >= 1, true);
  });

  it('never touches an instance cloudplane did not create', async () => {
    const { client } = clientFor(fake);
    const foreign = fake.addForeignInstance('us-east-1', { Name: 'production db' });
    for (const act of [
      () => client.getInstance(foreign.id),
      () => client.terminateInstance(foreign.id),
      () => client.stopStart.stopInstance(foreign.id),
      () => client.tags.updateTags(foreign.id, { a: 'b' }),
    ]) {
      const err = await act().catch((e: unknown) => e);
      // It exists: never INSTANCE_NOT_FOUND, which a caller would take for "gone".
      assert.ok(isCloudError(err, 'PERMISSION_DENIED'), String(err));
      assert.match(err.message, /not created by cloudplane/);
    }
    assert.ok(['pending', 'running'].includes(fake.instances.get(foreign.id)?.state ?? ''));
    assert.equal(fake.instances.get(foreign.id)?.tags.size, 1);
  });

  it('lists this region, by id, tag and location', async () => {
    const { client } = clientFor(fake);
    const a = await launch(client, { tags: { batch: 'x' } });
    const b = await launch(client, { tags: { batch: 'y' } });
    const all = await client.listInstances();
    assert.ok(all.some((i) => i.cloudId === a.cloudId) && all.some((i) => i.cloudId === b.cloudId));
    assert.deepEqual(
      (await client.listInstances({ instanceIds: [a.cloudId] })).map((i) => i.cloudId),
      [a.cloudId],
    );
    assert.deepEqual(
      (await client.listInstances({ tagFilters: { batch: ['y'] } })).map((i) => i.cloudId),
      [b.cloudId],
    );
    assert.deepEqual(await client.listInstances({ locations: ['us-west-2'] }), []);
    assert.deepEqual(await client.listInstances({ instanceIds: ['i-00000000000000000'] }), []);
    const west = clientFor(fake, { location: 'us-west-2' }).client;
    assert.ok(!(await west.listInstances()).some((i) => i.cloudId === a.cloudId));
    await client.terminateInstance(a.cloudId);
    await client.terminateInstance(b.cloudId);
  });

  it('updates tags, keeping the correlation tags', async () => {
    const { client } = clientFor(fake);
    const created = await launch(client, { tags: { stage: 'dev' } });
    await client.tags.updateTags(created.cloudId, { stage: 'prod', owner: 'ana' });
    const seen = await client.getInstance(created.cloudId);
    assert.deepEqual(seen.tags, { stage: 'prod', owner: 'ana' });
    assert.equal(seen.refId, created.refId);
    const err = await client.tags
      .updateTags(created.cloudId, { [TAG_REF_ID]: 'hijack' })
      .catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INVALID_ARGUMENT'));
    assert.equal(fake.instances.get(created.cloudId)?.tags.get(TAG_REF_ID), created.refId);
    await client.terminateInstance(created.cloudId);
  });

  it('changes firewall rules by moving the instance to the rule set’s group', async () => {
    const { client } = clientFor(fake);
    const created = await launch(client);
    const before = fake.instances.get(created.cloudId)?.groupIds[0];
    const rules = {
      ingress: [{ protocol: 'udp' as const, fromPort: 5000, toPort: 5000, cidrs: ['0.0.0.0/0'] }],
      egress: [{ protocol: 'tcp' as const, fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'] }],
    };
    await client.firewall.updateFirewallRules(created.cloudId, rules);
    const after = fake.instances.get(created.cloudId)?.groupIds[0];
    assert.notEqual(after, before);
    const group = fake.groups.get(after ?? '');
    assert.ok(group);
    assert.deepEqual(
      group.egress.map((p) => `${p.protocol} ${p.fromPort} ${p.cidr}`),
      ['tcp 443 0.0.0.0/0'],
      'the default allow-all egress was revoked',
    );
    assert.ok(group.ingress.some((p) => p.protocol === 'udp' && p.fromPort === 5000));
    assert.ok(
      group.ingress.some((p) => p.fromPort === 22),
      'SSH stays open',
    );
    await client.firewall.updateFirewallRules(created.cloudId, rules);
    assert.equal(
      fake.instances.get(created.cloudId)?.groupIds[0],
      after,
      'the same rules, the same group',
    );
    const bad = await client.firewall
      .updateFirewallRules(created.cloudId, {
        ingress: [{ protocol: 'tcp', fromPort: 0, toPort: 70000, cidrs: ['x'] }],
        egress: [],
      })
      .catch((e: unknown) => e);
    assert.ok(isCloudError(bad, 'INVALID_ARGUMENT'));
    await client.terminateInstance(created.cloudId);
  });

  it('repairs a group a failed launch left half made', async () => {
    const { client } = clientFor(fake);
    const rules = {
      ingress: [{ protocol: 'tcp' as const, fromPort: 9000, toPort: 9000, cidrs: ['0.0.0.0/0'] }],
      egress: [],
    };
    fake.inject('AuthorizeSecurityGroupIngress', { code: 'InvalidParameterValue' });
    const failed = await launch(client, { firewallRules: rules }).catch((e: unknown) => e);
    assert.ok(isCloudError(failed, 'INVALID_ARGUMENT'));
    const created = await launch(client, { firewallRules: rules });
    const group = fake.groups.get(fake.instances.get(created.cloudId)?.groupIds[0] ?? '');
    assert.ok(group?.ingress.some((p) => p.fromPort === 9000));
    await client.terminateInstance(created.cloudId);
  });

  it('refuses what it cannot honour before anything is launched', async () => {
    const { client } = clientFor(fake);
    const launches = fake.countRequests('RunInstances');
    for (const [extra, pattern] of [
      [{ location: 'us-west-2' }, /serves us-east-1/],
      [{ tags: { 'aws:cloudformation': 'x' } }, /reserved prefix/],
      [{ userData: 'x'.repeat(17_000) }, /16384 bytes/],
      [{ refId: 'has space' }, /refId/],
    ] as const) {
      const err = await launch(client, extra).catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'INVALID_ARGUMENT'), String(err));
      assert.match(err.message, pattern);
    }
    const noImage = await launch(client, { imageId: 'ami-0000000000000000' }).catch(
      (e: unknown) => e,
    );
    assert.ok(isCloudError(noImage, 'IMAGE_NOT_FOUND'), String(noImage));
    const noType = await launch(client, { instanceType: 'g9.mega' }).catch((e: unknown) => e);
    assert.ok(isCloudError(noType, 'INVALID_ARGUMENT'), String(noType));
    assert.equal(fake.countRequests('RunInstances'), launches);
  });

  it('answers INSUFFICIENT_CAPACITY and OUT_OF_QUOTA from a launch, creating nothing', async () => {
    const { client } = clientFor(fake);
    // By id, not by count: an earlier test's terminate may finish while this one runs.
    const before = new Set(fake.instances.keys());
    const restore = fake.exhaustCapacity();
    const capacity = await launch(client).catch((e: unknown) => e);
    restore();
    assert.ok(isCloudError(capacity, 'INSUFFICIENT_CAPACITY'), String(capacity));
    assert.equal(capacity.scope, 'offer');
    assert.deepEqual(
      [...fake.instances.keys()].filter((id) => !before.has(id)),
      [],
      'no instance was created',
    );
  });
});

describe('quota', () => {
  it('maps VcpuLimitExceeded to OUT_OF_QUOTA', async () => {
    await withFake({ vcpuQuota: 6 }, async (fake) => {
      const client: DeferredAwsClient = clientFor(fake).client;
      const first = await launch(client);
      const err = await launch(client).catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'OUT_OF_QUOTA'), String(err));
      assert.equal(err.detail.providerCode, 'VcpuLimitExceeded');
      await client.terminateInstance(first.cloudId);
    });
  });
});
