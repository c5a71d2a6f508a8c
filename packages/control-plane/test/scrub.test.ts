import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { provider as devcloud, type DevcloudCredential } from '@cloudplane/provider-devcloud';
import {
  CloudError,
  defineProvider,
  memoryLogger,
  type CloudClient,
  type Provider,
} from '@cloudplane/sdk';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { makeScrubber, scrubbingLogger } from '../src/credentials/scrub.js';
import {
  addKey,
  admin,
  anOffer,
  getInstance,
  json,
  launch,
  waitForState,
} from './helpers/instances.js';
import { FAST_POLL, fastRegistry, startPlane, type Plane } from './helpers/plane.js';
import { ENGINES, freshTarget, stopClusterAfterAll } from './helpers/storage.js';

/**
 * A cloud whose error answers echo the request it got (some real ones do) must not get the API
 * key into anything the control plane logs, stores or serves.
 */

// '+', '/' and '=' change under URL encoding; the random tail makes every base64 offset differ.
const KEY = `sk_live+Zq8/R7w=${randomBytes(12).toString('hex')}`;

/** Every form in which the key could leak. */
const FORMS = [
  KEY,
  encodeURIComponent(KEY),
  Buffer.from(KEY).toString('base64'),
  Buffer.from(KEY).toString('base64url'),
  KEY.slice(4, -4), // a long piece of it
];

describe('makeScrubber', () => {
  const scrub = makeScrubber([KEY, 'abc']);

  it('replaces the secret in plain, URL-encoded, JSON-escaped and base64 forms', () => {
    for (const form of [
      KEY,
      encodeURIComponent(KEY),
      encodeURIComponent(KEY).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
      JSON.stringify(KEY).slice(1, -1),
      Buffer.from(KEY).toString('base64'),
      Buffer.from(KEY).toString('base64url'),
      Buffer.from(KEY).toString('hex'),
    ]) {
      const out = scrub(`before ${form} after`);
      assert.equal(out, 'before [redacted] after', form);
    }
  });

  it('finds the key inside a longer base64 value at any offset (HTTP Basic user:key)', () => {
    for (const user of ['', 'a', 'ab', 'abc', 'user']) {
      const basic = Buffer.from(`${user}:${KEY}`).toString('base64');
      const out = scrub(`token=${basic}`);
      assert.ok(!out.includes(basic.slice(8, -4)), `${user}: ${out}`);
    }
  });

  it('redacts anything shaped like an auth header, key parameter or bearer token', () => {
    const cases: [string, string][] = [
      ['Authorization: Bearer zzzzzzzz', 'Authorization: [redacted]'],
      [
        '{"authorization":"Bearer zzzzzzzz","host":"x"}',
        '{"authorization":"[redacted]","host":"x"}',
      ],
      ["{ 'x-api-key': 'zzzz' }", "{ 'x-api-key': '[redacted]' }"],
      ['X-API-KEY: zzzz\r\nHost: x', 'X-API-KEY: [redacted]\r\nHost: x'],
      ['GET /v1?api_key=zzzz&limit=3', 'GET /v1?api_key=[redacted]&limit=3'],
      ['{\\"apiKey\\":\\"zzzz\\"}', '{\\"apiKey\\":\\"[redacted]\\"}'],
      ['sent bearer zz.zz-zz', 'sent bearer [redacted]'],
      ['Basic dXNlcjpzZWNyZXQ=', 'Basic [redacted]'],
      ['a basic plan', 'a basic plan'],
    ];
    for (const [input, expected] of cases) assert.equal(scrub(input), expected, input);
  });

  it('leaves short values alone, so ordinary words survive', () => {
    assert.equal(scrub('abc is a short value'), 'abc is a short value');
    assert.equal(makeScrubber([''])('nothing to hide'), 'nothing to hide');
  });

  it('scrubs what goes through a scrubbing logger, nested fields included', () => {
    const logger = memoryLogger();
    scrubbingLogger(logger, scrub).warn(
      { reason: `got ${KEY}`, nested: { list: [KEY], n: 3 }, err: new Error(`x ${KEY}`) },
      `message ${KEY}`,
    );
    const text = JSON.stringify(logger.entries);
    assert.ok(!text.includes(KEY));
    assert.match(text, /"n":3/);
  });
});

