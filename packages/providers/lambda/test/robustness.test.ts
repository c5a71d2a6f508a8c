import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { generateSshKeyPair, InstanceSchema, isCloudError } from '@cloudplane/sdk';
import type { LambdaFake } from './fake/lambda-fake.js';
import { clientFor, countRequests, useFake } from './helpers.js';

/**
 * What the fake cannot send (it only sends what the spec allows): answers from a later version
 * of the API with fields and values the spec does not know yet, and answers garbled on the way.
 * A fetch wrapper changes the fake's (spec-valid) answers before the adapter reads them.
 */

type Rewrite = (path: string, body: unknown) => unknown;

function rewritingFetch(rewrite: Rewrite): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const request = input instanceof Request ? input : new Request(input, init);
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return new Response(text, response);
    }
    const path = new URL(request.url).pathname.replace(/^\/api\/v1/, '');
    return new Response(JSON.stringify(rewrite(path, body)), {
      status: response.status,
      headers: response.headers,
    });
  };
}

/** Adds a field nobody knows to every object in the answer. */
function withUnknownFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withUnknownFields);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) copy[k] = withUnknownFields(v);
    // Not under `data` of /instance-types, whose keys are type names.
    copy.x_added_in_a_later_version = { nested: true };
    return copy;
  }
  return value;
}

const keys = generateSshKeyPair();

describe('answers the spec does not describe yet', () => {
  let fake: LambdaFake;
  useFake({ before, after }, (f) => (fake = f));

  it('tolerates an unknown field in every object of every answer', async () => {
    let rewritten = 0;
    const fetchWithFields = rewritingFetch((path, body) => {
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
    const fetchWithStatus = rewritingFetch((path, body) => {
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
    const garbling: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (garble-- > 0) return new Response('{"data": [', { status: 200 });
      return response;
    };
    const { client } = clientFor(fake, { fetch: garbling });
    assert.ok(Array.isArray(await client.listInstances()));
    garble = 99;
    const err = await client.listInstances().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INTERNAL'), String(err));
    assert.match(err.message, /cannot read/);
  });

  it('looks for the instance after a launch answer it cannot read, and adopts it', async () => {
    const garbling: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/instance-operations/launch'))
        return new Response('<html>', { status: 200 });
      return response;
    };
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
    const slow: typeof fetch = (input, init) =>
      new Promise((resolve, reject) => {
        const signal = input instanceof Request ? input.signal : init?.signal;
        signal?.addEventListener('abort', () => {
          reject(signal.reason as Error);
        });
        setTimeout(() => void fetch(input, init).then(resolve, reject), 60_000).unref();
      });
    const provider = (await import('./helpers.js')).testProvider();
    const client = provider.makeClient({
      credential: fake.credential,
      cloudCredRefId: 'c',
      fetch: slow,
      signal: controller.signal,
    });
    const pending = client.getInstanceTypes();
    controller.abort(new Error('shutting down'));
    await assert.rejects(pending, /shutting down/);
  });
});
