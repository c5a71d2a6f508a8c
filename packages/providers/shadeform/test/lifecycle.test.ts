import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { InstanceSchema, isCloudError, waitForStatus, type CloudClient } from '@cloudplane/sdk';
import { assertForeignSkipped } from '@cloudplane/provider-testkit';
import { correlationTag, readCorrelation } from '../src/index.js';
import { testKeys } from './fake/shadeform-fake.js';
import { attrs, clientFor, countRequests, useFake, withFake } from './helpers.js';

const LAUNCH = 'POST /instances/create';

async function running(client: CloudClient, cloudId: string) {
  return waitForStatus(() => client.getInstance(cloudId), 'running', {
    timeoutMs: 30_000,
    intervalMs: 20,
  });
}

describe('lifecycle against the fake', () => {
  const fake = useFake({ before, after });

  it('creates, gets, lists and terminates an instance, correlation and ids intact', async () => {
    const { client, cloudCredRefId } = clientFor(fake());
    const refId = randomUUID();
    const release = fake().holdBoots();
    const created = await client
      .createInstance(attrs({ refId, name: 'nightly training', tags: { team: 'ml' } }))
      .finally(release);
    InstanceSchema.parse(created);
    assert.equal(created.refId, refId);
    assert.equal(created.cloudCredRefId, cloudCredRefId);
    assert.equal(created.instanceTypeId, 'us-central-1/massedcompute.A6000');
    assert.equal(created.instanceType, 'massedcompute.A6000');
    assert.equal(created.cloud, 'massedcompute');
    assert.equal(created.provider, 'shadeform');
    const catalog = await client.getInstanceTypes({ instanceTypes: ['massedcompute.A6000'] });
    assert.ok(catalog.some((t) => t.id === created.instanceTypeId));
    assert.equal(created.status.lifecycle, 'pending');
    assert.equal(created.sshUser, 'shadeform');
    assert.equal(created.sshPort, 22);
    assert.deepEqual(created.tags, { team: 'ml' });
    assert.equal(created.name, 'nightly training');
    const wire = fake().instances.get(created.cloudId);
    assert.deepEqual(readCorrelation(wire?.tags), { refId, cloudCredRefId });
    assert.ok(wire?.tags.includes('team=ml'));

    const up = await running(client, created.cloudId);
    assert.equal(up?.status.native, 'active');
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
    assert.equal((await client.listInstances({ tagFilters: { team: ['ml'] } })).length, 1);
    assert.deepEqual(await client.listInstances({ locations: ['FIN-01'] }), []);

    await client.terminateInstance(created.cloudId);
    assert.equal((await client.getInstance(created.cloudId)).status.lifecycle, 'terminating');
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
    const creator = clientFor(fake());
    const other = clientFor(fake());
    const created = await creator.client.createInstance(attrs());
    try {
      const seen = await other.client.getInstance(created.cloudId);
      assert.equal(seen.cloudCredRefId, creator.cloudCredRefId);
      assert.equal(seen.refId, created.refId);
    } finally {
      await creator.client.terminateInstance(created.cloudId);
    }
  });

  it('merges tags, keeping the correlation tag', async () => {
    const { client, cloudCredRefId } = clientFor(fake());
    const created = await client.createInstance(attrs({ tags: { team: 'ml', stage: 'dev' } }));
    assert.ok(client.tags);
    await client.tags.updateTags(created.cloudId, { stage: 'prod', owner: 'alice' });
    const after = await client.getInstance(created.cloudId);
    assert.deepEqual(after.tags, { team: 'ml', stage: 'prod', owner: 'alice' });
    assert.equal(after.cloudCredRefId, cloudCredRefId);
    assert.equal(after.refId, created.refId);
    const unknown = await client.tags.updateTags('nope', { a: 'b' }).catch((e: unknown) => e);
    assert.ok(isCloudError(unknown, 'INSTANCE_NOT_FOUND'), String(unknown));
    // A key in the correlation tag's space could pass for another launch's ids: refused.
    const posing = `cloudplane--${randomUUID()}--${randomUUID()}`;
    const refused = await client.tags
      .updateTags(created.cloudId, { [posing]: '' })
      .catch((e: unknown) => e);
    assert.ok(isCloudError(refused, 'INVALID_ARGUMENT'), String(refused));
    assert.match(refused.message, /keeps for its correlation tag/);
    const launch = await client
      .createInstance(attrs({ tags: { [posing]: 'x' } }))
      .catch((e: unknown) => e);
    assert.ok(isCloudError(launch, 'INVALID_ARGUMENT'), String(launch));
    // One already on the instance (set in the console) does not block updating the others.
    fake().instances.get(created.cloudId)?.tags.push('cloudplane--set-by-hand');
    await client.tags.updateTags(created.cloudId, { stage: 'qa' });
    assert.equal((await client.getInstance(created.cloudId)).tags.stage, 'qa');
    await client.terminateInstance(created.cloudId);
  });

  it("reads the correlation tag only from a string without '=', never from a caller's tag", () => {
    const ids = { refId: randomUUID(), cloudCredRefId: randomUUID() };
    const posing = `cloudplane--${randomUUID()}--${randomUUID()}=`;
    assert.deepEqual(readCorrelation([posing, correlationTag(ids)]), ids);
    assert.equal(readCorrelation([posing]), null);
  });

  it('reuses a key with the same material whatever its name, and never deletes keys', () =>
    withFake({}, async (own) => {
      const reformatted = `${testKeys.publicKey.split(' ').slice(0, 2).join(' ')} other-comment\n`;
      const mine = own.addKey('macbook-pro', reformatted);
      const { client } = clientFor(own);
      const created = await client.createInstance(attrs());
      assert.equal(countRequests(own, 'POST /sshkeys/add'), 0);
      assert.equal(own.instances.get(created.cloudId)?.sshKeyId, mine.id);
      await client.terminateInstance(created.cloudId);
      assert.equal(
        own.requests.filter((r) => r.path.endsWith('/delete') && r.path.startsWith('/sshkeys'))
          .length,
        0,
      );
      assert.equal(own.sshKeys.length, 2, "the spec's example key and the user's");
    }));

  it('registers a missing key once, then reuses it (an unreadable key never matches)', () =>
    withFake({}, async (own) => {
      const { client } = clientFor(own);
      const first = await client.createInstance(attrs());
      const second = await client.createInstance(attrs());
      assert.equal(countRequests(own, 'POST /sshkeys/add'), 1);
      const key = own.sshKeys.at(-1);
      assert.ok(key);
      assert.equal(key.public_key, testKeys.publicKey);
      assert.equal(own.instances.get(first.cloudId)?.sshKeyId, key.id);
      assert.equal(own.instances.get(second.cloudId)?.sshKeyId, key.id);
    }));

  it('skips instances cloudplane did not create, with one warning each', () =>
    withFake({}, async (own) => {
      const plain = own.addInstance({ tags: [] });
      const tagged = own.addInstance({ tags: ['prod', 'team=ml'] });
      const lookalike = own.addInstance({ tags: ['cloudplane--only-one-part'] });
      const { client, logger } = clientFor(own);
      const ours = await client.createInstance(
        attrs({ location: 'FIN-01', instanceType: 'datacrunch.A100_80G' }),
      );
      await assertForeignSkipped({
        client,
        logger,
        foreign: [plain, tagged, lookalike],
        ours: [ours.cloudId],
      });
    }));

  it('surfaces exhausted capacity as INSUFFICIENT_CAPACITY and leaves nothing behind', async () => {
    const { client } = clientFor(fake());
    fake().setCapacity('denvr', 'GH200', 'us-houston-1', 1);
    const gh200 = { location: 'us-houston-1', instanceType: 'denvr.GH200' };
    const one = await client.createInstance(attrs(gh200));
    const before = fake().live().length;
    const err = await client.createInstance(attrs(gh200)).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INSUFFICIENT_CAPACITY'), String(err));
    assert.equal(err.scope, 'offer');
    assert.match(err.message, /out of stock/);
    assert.equal(fake().live().length, before);
    const [type] = await client.getInstanceTypes({
      instanceTypes: ['denvr.GH200'],
      locations: ['us-houston-1'],
    });
    assert.equal(type?.available, false, 'sold out keeps its id, unavailable');
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

  it('refuses what Shadeform cannot do, before asking Shadeform anything', async () => {
    const { client } = clientFor(fake());
    const asked = fake().requests.length;
    const refused: [Parameters<typeof attrs>[0], RegExp][] = [
      [{ diskSize: { value: 100, unit: 'GB' } }, /diskSize/],
      [{ subLocation: 'a' }, /subLocation/],
      [{ instanceType: 'A6000' }, /not a Shadeform type name/],
      [{ userData: '#cloud-config\nruncmd: []' }, /startup script/],
      [{ tags: { 'a=b': 'c' } }, /contains "="/],
      [{ publicKey: 'not a key' }, /publicKey/],
      [
        {
          firewallRules: {
            ingress: [{ protocol: 'tcp', fromPort: 9000, toPort: 8000, cidrs: ['0.0.0.0/0'] }],
            egress: [],
          },
        },
        /firewallRules/,
      ],
    ];
    for (const [extra, why] of refused) {
      const err = await client.createInstance(attrs(extra)).catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'INVALID_ARGUMENT'), `${JSON.stringify(extra)}: ${String(err)}`);
      assert.match(err.message, why);
    }
    assert.equal(fake().requests.length, asked, 'no request reached Shadeform');
  });

  it('puts the firewall in front of the user script, and passes imageId as the OS', async () => {
    const { client } = clientFor(fake());
    const created = await client.createInstance(
      attrs({
        userData: '#!/bin/sh\necho hello-from-user',
        imageId: 'ubuntu22.04_cuda12.2_shade_os',
        firewallRules: {
          ingress: [{ protocol: 'tcp', fromPort: 8080, toPort: 8080, cidrs: ['203.0.113.0/24'] }],
          egress: [],
        },
      }),
    );
    const wire = fake().instances.get(created.cloudId);
    assert.equal(wire?.os, 'ubuntu22.04_cuda12.2_shade_os');
    const config = wire.launchConfiguration as {
      type: string;
      script_configuration: { base64_script: string };
    };
    assert.equal(config.type, 'script');
    const script = Buffer.from(config.script_configuration.base64_script, 'base64').toString();
    assert.ok(script.indexOf('cloudplane-firewall') < script.indexOf('hello-from-user'));
    assert.match(script, /203\.0\.113\.0\/24/);
    await client.terminateInstance(created.cloudId);
  });

  it('sends no script for empty rules and no user data', async () => {
    const { client } = clientFor(fake());
    const created = await client.createInstance(
      attrs({ firewallRules: { ingress: [], egress: [] } }),
    );
    assert.equal(fake().instances.get(created.cloudId)?.launchConfiguration, undefined);
    await client.terminateInstance(created.cloudId);
  });

  it('adopts a launch whose answer was lost instead of launching twice', async () => {
    const { client } = clientFor(fake());
    for (const fault of [
      { status: 500, afterHandling: true },
      { drop: true, afterHandling: true },
    ]) {
      const before = countRequests(fake(), LAUNCH);
      const live = fake().live().length;
      fake().inject(LAUNCH, fault);
      const request = attrs();
      const created = await client.createInstance(request);
      assert.equal(created.refId, request.refId);
      assert.equal(countRequests(fake(), LAUNCH) - before, 1, JSON.stringify(fault));
      assert.equal(fake().live().length, live + 1);
      await client.terminateInstance(created.cloudId);
    }
  });

  it('relaunches after a failure that launched nothing (5xx, dropped, 429)', async () => {
    const { client } = clientFor(fake());
    for (const fault of [{ status: 503 }, { drop: true }, { status: 429, retryAfter: '0' }]) {
      const before = countRequests(fake(), LAUNCH);
      const live = fake().live().length;
      fake().inject(LAUNCH, fault);
      const created = await client.createInstance(attrs());
      assert.equal(countRequests(fake(), LAUNCH) - before, 2, JSON.stringify(fault));
      assert.equal(fake().live().length, live + 1);
      await client.terminateInstance(created.cloudId);
    }
  });

  it('never relaunches after a 4xx', async () => {
    const { client } = clientFor(fake());
    const before = countRequests(fake(), LAUNCH);
    fake().inject(LAUNCH, { status: 400, message: 'Invalid request' });
    const err = await client.createInstance(attrs()).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INVALID_ARGUMENT'));
    assert.equal(countRequests(fake(), LAUNCH) - before, 1);
  });

  it('is idempotent by refId: a repeated create returns the same instance', async () => {
    const { client } = clientFor(fake());
    const request = attrs();
    const first = await client.createInstance(request);
    const before = countRequests(fake(), LAUNCH);
    const again = await client.createInstance(request);
    assert.equal(again.cloudId, first.cloudId);
    assert.equal(countRequests(fake(), LAUNCH), before);
    await client.terminateInstance(first.cloudId);
  });

  it('deletes what it launched when a step after the launch fails, and throws that error', async () => {
    const { client } = clientFor(fake());
    const live = fake().live().length;
    const remove = fake().inject('GET /instances/{id}/info', { status: 500, times: 50 });
    try {
      const err = await client.createInstance(attrs()).catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'INTERNAL'), String(err));
      assert.match(err.message, /get instance/);
    } finally {
      remove();
    }
    assert.equal(fake().live().length, live, 'the launched instance was deleted');
  });

  it('deletes the instance when Shadeform did not keep its tags', () =>
    withFake({ loseTags: true }, async (own) => {
      const { client } = clientFor(own);
      const err = await client.createInstance(attrs()).catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'INTERNAL'), String(err));
      assert.match(err.message, /did not keep the tags/);
      assert.equal(own.live().length, 0);
    }));

  it('names the instance to clean up when that deletion fails too', async () => {
    const { client } = clientFor(fake());
    const removeGet = fake().inject('GET /instances/{id}/info', { status: 500, times: 50 });
    const removeDelete = fake().inject('POST /instances/{id}/delete', { status: 500, times: 50 });
    let leaked: string | undefined;
    try {
      const err = await client.createInstance(attrs()).catch((e: unknown) => e);
      assert.ok(isCloudError(err), String(err));
      leaked = /terminating instance ([\w-]+) failed too/.exec(err.message)?.[1];
      assert.ok(leaked, err.message);
      assert.match(err.message, /terminate it by hand/);
    } finally {
      removeGet();
      removeDelete();
    }
    await client.terminateInstance(leaked);
  });

  it('reboots through restart', async () => {
    const { client } = clientFor(fake());
    const created = await client.createInstance(attrs());
    await running(client, created.cloudId);
    assert.ok(client.reboot);
    await client.reboot.rebootInstance(created.cloudId);
    assert.equal(fake().instances.get(created.cloudId)?.restarts, 1);
    await client.terminateInstance(created.cloudId);
    const unknown = await client.reboot.rebootInstance('nope').catch((e: unknown) => e);
    assert.ok(isCloudError(unknown, 'INSTANCE_NOT_FOUND'), String(unknown));
  });

  it('maps error to failed, with the status details as the message', async () => {
    const { client } = clientFor(fake());
    const created = await client.createInstance(attrs());
    fake().forceStatus(created.cloudId, 'error');
    const seen = await client.getInstance(created.cloudId);
    assert.equal(seen.status.lifecycle, 'failed');
    assert.equal(seen.status.native, 'error');
    assert.equal(typeof seen.status.message, 'string');
    await client.terminateInstance(created.cloudId);
  });

  it('terminating an unknown id is done, getting it is INSTANCE_NOT_FOUND', async () => {
    const { client } = clientFor(fake());
    await client.terminateInstance('0000aaaa');
    const err = await client.getInstance('0000aaaa').catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INSTANCE_NOT_FOUND'));
  });
});