/** An echoing cloud: every request fails with the request's headers and URL in the message. */
interface EchoCloud {
  readonly url: string;
  readonly seen: () => number;
  close(): Promise<void>;
}

type Shape = 'devcloud' | 'lambda' | 'shadeform';

async function startEchoCloud(shape: Shape): Promise<EchoCloud> {
  let requests = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    requests++;
    const auth = req.headers.authorization ?? req.headers['x-api-key'] ?? '';
    const secret = String(auth).replace(/^Bearer /, '');
    const echo = [
      `rejected ${req.method ?? ''} ${req.url ?? ''}?api_key=${encodeURIComponent(secret)}`,
      `headers ${JSON.stringify(req.headers)}`,
      `as Basic ${Buffer.from(`u:${secret}`).toString('base64')}`,
      `key64 ${Buffer.from(secret).toString('base64')}`,
    ].join('; ');
    const body =
      shape === 'devcloud'
        ? { error: { code: 'auth/invalid-api-key', message: echo } }
        : shape === 'lambda'
          ? { error: { code: 'global/invalid-api-key', message: echo, suggestion: null } }
          : { error: echo };
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const base = shape === 'lambda' ? '/api/v1' : shape === 'shadeform' ? '/v1' : '';
  return {
    url: `http://127.0.0.1:${port}${base}`,
    seen: () => requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => {
        server.close(() => {
          done();
        });
      });
    },
  };
}

stopClusterAfterAll();

for (const engine of ENGINES) {
  describe(`a cloud that echoes the request, on ${engine}`, () => {
    let p: Plane;
    const clouds = new Map<Shape, EchoCloud>();
    before(async () => {
      p = await startPlane(await freshTarget(engine));
      for (const shape of ['devcloud', 'lambda', 'shadeform'] as const) {
        clouds.set(shape, await startEchoCloud(shape));
      }
    });
    after(async () => {
      await p.close();
      for (const cloud of clouds.values()) await cloud.close();
    });

    for (const shape of ['devcloud', 'lambda', 'shadeform'] as const) {
      it(`keeps the ${shape} key out of the API, the logs and the tables`, async () => {
        const cloud = clouds.get(shape);
        assert.ok(cloud);
        const added = await p.call('/v1/credentials', {
          method: 'POST',
          body: JSON.stringify({
            provider: shape,
            name: `echo-${shape}`,
            credential: { apiKey: KEY, baseUrl: cloud.url },
          }),
        });
        assert.equal(added.status, 201, await added.clone().text());
        const { id } = (await added.json()) as { id: string };
        let reason = '';
        await p.until(async () => {
          const one = (await (await p.call(`/v1/credentials/${id}`)).json()) as {
            sync: { state: string; reason: string | null };
          };
          reason = one.sync.reason ?? '';
          return one.sync.state === 'degraded';
        }, `the ${shape} sync to fail`);
        assert.ok(cloud.seen() > 0, 'the adapter reached the echoing cloud');
        assert.match(reason, /UNAUTHENTICATED/);
        assert.match(reason, /\[redacted\]/, 'the echo came through, scrubbed');

        const served = [
          await (await p.call('/v1/credentials')).text(),
          await (await p.call(`/v1/credentials/${id}`)).text(),
          await (await p.call(`/v1/credentials/${id}/syncs`)).text(),
        ].join('\n');
        const tables = JSON.stringify([
          await p.plane.storage.db.execute(sql`SELECT row_to_json(s)::text AS row FROM syncs s`),
          await p.plane.storage.db.execute(
            sql`SELECT row_to_json(c)::text AS row FROM credentials c`,
          ),
        ]);
        const logs = p.logs.join('');
        for (const [where, text] of [
          ['the API', served],
          ['the tables', tables],
          ['the logs', logs],
        ] as const) {
          for (const form of FORMS) {
            assert.ok(!text.includes(form), `${where} hold the key (as ${form})`);
          }
        }
      });
    }
  });
}

/**
 * devcloud that says its key back where a provider's own words reach users: it logs the key on
 * every launch, a launch named `sold-out-*` is refused for capacity with the key in the message,
 * and every listed instance's status message holds the key.
 */
