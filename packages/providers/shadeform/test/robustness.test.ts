import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { InstanceSchema, isCloudError } from '@cloudplane/sdk';
import {
  assertListFailsWhole,
  garblingFetch,
  rewritingFetch,
  stallingFetch,
  withUnknownFields,
} from '@cloudplane/provider-testkit';
import { attrs, clientFor, countRequests, testProvider, useFake } from './helpers.js';

/**
 * What the fake cannot send (it only sends what the spec allows): answers from a later version
 * of the API with fields and values the spec does not know yet, and answers garbled on the way.
 * The testkit's fetch wrappers change the fake's (spec-valid) answers before the adapter reads them.
 */

const BASE_PATH = '/v1';

describe('answers the spec does not describe yet', () => {
  const fake = useFake({ before, after });

  it('tolerates an unknown field in every object of every answer', async () => {
    const paths = new Set<string>();
    const { client } = clientFor(fake(), {
      fetch: rewritingFetch(BASE_PATH, (path, body) => {
        paths.add(path.replace(/^\/instances\/[^/]+\/info$/, '/instances/{id}/info'));
        return withUnknownFields(body);
      }),
    });
    assert.ok((await client.getInstanceTypes()).some((t) => t.type === 'massedcompute.A6000'));
    assert.ok((await client.getLocations()).length > 0);
    const created = await client.createInstance(attrs());
    InstanceSchema.parse(created);
    assert.equal((await client.getInstance(created.cloudId)).cloudId, created.cloudId);
    assert.equal((await client.listInstances()).length, 1);
    assert.ok(client.tags);
    await client.tags.updateTags(created.cloudId, { a: 'b' });
    await client.terminateInstance(created.cloudId);
    fake().inject('GET /instances/{id}/info', { status: 404, message: 'no such instance' });
    const err = await client.getInstance('missing').catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INSTANCE_NOT_FOUND'), 'error bodies with extra fields too');
    assert.match(err.message, /no such instance/);
    assert.deepEqual(
      [...paths].sort(),
      [
        '/instances',
        '/instances/create',
        '/instances/types',
        '/instances/{id}/info',
        '/sshkeys',
        '/sshkeys/add',
      ],
      'every answer that has a body was rewritten',
    );
  });

  it('maps a status the spec does not list to the logged fallback', async () => {
    const { client, logger } = clientFor(fake(), {
      fetch: rewritingFetch(BASE_PATH, (path, body) =>
        path.endsWith('/info') ? { ...(body as object), status: 'hibernating' } : body,
      ),
    });
    const created = await client.createInstance(attrs()).catch((e: unknown) => e);
    assert.ok(!isCloudError(created), String(created));
    const seen = await client.getInstance((created as { cloudId: string }).cloudId);
    assert.deepEqual([seen.status.lifecycle, seen.status.native], ['pending', 'hibernating']);
    assert.ok(logger.entries.some((e) => e.obj.native === 'hibernating' && e.level === 'warn'));
    await client.terminateInstance(seen.cloudId);
  });

  it('retries a garbled read, and fails with INTERNAL (raw text kept) when it stays garbled', async () => {
    let garble = 1;
    const garbling = garblingFetch('{"instances": [', () => garble-- > 0);
    const { client } = clientFor(fake(), { fetch: garbling });
    assert.ok(Array.isArray(await client.listInstances()));
    garble = 99;
    const err = await client.listInstances().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INTERNAL'), String(err));
    assert.match(err.message, /Shadeform sent an answer we cannot read/);
    assert.equal(err.detail.raw, '{"instances": [');
  });

  it('looks for the instance after a launch answer it cannot read, and adopts it', async () => {
    const garbling = garblingFetch(
      '<html>',
      () => true,
      (url) => url.endsWith('/instances/create'),
    );
    const { client } = clientFor(fake(), { fetch: garbling });
    const before = countRequests(fake(), 'POST /instances/create');
    const created = await client.createInstance(attrs());
    assert.equal(countRequests(fake(), 'POST /instances/create') - before, 1);
    assert.ok(fake().instances.has(created.cloudId));
    await client.terminateInstance(created.cloudId);
  });

  it('honours the abort signal', async () => {
    const controller = new AbortController();
    const client = testProvider().makeClient({
      credential: fake().credential,
      cloudCredRefId: 'c',
      fetch: stallingFetch(),
      signal: controller.signal,
    });
    const pending = client.getInstanceTypes();
    controller.abort(new Error('shutting down'));
    await assert.rejects(pending, /shutting down/);
  });

  it('fails the whole list, never returns part of it, while its page fails', async () => {
    const { client } = clientFor(fake(), { retry: { attempts: 2 } });
    await assertListFailsWhole(client, () =>
      fake().inject('GET /instances', { status: 503, times: 1_000 }),
    );
    assert.ok(Array.isArray(await client.listInstances()), 'and lists again once it answers');
  });
});
