import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { generateSshKeyPair, InstanceSchema, isCloudError } from '@cloudplane/sdk';
import {
  assertCloudError,
  assertForeignSkipped,
  garblingFetch,
  settle,
  stallingFetch,
} from '@cloudplane/provider-testkit';
import type { FluidstackFake } from './fake/fluidstack-fake.js';
import { clientFor, countRequests, testProvider, useFake, withFake } from './helpers.js';

/**
 * What the fake cannot send (it only sends what the spec allows): answers from a later version
 * of the API with fields and values the spec does not know yet, garbled answers, and instances
 * made outside cloudplane. A fetch wrapper changes the fake's (spec-valid) answers before the
 * adapter reads them.
 *
 * The rewriting fetch and the unknown fields are this file's own, not the testkit's: Fluidstack's
 * API root differs per region (`/{region}/api/v1alpha1`, not one base path), DELETE answers 204
 * with no body, and `tags` is a map of strings whose keys are data, where a later API version
 * adds no field.
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
      assertCloudError(await settle(plain.listInstances()), 'INTERNAL');
    } finally {
      remove();
    }
    assert.equal((await plain.listInstances()).length, 1);
    await plain.terminateInstance(created.cloudId);
  });

  it('skips instances made outside cloudplane, warning once, and hides them from get', () =>
    // A fake of its own, so that the list holds only what this test made.
    withFake({}, async (own) => {
      const { client: plain } = clientFor(own);
      const ours = await launchIn(plain);
      const foreign = own.addInstance('us-west-1', { name: 'console-made', tags: { team: 'x' } });
      const half = own.addInstance('us-west-1', {
        name: 'half-tagged',
        tags: { 'cloudplane.ref-id': 'r' },
      });
      const { client, logger } = clientFor(own);
      await assertForeignSkipped({
        client,
        logger,
        foreign: [foreign, half],
        ours: [ours.cloudId],
      });
      await client.terminateInstance(foreign);
      await client.terminateInstance(half);
      await client.terminateInstance(ours.cloudId);
    }));

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
    const { client } = clientFor(fake, { fetch: garblingFetch('[{"id": ', () => garble-- > 0) });
    assert.ok(Array.isArray(await client.listInstances()));
    garble = 99;
    const err = assertCloudError(await settle(client.listInstances()), 'INTERNAL');
    assert.match(err.message, /cannot read/);
  });

  it('looks for the instance after a launch answer it cannot read, and adopts it', async () => {
    // The launch (POST) and the list (GET) share a path, and the adapter lists before it
    // launches: only the POST is garbled (the testkit's garblingFetch sees the URL only).
    const garbleLaunch = garblingFetch('<html>', () => true);
    const garbling: typeof fetch = (input, init) => {
      const method = input instanceof Request ? input.method : (init?.method ?? 'GET');
      return method === 'POST' ? garbleLaunch(input, init) : fetch(input, init);
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
    const client = testProvider().makeClient({
      credential: fake.fluidstackCredential,
      cloudCredRefId: 'c',
      location: 'us-west-1',
      fetch: stallingFetch(),
      signal: controller.signal,
    });
    const pending = client.getInstanceTypes();
    controller.abort(new Error('shutting down'));
    await assert.rejects(pending, /shutting down/);
  });
});
