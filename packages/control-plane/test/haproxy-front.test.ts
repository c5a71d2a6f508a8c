import assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { z } from 'zod';
import {
  startFrontProxy,
  proxyRequest,
  type FrontProxy,
  type ProxyResponse,
} from './helpers/haproxy.js';
import { addKey, admin, anOffer, streamEvents } from './helpers/instances.js';
import { startPlane, type Plane } from './helpers/plane.js';
import { freshTarget, stopClusterAfterAll } from './helpers/storage.js';

/**
 * `deploy/haproxy.cfg`, run by a real HAProxy in front of a node, does what docs/deploy.md says:
 * it serves the API over TLS with the node's own answers; at most 64 API requests reach the
 * node at once while the rest wait in its queue and are answered; and event streams neither
 * take those 64 slots nor are held back on the way.
 */

const API_SLOTS = 64;
const Page = z.object({ offers: z.array(z.object({ id: z.string() })) });
const Created = z.object({ id: z.string() });
const EventData = z.object({ instanceId: z.string() });

stopClusterAfterAll();

describe('deploy/haproxy.cfg in front of a node on PostgreSQL', () => {
  let startedPlane: Plane | undefined;
  let startedProxy: FrontProxy | undefined;
  let auth: Record<string, string>;
  let databaseUrl: string;
  /** The node and its proxy, once both started. */
  const started = () => {
    assert.ok(startedPlane && startedProxy, 'the node and the proxy started');
    return { plane: startedPlane, proxy: startedProxy };
  };

  before(async () => {
    const target = await freshTarget('postgres');
    if (target.kind !== 'postgres') throw new Error('a PostgreSQL target');
    databaseUrl = target.url;
    startedPlane = await startPlane(target);
    startedProxy = await startFrontProxy(startedPlane.plane.url);
    auth = { authorization: `Bearer ${startedPlane.token}` };
    await anOffer(startedPlane);
  });
  after(async () => {
    try {
      await startedProxy?.stop();
    } finally {
      await startedPlane?.close();
    }
  });

  it("serves the API over TLS with the node's own answers", async () => {
    const { plane, proxy } = started();
    const direct = await plane.call('/v1/offers?limit=5');
    const proxied = await proxyRequest(proxy, '/v1/offers?limit=5', { headers: auth });
    assert.equal(proxied.status, 200);
    assert.deepEqual(Page.parse(JSON.parse(proxied.body)), Page.parse(await direct.json()));
    const refused = await proxyRequest(proxy, '/v1/offers');
    assert.equal(refused.status, 401, 'the node, not the proxy, decides who gets in');
  });

  it(`lets at most ${String(API_SLOTS)} API requests reach the node at once and answers the rest from its queue`, async () => {
    // Every catalog request on PostgreSQL reads the store's versions first (db/versions.ts);
    // with the change feed locked, each one that reaches the node stays there. So the node
    // holds exactly what the proxy let through, until the lock goes.
    const { plane, proxy } = started();
    let inNode = 0;
    let mostInNode = 0;
    const count = (request: IncomingMessage, response: ServerResponse) => {
      if (request.url === '/healthz') return;
      inNode++;
      mostInNode = Math.max(mostInNode, inNode);
      response.once('close', () => inNode--);
    };
    const locker = new pg.Client({ connectionString: databaseUrl });
    await locker.connect();
    plane.plane.api.server.on('request', count);
    let requests: Promise<ProxyResponse>[] = [];
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE catalog_changes IN ACCESS EXCLUSIVE MODE');
      requests = Array.from({ length: 300 }, () =>
        proxyRequest(proxy, '/v1/offers?limit=100', { headers: auth }),
      );
      await plane.until(
        () => Promise.resolve(inNode >= API_SLOTS),
        `${String(API_SLOTS)} requests waiting in the node`,
        20_000,
      );
      // Time for any request the proxy should not have let through to arrive.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      assert.equal(mostInNode, API_SLOTS, 'the node holds what the proxy let through, no more');
      await locker.query('COMMIT');
      const answers = await Promise.all(requests);
      assert.deepEqual(
        answers.filter((a) => a.status !== 200).map((a) => `${String(a.status)} ${a.body}`),
        [],
        'every queued request is answered',
      );
    } finally {
      // After a failed check the lock may still be held and requests still out.
      await locker.query('ROLLBACK');
      await Promise.allSettled(requests);
      await locker.end();
      plane.plane.api.server.off('request', count);
    }
  });

  it('keeps event streams off the API slots and passes each event through', async () => {
    const { plane, proxy } = started();
    // The test before held the node's database lock long enough for the proxy's health checks
    // to fail, and the proxy answers 503 itself until they pass again: wait until the node
    // answers (401 without a token) on both backends, whose checks are each their own.
    for (const [path, backend] of [
      ['/v1/events', 'events'],
      ['/v1/instances', 'api'],
    ] as const) {
      await plane.until(
        async () => (await proxyRequest(proxy, path)).status === 401,
        `the proxy to see the node up again on its ${backend} backend`,
        30_000,
      );
    }
    const root = admin(plane);
    const streams = API_SLOTS + 6;
    const seen = Array.from({ length: streams }, () => new Set<string>());
    const stop = new AbortController();
    // Every stream listens on this one signal.
    setMaxListeners(streams + 1, stop.signal);
    try {
      const opened = await Promise.all(
        seen.map((ids) =>
          streamEvents(
            { url: proxy.url },
            root,
            (data) => ids.add(EventData.parse(data).instanceId),
            stop.signal,
            proxy.ca,
          ),
        ),
      );
      for (const stream of opened) assert.match(stream.contentType, /^text\/event-stream/);
      const key = await addKey(root);
      const launched = await proxyRequest(proxy, '/v1/instances', {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          offerId: await anOffer(plane),
          name: 'through-the-proxy',
          sshKeyIds: [key.id],
        }),
      });
      assert.equal(launched.status, 202, launched.body);
      const { id } = Created.parse(JSON.parse(launched.body));
      await plane.until(
        () => Promise.resolve(seen.every((ids) => ids.has(id))),
        `the launch's events on all ${String(streams)} streams`,
        20_000,
      );
    } finally {
      stop.abort();
    }
  });
});
