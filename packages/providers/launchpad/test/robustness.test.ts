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
import { allPages, LaunchPadCredentialSchema, MAX_PAGES } from '../src/index.js';
import type { LaunchPadFake } from './fake/launchpad-fake.js';
import { clientFor, countRequests, rewritingFetch, testProvider, useFake } from './helpers.js';

/**
 * What the fake cannot send (it only sends what the spec allows): answers of a later API version
 * with fields and values the spec does not know yet, pages that fail or never end, deployments
 * made outside cloudplane, and answers garbled on the way.
 */

/** Maps whose keys are data (capacity per region, tags), not field names. */
const MAPS = new Set(['capacity', 'tags']);

/**
 * Adds a field nobody knows to every object of the answer but the data maps (the testkit's
 * withUnknownFields adds one inside those too, where a later API version adds none).
 */
function withUnknownFields(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => withUnknownFields(v));
  if (value === null || typeof value !== 'object' || MAPS.has(key)) return value;
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) copy[k] = withUnknownFields(v, k);
  copy.x_added_in_a_later_version = { nested: true };
  return copy;
}

const keys = generateSshKeyPair();
/** The A100 in us-tx-1 has the most capacity in the fake's catalog. */
const attrs = () => ({
  refId: randomUUID(),
  publicKey: keys.publicKey,
  location: 'us-tx-1',
  instanceType: 'oci.a100-80gbx1.sxm',
});

describe('answers the spec does not describe yet', () => {
  let fake: LaunchPadFake;
  useFake({ before, after }, (f) => (fake = f));

  it('tolerates an unknown field in every object of every answer', async () => {
    let rewritten = 0;
    const { client } = clientFor(fake, {
      fetch: rewritingFetch((_, body) => {
        rewritten++;
        return withUnknownFields(body);
      }),
    });
    assert.ok((await client.getInstanceTypes()).some((t) => t.type === 'dmz.h100x1.pcie'));
    assert.ok((await client.getLocations()).length > 0);
    const created = await client.createInstance(attrs());
    InstanceSchema.parse(created);
    assert.equal((await client.getInstance(created.cloudId)).cloudId, created.cloudId);
    assert.equal((await client.listInstances()).length, 1);
    await client.tags?.updateTags(created.cloudId, { a: 'b' });
    await client.terminateInstance(created.cloudId);
    const err = await client.getInstance(randomUUID()).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INSTANCE_NOT_FOUND'), 'error bodies with extra fields too');
    assert.ok(rewritten >= 10);
  });

  it('maps a state the spec does not list to the logged fallback', async () => {
    const plain = clientFor(fake).client;
    const created = await plain.createInstance(attrs());
    const restated = rewritingFetch(({ method, path }, body) =>
      method === 'GET' && path.endsWith(`${created.cloudId}/`)
        ? { ...(body as object), state: 'hibernating' }
        : body,
    );
    const { client, logger } = clientFor(fake, { fetch: restated });
    const seen = await client.getInstance(created.cloudId);
    assert.deepEqual(seen.status, { lifecycle: 'pending', native: 'hibernating' });
    assert.ok(logger.entries.some((e) => e.obj.native === 'hibernating' && e.level === 'warn'));
    await plain.terminateInstance(created.cloudId);
  });

  it('reads tags given as a non-string map, or as something else, without failing', async () => {
    const plain = clientFor(fake).client;
    const created = await plain.createInstance({ ...attrs(), tags: { team: 'vision' } });
    const odd = rewritingFetch(({ method, path }, body) => {
      if (method !== 'GET' || !path.endsWith(`${created.cloudId}/`)) return body;
      const tags = (body as { tags: Record<string, unknown> }).tags;
      return { ...(body as object), tags: { ...tags, count: 3, flag: true, nested: { no: 1 } } };
    });
    const seen = await clientFor(fake, { fetch: odd }).client.getInstance(created.cloudId);
    assert.deepEqual(seen.tags, { team: 'vision', count: '3', flag: 'true' });
    await plain.terminateInstance(created.cloudId);
  });
});

