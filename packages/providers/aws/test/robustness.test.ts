import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { generateSshKeyPair, InstanceSchema, isCloudError } from '@cloudplane/sdk';
import { TAG_REF_ID } from '../src/index.js';
import type { Ec2Fake } from './fake/ec2-fake.js';
import { clientFor, testProvider, useFake, withFake } from './helpers.js';
import { AwsCredentialSchema } from '../src/index.js';

/**
 * What the fake cannot send (it only sends what the model allows): answers from a later API
 * version with elements the model does not know, and answers garbled on the way. A fetch wrapper
 * changes the fake's (model-valid) answers before the SDK reads them.
 */

function rewritingFetch(rewrite: (xml: string) => string): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const text = await response.text();
    return new Response(rewrite(text), { status: response.status, headers: response.headers });
  };
}

/** Adds an element nobody knows inside every element that has children. */
function withUnknownElements(xml: string): string {
  return xml.replace(/<(\w+)>(?=<[^/])/g, '<$1><addedLater><nested>1</nested></addedLater>');
}

const keys = generateSshKeyPair();

describe('answers the model does not describe yet', () => {
  let fake: Ec2Fake;
  useFake({ before, after }, (f) => (fake = f));

  it('tolerates unknown elements in every answer', async () => {
    let rewritten = 0;
    const { client } = clientFor(fake, {
      fetch: rewritingFetch((xml) => {
        rewritten++;
        return withUnknownElements(xml);
      }),
    });
    assert.ok((await client.getLocations()).length > 0);
    assert.ok((await client.getInstanceTypes()).some((t) => t.type === 'g5.xlarge'));
    const created = await client.createInstance({
      refId: randomUUID(),
      publicKey: keys.publicKey,
      location: 'us-east-1',
      instanceType: 'g5.xlarge',
    });
    InstanceSchema.parse(created);
    assert.equal((await client.getInstance(created.cloudId)).cloudId, created.cloudId);
    assert.ok((await client.listInstances()).some((i) => i.cloudId === created.cloudId));
    await client.terminateInstance(created.cloudId);
    const err = await client.getInstance('i-0000000000000000f').catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INSTANCE_NOT_FOUND'), 'error answers with extra elements too');
    assert.ok(rewritten >= 10);
  });

  it('maps a state the model does not list to the logged fallback', async () => {
    const { client, logger } = clientFor(fake);
    const created = await client.createInstance({
      refId: randomUUID(),
      publicKey: keys.publicKey,
      location: 'us-east-1',
      instanceType: 'g5.xlarge',
    });
    const rewrite = rewritingFetch((xml) =>
      xml.replace(/<name>(pending|running)<\/name>/g, '<name>hibernating</name>'),
    );
    const seen = await clientFor(fake, { fetch: rewrite, logger }).client.getInstance(
      created.cloudId,
    );
    assert.deepEqual(seen.status, { lifecycle: 'pending', native: 'hibernating' });
    assert.ok(logger.entries.some((e) => e.obj.native === 'hibernating' && e.level === 'warn'));
    await client.terminateInstance(created.cloudId);
  });

  it('retries a garbled read, and fails with INTERNAL when it stays garbled', async () => {
    let garble = 1;
    const garbling: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (garble-- > 0)
        return new Response('<DescribeRegionsResponse><regionInfo>', { status: 200 });
      return response;
    };
    const { client } = clientFor(fake, { fetch: garbling });
    assert.ok((await client.getLocations()).length > 0);
    garble = 99;
    const err = await client.getLocations().catch((e: unknown) => e);
    assert.ok(isCloudError(err), String(err));
    assert.equal(err.code, 'INTERNAL');
  });

  it('a dropped connection is SERVICE_UNAVAILABLE after the retries', async () => {
    const { client } = clientFor(fake);
    const remove = fake.inject('DescribeRegions', { drop: true, times: 99 });
    try {
      const err = await client.getLocations().catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'SERVICE_UNAVAILABLE'), String(err));
    } finally {
      remove();
    }
  });

  it('honours the abort signal', async () => {
    const controller = new AbortController();
    const slow: typeof fetch = (input, init) =>
      new Promise((resolve, reject) => {
        const signal = init?.signal;
        if (signal?.aborted === true) {
          reject(signal.reason as Error);
          return;
        }
        signal?.addEventListener('abort', () => {
          reject(signal.reason as Error);
        });
        setTimeout(() => void fetch(input, init).then(resolve, reject), 60_000).unref();
      });
    const client = testProvider().makeClient({
      credential: AwsCredentialSchema.parse(fake.credential()),
      cloudCredRefId: 'c',
      fetch: slow,
      signal: controller.signal,
    });
    const pending = client.getInstanceTypes();
    controller.abort(new Error('shutting down'));
    await assert.rejects(pending, /shutting down/);
  });
});

describe('foreign instances and pages', () => {
  it('skips instances without complete correlation tags and reads every page', async () => {
    await withFake({ pageSize: 2 }, async (fake) => {
      const { client, logger } = clientFor(fake);
      const ours = [];
      for (let i = 0; i < 5; i++) {
        ours.push(
          await client.createInstance({
            refId: randomUUID(),
            publicKey: keys.publicKey,
            location: 'us-east-1',
            instanceType: 'g4dn.xlarge',
          }),
        );
      }
      fake.addForeignInstance('us-east-1', { Name: 'someone else' });
      const half = fake.addForeignInstance('us-east-1', { [TAG_REF_ID]: 'orphan' });
      const before = fake.countRequests('DescribeInstances');
      const listed = await client.listInstances();
      assert.deepEqual(listed.map((i) => i.cloudId).sort(), ours.map((i) => i.cloudId).sort());
      assert.equal(
        fake.countRequests('DescribeInstances') - before,
        3,
        '6 tagged instances in pages of 2',
      );
      const warned = logger.entries.filter((e) => e.obj.cloudId === half.id && e.level === 'warn');
      assert.equal(warned.length, 1);
      await client.listInstances();
      assert.equal(
        logger.entries.filter((e) => e.obj.cloudId === half.id).length,
        1,
        'warned once',
      );
      for (const i of ours) await client.terminateInstance(i.cloudId);
    });
  });

  it('fails the list when a page fails: never a partial list', async () => {
    await withFake({ pageSize: 1 }, async (fake) => {
      const { client } = clientFor(fake, { retry: { attempts: 1 } });
      const a = await client.createInstance({
        refId: randomUUID(),
        publicKey: keys.publicKey,
        location: 'us-east-1',
        instanceType: 'g4dn.xlarge',
      });
      const b = await client.createInstance({
        refId: randomUUID(),
        publicKey: keys.publicKey,
        location: 'us-east-1',
        instanceType: 'g4dn.xlarge',
      });
      const failSecondPage: typeof fetch = async (input, init) => {
        if ((typeof init?.body === 'string' ? init.body : '').includes('NextToken'))
          fake.inject('DescribeInstances', { code: 'InternalError' });
        return fetch(input, init);
      };
      const failing = clientFor(fake, { retry: { attempts: 1 }, fetch: failSecondPage }).client;
      const err = await failing.listInstances().catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'INTERNAL'), String(err));
      assert.equal((await client.listInstances()).length, 2);
      await client.terminateInstance(a.cloudId);
      await client.terminateInstance(b.cloudId);
    });
  });
});
