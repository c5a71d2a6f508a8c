import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { generateSshKeyPair, InstanceSchema, isCloudError } from '@cloudplane/sdk';
import {
  assertListFailsWhole,
  garblingFetch,
  rewritingFetch,
  stallingFetch,
  withUnknownFields,
} from '@cloudplane/provider-testkit';
import type { LambdaFake } from './fake/lambda-fake.js';
import { clientFor, countRequests, testProvider, useFake } from './helpers.js';

/**
 * What the fake cannot send (it only sends what the spec allows): answers from a later version
 * of the API with fields and values the spec does not know yet, and answers garbled on the way.
 * The testkit's fetch wrappers change the fake's (spec-valid) answers before the adapter reads them.
 */

const BASE_PATH = '/api/v1';
const keys = generateSshKeyPair();

describe('answers the spec does not describe yet', () => {
  let fake: LambdaFake;
  useFake({ before, after }, (f) => (fake = f));

  it('tolerates an unknown field in every object of every answer', async () => {
    let rewritten = 0;
    const fetchWithFields = rewritingFetch(BASE_PATH, (path, body) => {
      rewritten++;
      if (path !== '/instance-types') return withUnknownFields(body);
      const { data } = body as { data: Record<string, unknown> };
      return {
        ...(withUnknownFields({}) as object),
        data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, withUnknownFields(v)])),
      };
    });
    const { client } = clientFor(fake, { fetch: fetchWithFields });
    const types = await client.getInstanceTypes();
    assert.ok(types.some((t) => t.type === 'gpu_1x_a10'));
    assert.ok((await client.getLocations()).length > 0);
    const created = await client.createInstance({
      refId: randomUUID(),
      publicKey: keys.publicKey,
      location: 'us-east-1',
      instanceType: 'gpu_1x_a10',
    });
    InstanceSchema.parse(created);
    assert.equal((await client.getInstance(created.cloudId)).cloudId, created.cloudId);
    assert.equal((await client.listInstances()).length, 1);
    assert.ok(client.reboot);
    await client.reboot.rebootInstance(created.cloudId);
    await client.terminateInstance(created.cloudId);
    const err = await client.getInstance('missing').catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INSTANCE_NOT_FOUND'), 'error bodies with extra fields too');
    assert.ok(rewritten >= 10);
  });

  it('maps a status the spec does not list to the logged fallback', async () => {
    const fetchWithStatus = rewritingFetch(BASE_PATH, (path, body) => {
      if (!path.startsWith('/instances')) return body;
      const { data } = body as { data: unknown };
      const restatus = (i: unknown) => ({ ...(i as object), status: 'hibernating' });
      return { data: Array.isArray(data) ? data.map(restatus) : restatus(data) };
    });
    const { client, logger } = clientFor(fake, { fetch: fetchWithStatus });
    const plain = clientFor(fake).client;
    const created = await plain.createInstance({
      refId: randomUUID(),
      publicKey: keys.publicKey,
      location: 'us-east-1',
      instanceType: 'gpu_1x_a10',
    });
    const seen = await client.getInstance(created.cloudId);
    assert.deepEqual(seen.status, { lifecycle: 'pending', native: 'hibernating' });
    assert.ok(logger.entries.some((e) => e.obj.native === 'hibernating' && e.level === 'warn'));
    await plain.terminateInstance(created.cloudId);
  });

  it('retries a garbled read, and fails with INTERNAL when it stays garbled', async () => {
    let garble = 1;
    const garbling = garblingFetch('{"data": [', () => garble-- > 0);
    const { client } = clientFor(fake, { fetch: garbling });
    assert.ok(Array.isArray(await client.listInstances()));
    garble = 99;
    const err = await client.listInstances().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INTERNAL'), String(err));
    assert.match(err.message, /cannot read/);
  });

  it('looks for the instance after a launch answer it cannot read, and adopts it', async () => {
    const garbling = garblingFetch(
      '<html>',
      () => true,
      (url) => url.endsWith('/instance-operations/launch'),
    );
    const { client } = clientFor(fake, { fetch: garbling });
    const before = countRequests(fake, 'POST /instance-operations/launch');
    const created = await client.createInstance({
      refId: randomUUID(),
      publicKey: keys.publicKey,
      location: 'us-east-1',
      instanceType: 'gpu_1x_a10',
    });
    assert.equal(countRequests(fake, 'POST /instance-operations/launch') - before, 1);
    assert.ok(fake.instances.has(created.cloudId));
    await client.terminateInstance(created.cloudId);
  });

  it('honours the abort signal', async () => {
    const controller = new AbortController();
    const client = testProvider().makeClient({
      credential: fake.credential,
      cloudCredRefId: 'c',
      fetch: stallingFetch(),
      signal: controller.signal,
    });
    const pending = client.getInstanceTypes();
    controller.abort(new Error('shutting down'));
    await assert.rejects(pending, /shutting down/);
  });

  it('fails the whole list, never returns part of it, while its page fails', async () => {
    const { client } = clientFor(fake, { retry: { attempts: 2 } });
    await assertListFailsWhole(client, () =>
      fake.inject('GET /instances', { status: 503, times: 1_000 }),
    );
    assert.ok(Array.isArray(await client.listInstances()), 'and lists again once it answers');
  });
});