describe('lists that fail or do not end', () => {
  let fake: LaunchPadFake;
  // One deployment a page, so that a list of three is three pages.
  useFake({ before, after }, (f) => (fake = f), { maxPageSize: 1 });

  it('fails the whole list when a later page fails, never answering a part', async () => {
    const { client } = clientFor(fake);
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await client.createInstance(attrs()));
    assert.equal((await client.listInstances()).length, 3);
    const failSecond: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (new URL(request.url).searchParams.get('page') === '2') {
        return Response.json({ detail: 'Service temporarily unavailable.' }, { status: 503 });
      }
      return fetch(request);
    };
    const broken = clientFor(fake, { fetch: failSecond }).client;
    const err = await broken.listInstances().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'SERVICE_UNAVAILABLE'), String(err));
    const catalog = await broken.getInstanceTypes().catch((e: unknown) => e);
    assert.ok(isCloudError(catalog, 'SERVICE_UNAVAILABLE'), String(catalog));
    for (const m of made) await client.terminateInstance(m.cloudId);
  });

  it('fails a list whose next page is empty yet says more follow', async () => {
    const endless = rewritingFetch((_, body) => ({
      ...(body as object),
      results: [],
      next: 'https://launchpad.api.nvidia.com/v1/catalog/instance-types/?page=2',
    }));
    const err = await clientFor(fake, { fetch: endless })
      .client.getInstanceTypes()
      .catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INTERNAL'), String(err));
    assert.match(err.message, /empty page 1 that says more pages follow/);
  });

  it('gives up, with an error rather than a cut list, on pages that never end', async () => {
    let served = 0;
    const err = await allPages('list things', (page) => {
      served++;
      return Promise.resolve({ results: [`item-${page}`], next: `?page=${page + 1}` });
    }).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INTERNAL'), String(err));
    assert.equal(served, MAX_PAGES);
  });
});

describe('deployments cloudplane did not create', () => {
  let fake: LaunchPadFake;
  useFake({ before, after }, (f) => (fake = f));

  it('are skipped in lists with one warning each, and refused by id', async () => {
    const foreign = fake.addDeployment({ team: 'research' });
    const untagged = fake.addDeployment(['not', 'a', 'map']);
    const halfTagged = fake.addDeployment({ 'cloudplane-ref-id': 'x' });
    const { client, logger } = clientFor(fake);
    const created = await client.createInstance(attrs());
    await assertForeignSkipped({
      client,
      logger,
      foreign: [foreign, untagged, halfTagged],
      ours: [created.cloudId],
    });
    for (const id of [foreign, untagged, halfTagged]) {
      const warned = logger.entries.filter((e) => e.level === 'warn' && e.obj.cloudId === id);
      assert.equal(warned.length, 1, `${id}: one warning of any kind`);
    }
    const tagging = await client.tags?.updateTags(foreign, { a: 'b' }).catch((e: unknown) => e);
    assert.ok(isCloudError(tagging, 'PERMISSION_DENIED'), 'their tags are not ours to change');
    await client.terminateInstance(created.cloudId);
  });
});

describe('answers garbled on the way', () => {
  let fake: LaunchPadFake;
  useFake({ before, after }, (f) => (fake = f));

  it('retries a garbled read, and fails with INTERNAL when it stays garbled', async () => {
    let garble = 1;
    const { client } = clientFor(fake, {
      fetch: garblingFetch('{"results": [', () => garble-- > 0),
    });
    assert.ok(Array.isArray(await client.listInstances()));
    garble = 99;
    const err = assertCloudError(await settle(client.listInstances()), 'INTERNAL');
    assert.match(err.message, /cannot read/);
  });

  it('looks for the deployment after a create answer it cannot read, and adopts it', async () => {
    const garbling: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const response = await fetch(request);
      if (request.method === 'POST' && request.url.endsWith('/v1/catalog/deployments/'))
        return new Response('<html>', { status: 201 });
      return response;
    };
    const { client } = clientFor(fake, { fetch: garbling });
    const before = countRequests(fake, 'POST /v1/catalog/deployments/');
    const created = await client.createInstance(attrs());
    assert.equal(countRequests(fake, 'POST /v1/catalog/deployments/') - before, 1);
    assert.ok(fake.deployments.has(created.cloudId));
    await client.terminateInstance(created.cloudId);
  });

  it('honours the abort signal', async () => {
    const controller = new AbortController();
    const client = testProvider().makeClient({
      credential: LaunchPadCredentialSchema.parse(fake.launchpadCredential()),
      cloudCredRefId: 'c',
      fetch: stallingFetch(),
      signal: controller.signal,
    });
    const pending = client.getInstanceTypes();
    controller.abort(new Error('shutting down'));
    await assert.rejects(pending, /shutting down/);
  });
});
