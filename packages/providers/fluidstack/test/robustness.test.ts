import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { generateSshKeyPair, InstanceSchema, isCloudError } from '@cloudplane/sdk';
import type { FluidstackFake } from './fake/fluidstack-fake.js';
import { clientFor, countRequests, testProvider, useFake } from './helpers.js';

/**
 * What the fake cannot send (it only sends what the spec allows): answers from a later version
 * of the API with fields and values the spec does not know yet, garbled answers, and instances
 * made outside cloudplane. A fetch wrapper changes the fake's (spec-valid) answers before the
 * adapter reads them.
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
      return new Response(text === '' ? null : text, response);
    }
    const path = new URL(request.url).pathname.replace(/^\/[^/]+\/api\/v1alpha1/, '');
    return new Response(JSON.stringify(rewrite(path, body)), {
      status: response.status,
      headers: response.headers,
    });
  };
}

/** Adds a field nobody knows to every object in the answer (not inside `tags`). */
function withUnknownFields(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => withUnknownFields(v));
  if (value !== null && typeof value === 'object' && key !== 'tags') {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) copy[k] = withUnknownFields(v, k);
    copy.x_added_in_a_later_version = { nested: true };
    return copy;
  }
  return value;
}

const keys = generateSshKeyPair();

describe('answers the spec does not describe yet', () => {
  let fake: FluidstackFake;
  useFake({ before, after }, (f) => (fake = f));

  const launchIn = (client: ReturnType<typeof clientFor>['client']) =>
    client.createInstance({
      refId: randomUUID(),
      publicKey: keys.publicKey,
      location: 'us-west-1',
      instanceType: 'l40s-48gb.1x',
    });

  it('tolerates an unknown field in every object of every answer', async () => {
    let rewritten = 0;
    const { client } = clientFor(fake, {
      fetch: rewritingFetch((_path, body) => {
        rewritten++;
        return withUnknownFields(body);
      }),
    });
    const types = await client.getInstanceTypes();
    assert.ok(types.some((t) => t.type === 'l40s-48gb.1x'));
    const created = await launchIn(client);
    InstanceSchema.parse(created);
    assert.equal((await client.getInstance(created.cloudId)).cloudId, created.cloudId);
    assert.equal((await client.listInstances()).length, 1);
    await client.terminateInstance(created.cloudId);
    const err = await client.getInstance(randomUUID()).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INSTANCE_NOT_FOUND'), 'error bodies with extra fields too');
    assert.ok(rewritten >= 6);
  });

  it('maps a state the spec does not list to the logged fallback', async () => {
    const { client: plain } = clientFor(fake);
    const created = await launchIn(plain);
    const { client, logger } = clientFor(fake, {
      fetch: rewritingFetch((path, body) =>
        path.startsWith('/instances/') ? { ...(body as object), state: 'migrating' } : body,
      ),
    });
    const seen = await client.getInstance(created.cloudId);
    assert.deepEqual(seen.status, { lifecycle: 'pending', native: 'migrating' });
    assert.ok(logger.entries.some((e) => e.obj.native === 'migrating' && e.level === 'warn'));
    await plain.terminateInstance(created.cloudId);
  });

  it('fails the whole list when its answer fails, never a partial list', async () => {
    const { client: plain } = clientFor(fake);
    const created = await launchIn(plain);
    const remove = fake.inject('GET /instances', { status: 500, times: 99 });
    try {
      const err = await plain.listInstances().catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'INTERNAL'), String(err));
    } finally {
      remove();
    }
    assert.equal((await plain.listInstances()).length, 1);
    await plain.terminateInstance(created.cloudId);
  });

  it('skips instances made outside cloudplane, warning once, and hides them from get', async () => {
    const foreign = fake.addInstance('us-west-1', { name: 'console-made', tags: { team: 'x' } });
    const half = fake.addInstance('us-west-1', {
      name: 'half-tagged',
      tags: { 'cloudplane.ref-id': 'r' },
    });
    const { client, logger } = clientFor(fake);
    const listed = (await client.listInstances()).map((i) => i.cloudId);
    assert.ok(!listed.includes(foreign) && !listed.includes(half), 'foreign instances skipped');
    await client.listInstances();
    const warnings = logger.entries.filter((e) => /did not create/.test(e.msg));
    assert.deepEqual(warnings.map((w) => w.obj.cloudId).sort(), [foreign, half].sort());
    const err = await client.getInstance(foreign).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INSTANCE_NOT_FOUND'), String(err));
    await client.terminateInstance(foreign);
    await client.terminateInstance(half);
  });

  it('takes the first-seen time when the creation-time tag is missing or unreadable', async () => {
    const { client: plain } = clientFor(fake);
    const created = await launchIn(plain);
    const at = new Date('2030-01-02T03:04:05.000Z');
    const { client } = clientFor(fake, {
      now: () => at,
      fetch: rewritingFetch((_p, body) => {
        const strip = (i: unknown) => {
          const instance = i as { tags?: Record<string, string> };
          return { ...instance, tags: { ...instance.tags, 'cloudplane.created-at': 'yesterday' } };
        };
        return Array.isArray(body) ? body.map(strip) : strip(body);
      }),
    });
    assert.equal((await client.getInstance(created.cloudId)).createdAt, at.toISOString());
    await plain.terminateInstance(created.cloudId);
  });

  it('retries a garbled read, and fails with INTERNAL when it stays garbled', async () => {
    let garble = 1;
    const garbling: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (garble-- > 0) return new Response('[{"id": ', { status: 200 });
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
      const request = input instanceof Request ? input : new Request(input, init);
      if (request.method === 'POST' && new URL(request.url).pathname.endsWith('/instances')) {
        return new Response('<html>', { status: 201 });
      }
      return response;
    };
    const { client } = clientFor(fake, { fetch: garbling });
    const before = countRequests(fake, 'POST /instances');
    const created = await launchIn(client);
    assert.equal(countRequests(fake, 'POST /instances') - before, 1);
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
    const client = testProvider().makeClient({
      credential: fake.fluidstackCredential,
      cloudCredRefId: 'c',
      location: 'us-west-1',
      fetch: slow,
      signal: controller.signal,
    });
    const pending = client.getInstanceTypes();
    controller.abort(new Error('shutting down'));
    await assert.rejects(pending, /shutting down/);
  });
});
