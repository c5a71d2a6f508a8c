import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  generateSshKeyPair,
  InstanceSchema,
  isCloudError,
  type CloudClient,
  type CreateInstanceAttrs,
} from '@cloudplane/sdk';
import { TAG_KEYS } from '../src/index.js';
import type { LaunchPadFake } from './fake/launchpad-fake.js';
import { clientFor, countRequests, eventually, rewritingFetch, useFake } from './helpers.js';

const keys = generateSshKeyPair();
const CREATE = 'POST /v1/catalog/deployments/';

function attrs(extra: Partial<CreateInstanceAttrs> = {}): CreateInstanceAttrs {
  return {
    refId: randomUUID(),
    publicKey: keys.publicKey,
    location: 'pdx',
    instanceType: 'dmz.h100x1.pcie',
    ...extra,
  };
}

async function lifecycleOf(client: CloudClient, cloudId: string): Promise<string> {
  return (await client.getInstance(cloudId)).status.lifecycle;
}

describe('creating a deployment', () => {
  let fake: LaunchPadFake;
  useFake({ before, after }, (f) => (fake = f), { addresses: true });

  it('asks for the catalog entry, with the key and the correlation tags', async () => {
    const { client, cloudCredRefId } = clientFor(fake, {
      credential: fake.launchpadCredential({ requestId: 'TRY-77', lifetimeDays: 0 }),
    });
    const input = attrs({ name: 'training box', tags: { team: 'vision' } });
    const created = await client.createInstance(input);
    InstanceSchema.parse(created);
    const sent = fake.requests.filter((r) => `${r.method} ${r.path}` === CREATE).at(-1)?.body;
    assert.deepEqual(sent, {
      experience_id: fake.launchpadCredential().experienceId,
      org_name: 'Cloudplane Test',
      requester_name: 'Test Operator',
      requester_email: 'operator@example.com',
      request_id: 'TRY-77',
      lifetime: 0,
      provider_name: 'dmz',
      region: 'pdx',
      gpu_model: 'H100',
      gpu_count: 1,
      node_count: 1,
      public_key: keys.publicKey,
      tags: {
        team: 'vision',
        [TAG_KEYS.refId]: input.refId,
        [TAG_KEYS.cloudCredRefId]: cloudCredRefId,
        [TAG_KEYS.instanceType]: 'dmz.h100x1.pcie',
        [TAG_KEYS.location]: 'pdx',
        [TAG_KEYS.name]: 'training box',
      },
      pipelines: [],
      services: [],
    });
    assert.equal(created.refId, input.refId);
    assert.equal(created.cloudCredRefId, cloudCredRefId);
    assert.equal(created.instanceTypeId, 'pdx/dmz.h100x1.pcie');
    assert.equal(created.name, 'training box');
    assert.equal(created.cloud, 'dmz');
    assert.deepEqual(created.tags, { team: 'vision' });
    assert.equal(created.sshUser, 'nvidia');
    assert.equal(created.sshPort, 2222);
    assert.ok(['waiting', 'starting', 'ready'].includes(created.status.native));
    await client.terminateInstance(created.cloudId);
  });

  it('reaches running with the cluster address, and is listed until destroyed', async () => {
    const { client } = clientFor(fake);
    const created = await client.createInstance(attrs());
    await eventually(
      async () => (await lifecycleOf(client, created.cloudId)) === 'running',
      'ready',
    );
    const running = await client.getInstance(created.cloudId);
    assert.match(running.publicIp ?? '', /^198\.51\.100\.\d+$/);
    assert.equal(running.hostname, null);
    const listed = await client.listInstances({ instanceIds: [created.cloudId] });
    assert.equal(listed.length, 1);
    await client.terminateInstance(created.cloudId);
    await eventually(
      async () => (await lifecycleOf(client, created.cloudId)) === 'terminated',
      'destroyed',
    );
    assert.deepEqual(await client.listInstances({ instanceIds: [created.cloudId] }), []);
    const lists = fake.requests.filter((r) => r.path === '/v1/catalog/deployments/');
    const last = lists[lists.length - 1];
    assert.ok(last);
    assert.equal(last.query.get('state_not'), 'destroyed');
    assert.equal(last.query.get('expand'), 'cluster');
  });

  it('a workshop type asks for its workshop', async () => {
    const { client } = clientFor(fake);
    const created = await client.createInstance(
      attrs({ location: 'eu-north1', instanceType: 'nebius.l4x1.pcie.january-training' }),
    );
    const sent = fake.requests.filter((r) => `${r.method} ${r.path}` === CREATE).at(-1)?.body;
    assert.equal((sent as Record<string, unknown>).workshop_id, 'January training');
    assert.equal((sent as Record<string, unknown>).workshop, true);
    await client.terminateInstance(created.cloudId);
  });

  it('refuses what a deployment cannot honour, before any request', async () => {
    const { client } = clientFor(fake);
    const before = countRequests(fake, CREATE);
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
      [{ tags: { [TAG_KEYS.refId]: 'mine' } }, /kept by cloudplane/],
      [{ instanceType: 'dmz.b200x8.sxm' }, /no instance type "dmz.b200x8.sxm" in "pdx"/],
      [{ location: 'us-tx-1' }, /no instance type/],
    ];
    for (const [extra, message] of refused) {
      const err = await client.createInstance(attrs(extra)).catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'INVALID_ARGUMENT'), `${JSON.stringify(extra)}: ${String(err)}`);
      assert.match(err.message, message);
    }
    assert.equal(countRequests(fake, CREATE), before);
  });

  it('adopts the earlier deployment when the same refId is created again', async () => {
    const { client } = clientFor(fake);
    const input = attrs();
    const first = await client.createInstance(input);
    const before = countRequests(fake, CREATE);
    const again = await client.createInstance(input);
    assert.equal(again.cloudId, first.cloudId);
    assert.equal(countRequests(fake, CREATE), before);
    await client.terminateInstance(first.cloudId);
  });

  it('adopts a deployment whose create answer was lost', async () => {
    const { client } = clientFor(fake);
    fake.inject(CREATE, { afterHandling: true, drop: true });
    const before = countRequests(fake, CREATE);
    const created = await client.createInstance(attrs());
    assert.equal(countRequests(fake, CREATE) - before, 1);
    assert.ok(fake.deployments.has(created.cloudId));
    await client.terminateInstance(created.cloudId);
  });

  it('destroys a deployment that comes back without its tags, and fails', async () => {
    const stripping = rewritingFetch(({ method, path }, body) =>
      method === 'GET' && /deployments\/[0-9a-f-]{36}\/$/.test(path)
        ? { ...(body as object), tags: {} }
        : body,
    );
    const { client } = clientFor(fake, { fetch: stripping });
    const liveBefore = fake.live().length;
    const err = await client.createInstance(attrs()).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INTERNAL'), String(err));
    assert.match(err.message, /did not keep the tags/);
    assert.equal(fake.live().length, liveBefore);
  });
});

