import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPlane, type Plane } from './helpers/plane.js';

interface OfferBody {
  offers: {
    typeId: string;
    provider: string;
    region: string;
    gpu: { name: string | null; count: number; memoryGiB: number | null };
    price: { perHour: string; currency: string };
    available: boolean;
  }[];
  nextCursor: string | null;
}

describe('catalog API', () => {
  let p: Plane;
  before(async () => {
    p = await startPlane();
    await p.until(async () => {
      const body = (await (await p.call('/v1/offers?limit=1')).json()) as OfferBody;
      return body.offers.length > 0;
    }, 'the first sync');
  });
  after(async () => {
    await p.close();
  });

  it('lists every offer cheapest first, page by page', async () => {
    const seen: OfferBody['offers'] = [];
    let cursor: string | null = null;
    do {
      const response = await p.call(`/v1/offers?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(response.status, 200);
      const body = (await response.json()) as OfferBody;
      seen.push(...body.offers);
      cursor = body.nextCursor;
    } while (cursor !== null);
    assert.equal(seen.length, 40);
    assert.equal(new Set(seen.map((o) => o.typeId)).size, 40, 'no offer twice across pages');
    const prices = seen.map((o) => Number(o.price.perHour));
    assert.deepEqual(
      prices,
      [...prices].sort((a, b) => a - b),
    );
  });

  it('filters by GPU name, count, memory, region, provider and price', async () => {
    const h100 = (await (await p.call('/v1/offers?gpu=h100&gpuCount=8')).json()) as OfferBody;
    assert.ok(h100.offers.length > 0);
    for (const o of h100.offers) {
      assert.equal(o.gpu.name, 'H100');
      assert.equal(o.gpu.count, 8);
    }
    const big = (await (await p.call('/v1/offers?minGpuMemoryGiB=100')).json()) as OfferBody;
    assert.ok(big.offers.length > 0);
    for (const o of big.offers) assert.ok((o.gpu.memoryGiB ?? 0) >= 100);
    const cheap = (await (
      await p.call('/v1/offers?maxPrice=1.0&provider=devcloud')
    ).json()) as OfferBody;
    assert.ok(cheap.offers.length > 0);
    for (const o of cheap.offers) assert.ok(Number(o.price.perHour) <= 1.0);
    const region = cheap.offers[0]?.region ?? '';
    const inRegion = (await (await p.call(`/v1/offers?region=${region}`)).json()) as OfferBody;
    for (const o of inRegion.offers) assert.equal(o.region, region);
    const none = (await (await p.call('/v1/offers?provider=lambda')).json()) as OfferBody;
    assert.equal(none.offers.length, 0);
  });

  it('rejects bad queries with the field and the problem', async () => {
    const response = await p.call('/v1/offers?maxPrice=cheap&limit=0');
    assert.equal(response.status, 400);
    const body = (await response.json()) as {
      error: { code: string; details: { path: string; message: string }[] };
    };
    assert.equal(body.error.code, 'request/invalid');
    const paths = body.error.details.map((d) => d.path);
    assert.ok(paths.includes('maxPrice') && paths.includes('limit'), paths.join(','));
    const cursor = await p.call('/v1/offers?cursor=nonsense');
    assert.equal(cursor.status, 400);
  });

  it('needs a valid token everywhere but /healthz, /openapi.json and /docs', async () => {
    for (const path of ['/v1/offers', '/v1/credentials', '/metrics', '/v1/catalog/changes']) {
      const anonymous = await fetch(`${p.plane.url}${path}`);
      assert.equal(anonymous.status, 401, path);
      const wrong = await fetch(`${p.plane.url}${path}`, {
        headers: { authorization: `Bearer cpt_${'x'.repeat(43)}` },
      });
      assert.equal(wrong.status, 401, path);
    }
    assert.equal((await fetch(`${p.plane.url}/healthz`)).status, 200);
    const spec = (await (await fetch(`${p.plane.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    assert.equal(spec.openapi, '3.1.0');
    assert.ok('/v1/offers' in spec.paths && '/v1/catalog/changes' in spec.paths);
    const docs = await fetch(`${p.plane.url}/docs`);
    assert.equal(docs.status, 200);
  });

  it('serves the change feed and sync status per credential', async () => {
    const feed = (await (await p.call('/v1/catalog/changes?limit=1000')).json()) as {
      changes: { kind: string; credentialId: string }[];
      last: number;
    };
    assert.equal(feed.changes.filter((c) => c.kind === 'added').length, 40);
    const rest = (await (await p.call(`/v1/catalog/changes?after=${feed.last}`)).json()) as {
      changes: unknown[];
    };
    assert.equal(rest.changes.length, 0);
    const credential = (await (await p.call(`/v1/credentials/${p.credentialId}`)).json()) as {
      sync: { state: string };
      settings: Record<string, unknown>;
    };
    assert.equal(credential.sync.state, 'ok');
    assert.equal(credential.settings.apiKey, undefined, 'the secret field is not shown');
    assert.equal(credential.settings.baseUrl, p.cloud.url);
    const syncs = (await (await p.call(`/v1/credentials/${p.credentialId}/syncs`)).json()) as {
      syncs: { outcome: string; added: number }[];
    };
    assert.equal(syncs.syncs.at(-1)?.outcome, 'ok');
    assert.equal(syncs.syncs.at(-1)?.added, 40);
  });

  it('exposes Prometheus metrics: sync durations, errors, offers by provider', async () => {
    const text = await (await p.call('/metrics')).text();
    assert.match(
      text,
      /cloudplane_catalog_sync_duration_seconds_count\{provider="devcloud",outcome="ok"\} [1-9]/,
    );
    assert.match(text, /cloudplane_offers\{provider="devcloud",available="(true|false)"\} \d+/);
    assert.match(text, /# TYPE cloudplane_catalog_sync_errors_total counter/);
  });

  it('rejects an invalid credential without storing anything and without echoing it', async () => {
    const before = (await (await p.call('/v1/credentials')).json()) as { credentials: unknown[] };
    const response = await p.call('/v1/credentials', {
      method: 'POST',
      body: JSON.stringify({
        provider: 'devcloud',
        name: 'broken',
        credential: { apiKey: 'sk-very-secret-value', baseUrl: 'not a url' },
      }),
    });
    assert.equal(response.status, 400);
    const text = await response.text();
    assert.doesNotMatch(text, /sk-very-secret-value/);
    assert.match(text, /baseUrl/);
    const unknown = await p.call('/v1/credentials', {
      method: 'POST',
      body: JSON.stringify({ provider: 'nimbus', name: 'x', credential: {} }),
    });
    assert.equal(unknown.status, 400);
    const problem = (await unknown.json()) as { error: { message: string } };
    assert.match(problem.error.message, /unknown provider "nimbus"/);
    const afterwards = (await (await p.call('/v1/credentials')).json()) as {
      credentials: unknown[];
    };
    assert.equal(afterwards.credentials.length, before.credentials.length);
    assert.ok(!p.logs.join('').includes('sk-very-secret-value'), 'the secret is not logged');
  });

  it('creates and revokes tokens; a revoked token is refused', async () => {
    const created = await p.call('/v1/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'ci' }),
    });
    assert.equal(created.status, 201);
    const { id, token } = (await created.json()) as { id: string; token: string };
    assert.match(token, /^cpt_/);
    const list = await (await p.call('/v1/tokens')).text();
    assert.ok(!list.includes(token), 'listing never shows a secret');
    assert.equal(
      (await fetch(`${p.plane.url}/v1/offers`, { headers: { authorization: `Bearer ${token}` } }))
        .status,
      200,
    );
    assert.equal((await p.call(`/v1/tokens/${id}`, { method: 'DELETE' })).status, 204);
    assert.equal(
      (await fetch(`${p.plane.url}/v1/offers`, { headers: { authorization: `Bearer ${token}` } }))
        .status,
      401,
    );
  });

  it('removes a credential with its catalog', async () => {
    const added = await p.call('/v1/credentials', {
      method: 'POST',
      body: JSON.stringify({
        provider: 'lambda',
        name: 'temp',
        credential: { apiKey: 'secret_x1', baseUrl: 'http://127.0.0.1:9' },
      }),
    });
    assert.equal(added.status, 201);
    const { id } = (await added.json()) as { id: string };
    assert.equal((await p.call(`/v1/credentials/${id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await p.call(`/v1/credentials/${id}`)).status, 404);
    assert.equal((await p.call(`/v1/credentials/${id}`, { method: 'DELETE' })).status, 404);
    const offers = (await (await p.call('/v1/offers?provider=lambda')).json()) as OfferBody;
    assert.equal(offers.offers.length, 0);
  });

  it('refuses an implausible change until the operator accepts it', async () => {
    const syncs = async () =>
      (
        (await (await p.call(`/v1/credentials/${p.credentialId}/syncs`)).json()) as {
          syncs: { outcome: string; removed: number }[];
        }
      ).syncs;
    const before = (await syncs()).length;
    p.cloud.cloud.offers.splice(0, 30);
    assert.equal(
      (await p.call(`/v1/credentials/${p.credentialId}/sync`, { method: 'POST' })).status,
      202,
    );
    await p.until(async () => (await syncs()).length > before, 'the refused sync');
    assert.equal((await syncs())[0]?.outcome, 'implausible');

    const accept = await p.call(`/v1/credentials/${p.credentialId}/sync?acceptImplausible=true`, {
      method: 'POST',
    });
    assert.equal(accept.status, 202);
    await p.until(async () => (await syncs())[0]?.outcome === 'ok', 'the accepted sync');
    assert.equal((await syncs())[0]?.removed, 30);
  });
});