const echoingDevcloud = defineProvider<DevcloudCredential>({
  ...devcloud,
  pollIntervals: FAST_POLL,
  makeClient: (context) => {
    const inner = devcloud.makeClient(context);
    const key = context.credential.apiKey;
    const client: CloudClient = Object.create(inner) as CloudClient;
    return Object.assign(client, {
      createInstance: (attrs: Parameters<CloudClient['createInstance']>[0]) => {
        // As an adapter logging a provider's answer would.
        context.logger?.warn({ answer: `denied for ${key}` }, `provider answered for ${key}`);
        return attrs.name?.startsWith('sold-out-')
          ? Promise.reject(
              new CloudError('INSUFFICIENT_CAPACITY', {
                message: `no room left for account ${key}`,
                scope: 'offer',
              }),
            )
          : inner.createInstance(attrs);
      },
      listInstances: async (args?: Parameters<CloudClient['listInstances']>[0]) =>
        (await inner.listInstances(args)).map((i) => ({
          ...i,
          status: { ...i.status, message: `host of ${key} says hello` },
        })),
    });
  },
});

for (const engine of ENGINES) {
  describe(`a cloud that echoes its key in a refusal and in a status, on ${engine}`, () => {
    let p: Plane;
    before(async () => {
      p = await startPlane(await freshTarget(engine), undefined, {
        providers: fastRegistry(echoingDevcloud as Provider),
        devcloud: { timings: { bootStepMs: 50, terminateMs: 1, terminatedRetentionMs: 1 } },
      });
    });
    after(async () => {
      await p.close();
    });

    it('keeps the key out of capacity marks, offers, refusals, instances and events', async () => {
      const key = p.cloud.apiKey;
      const forms = [key, Buffer.from(key).toString('base64')];
      const root = admin(p);
      const { id: keyId } = await addKey(root);
      const offerId = await anOffer(p);

      const refused = z
        .object({ id: z.string() })
        .parse(
          await json(await launch(root, { offerId, name: 'sold-out-1', sshKeyIds: [keyId] }), 202),
        );
      const failed = await waitForState(p, root, refused.id, 'failed');
      assert.match(failed.lastError?.message ?? '', /no room left for account \[redacted\]/);
      const again = await launch(root, { offerId, name: 'sold-out-2', sshKeyIds: [keyId] });
      assert.equal(again.status, 409, 'the offer is marked out of capacity');
      const refusal = await again.text();
      assert.match(refusal, /\[redacted\]/, 'the mark holds the scrubbed words');

      const made = z.object({ id: z.string() }).parse(
        await json(
          await launch(root, {
            offerId: await anotherOffer(p, offerId),
            name: 'echoed',
            sshKeyIds: [keyId],
          }),
          202,
        ),
      );
      await waitForState(p, root, made.id, 'running');
      await p.until(
        async () => (await getInstance(root, made.id)).statusMessage !== null,
        'the status message',
      );
      const shown = await getInstance(root, made.id);
      assert.equal(shown.statusMessage, 'host of [redacted] says hello');

      const served = [
        refusal,
        await (await p.call('/v1/offers?limit=500')).text(),
        await (await p.call(`/v1/instances/${refused.id}`)).text(),
        await (await p.call(`/v1/instances/${made.id}`)).text(),
        await (await p.call(`/v1/instances/${made.id}/events`)).text(),
        await (await p.call(`/v1/instances/${refused.id}/events`)).text(),
      ].join('\n');
      const db = p.plane.storage.db;
      const tables = JSON.stringify([
        await db.execute(sql`SELECT row_to_json(m)::text AS row FROM capacity_marks m`),
        await db.execute(sql`SELECT row_to_json(i)::text AS row FROM instances i`),
        await db.execute(sql`SELECT row_to_json(e)::text AS row FROM instance_events e`),
        await db.execute(sql`SELECT row_to_json(a)::text AS row FROM launch_attempts a`),
      ]);
      for (const [where, text] of [
        ['the API', served],
        ['the tables', tables],
        ['the logs', p.logs.join('')],
      ] as const) {
        for (const form of forms) assert.ok(!text.includes(form), `${where} hold the key`);
      }
    });
  });
}

/** An available offer other than `not`. */
async function anotherOffer(p: Plane, not: string): Promise<string> {
  const page = z
    .object({ offers: z.array(z.object({ id: z.string() })) })
    .parse(await json(await p.call('/v1/offers?available=true&limit=5'), 200));
  const other = page.offers.find((o) => o.id !== not);
  assert.ok(other, 'a second available offer');
  return other.id;
}