describe('a deployment after create', () => {
  let fake: LaunchPadFake;
  useFake({ before, after }, (f) => (fake = f));

  it('stops and starts through deployment tasks', async () => {
    const { client } = clientFor(fake);
    const created = await client.createInstance(attrs());
    const ops = client.stopStart;
    assert.ok(ops);
    await eventually(
      async () => (await lifecycleOf(client, created.cloudId)) === 'running',
      'ready',
    );
    await ops.stopInstance(created.cloudId);
    const task = fake.requests[fake.requests.length - 1];
    assert.ok(task);
    assert.equal(task.path, `/v1/catalog/deployments/${created.cloudId}/tasks/`);
    assert.deepEqual(task.body, { action: 'stop_instances', deployment: created.cloudId });
    await eventually(
      async () => (await lifecycleOf(client, created.cloudId)) === 'stopped',
      'stopped',
    );
    const refused = await ops.stopInstance(created.cloudId).catch((e: unknown) => e);
    assert.ok(isCloudError(refused, 'INVALID_ARGUMENT'), String(refused));
    await ops.startInstance(created.cloudId);
    await eventually(
      async () => (await lifecycleOf(client, created.cloudId)) === 'running',
      'ready again',
    );
    await client.terminateInstance(created.cloudId);
  });

  it('reports a task LaunchPad answers as failed', async () => {
    const failing = rewritingFetch(({ path }, body) =>
      path.endsWith('/tasks/')
        ? { ...(body as object), status: 'failed', status_text: 'BMC unreachable' }
        : body,
    );
    const { client } = clientFor(fake, { fetch: failing });
    const created = await client.createInstance(attrs());
    await eventually(
      async () => (await lifecycleOf(client, created.cloudId)) === 'running',
      'ready',
    );
    const err = await client.stopStart?.stopInstance(created.cloudId).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INTERNAL'), String(err));
    assert.match(err.message, /BMC unreachable/);
    await client.terminateInstance(created.cloudId);
  });

  it('merges tags, keeping the correlation', async () => {
    const { client, cloudCredRefId } = clientFor(fake);
    const created = await client.createInstance(attrs({ tags: { team: 'vision', stage: 'dev' } }));
    await client.tags?.updateTags(created.cloudId, { stage: 'prod', owner: 'ada' });
    const seen = await client.getInstance(created.cloudId);
    assert.deepEqual(seen.tags, { team: 'vision', stage: 'prod', owner: 'ada' });
    assert.equal(seen.refId, created.refId);
    assert.equal(seen.cloudCredRefId, cloudCredRefId);
    assert.equal(seen.instanceTypeId, created.instanceTypeId);
    const err = await client.tags
      ?.updateTags(created.cloudId, { [TAG_KEYS.cloudCredRefId]: 'other' })
      .catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INVALID_ARGUMENT'), String(err));
    await client.terminateInstance(created.cloudId);
  });

  it('reports a deployment LaunchPad gave up on as failed, and still destroys it', async () => {
    const { client } = clientFor(fake);
    const created = await client.createInstance(attrs());
    fake.forceState(created.cloudId, 'error');
    assert.deepEqual((await client.getInstance(created.cloudId)).status, {
      lifecycle: 'failed',
      native: 'error',
    });
    fake.forceState(created.cloudId, undefined);
    await client.terminateInstance(created.cloudId);
    assert.equal(fake.live().length, 0);
  });

  it('terminates idempotently: twice, after it is destroyed, and an unknown id', async () => {
    const { client } = clientFor(fake);
    const created = await client.createInstance(attrs());
    await client.terminateInstance(created.cloudId);
    await client.terminateInstance(created.cloudId);
    await eventually(
      async () => (await lifecycleOf(client, created.cloudId)) === 'terminated',
      'destroyed',
    );
    // The fake, like a DRF service, refuses to destroy a destroyed deployment (400).
    await client.terminateInstance(created.cloudId);
    await client.terminateInstance(randomUUID());
  });

  it("reports the creator's cloudCredRefId to another credential's client", async () => {
    const creator = clientFor(fake);
    const other = clientFor(fake);
    const created = await creator.client.createInstance(attrs());
    const seen = await other.client.getInstance(created.cloudId);
    assert.equal(seen.cloudCredRefId, creator.cloudCredRefId);
    const listed = await other.client.listInstances({ instanceIds: [created.cloudId] });
    assert.equal(listed[0]?.cloudCredRefId, creator.cloudCredRefId);
    await creator.client.terminateInstance(created.cloudId);
  });

  it('lists every page of deployments, oldest first', async () => {
    const { client } = clientFor(fake);
    const made = [];
    for (let i = 0; i < 5; i++)
      made.push(
        await client.createInstance(
          attrs({ location: 'us-tx-1', instanceType: 'oci.a100-80gbx1.sxm' }),
        ),
      );
    const before = fake.requests.length;
    const listed = await client.listInstances({ locations: ['us-tx-1'] });
    assert.deepEqual(
      listed.map((i) => i.cloudId),
      made.map((i) => i.cloudId),
    );
    const pages = fake.requests.slice(before).map((r) => r.query.get('page'));
    assert.ok(pages.length >= 3, `pages read: ${pages.join(',')}`);
    for (const m of made) await client.terminateInstance(m.cloudId);
  });
});
