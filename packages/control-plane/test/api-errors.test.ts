import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { databaseProblem } from '../src/api/server.js';
import { startPlane, type Plane } from './helpers/plane.js';

/**
 * Hostile input answers 400, never 500, and every error (ours, Fastify's, Node's HTTP parser's)
 * has the one shape `{error: {code, message, details?}}`.
 */

const ErrorShape = z.strictObject({
  error: z.strictObject({
    code: z.string().min(1),
    message: z.string().min(1),
    details: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
  }),
});
type ErrorShape = z.infer<typeof ErrorShape>;

async function errorOf(response: Response, status: number, what: string): Promise<ErrorShape> {
  const text = await response.text();
  assert.equal(response.status, status, `${what}: ${text}`);
  const parsed = ErrorShape.safeParse(JSON.parse(text));
  assert.ok(parsed.success, `${what}: not the error shape: ${text}`);
  return parsed.data;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('hostile input', () => {
  let p: Plane;
  before(async () => {
    p = await startPlane();
  });
  after(async () => {
    await p.close();
  });

  it('refuses a NUL in any string query parameter, path id, cursor or body string with 400', async () => {
    const cases: [string, string, RequestInit?][] = [
      ...['gpu', 'formFactor', 'region', 'provider', 'cloud', 'currency', 'cursor'].map(
        (name): [string, string] => [name, `/v1/offers?${name}=a%00b`],
      ),
      ['credentialId', '/v1/catalog/changes?credentialId=%00'],
      ['user', '/v1/instances?user=x%00'],
      ['cursor', '/v1/instances?cursor=%00'],
      ['offers cursor field', `/v1/offers?cursor=${b64({ p: '1', c: 'a\u0000', t: 'x' })}`],
      [
        'instances cursor field',
        `/v1/instances?cursor=${b64({ at: '2020-01-01T00:00:00.000Z', id: 'x\u0000' })}`,
      ],
      ['credential id', '/v1/credentials/a%00b'],
      ['credential syncs id', '/v1/credentials/a%00b/syncs'],
      ['credential sync id', '/v1/credentials/a%00b/sync', { method: 'POST' }],
      ['credential delete id', '/v1/credentials/%00', { method: 'DELETE' }],
      ['instance id', '/v1/instances/a%00b'],
      ['instance events id', '/v1/instances/a%00b/events'],
      ['instance action id', '/v1/instances/a%00b/stop', { method: 'POST' }],
      ['token id', '/v1/tokens/%00', { method: 'DELETE' }],
      ['user id', '/v1/users/%00', { method: 'DELETE' }],
      ['ssh key id', '/v1/users/me/ssh-keys/%00', { method: 'DELETE' }],
      ['orphan id', '/v1/orphans/%00/terminate', { method: 'POST' }],
      ['token name', '/v1/tokens', { method: 'POST', body: JSON.stringify({ name: 'a\u0000' }) }],
      [
        'credential body',
        '/v1/credentials',
        {
          method: 'POST',
          body: JSON.stringify({ provider: 'devcloud', name: 'n', credential: { k: '\u0000' } }),
        },
      ],
      [
        'launch tags',
        '/v1/instances',
        {
          method: 'POST',
          body: JSON.stringify({ offerId: 'abc', name: 'a', sshKeyIds: ['k'], tags: { a: '\0' } }),
        },
      ],
      [
        'launch user data',
        '/v1/instances',
        {
          method: 'POST',
          body: JSON.stringify({ offerId: 'abc', name: 'a', sshKeyIds: ['k'], userData: '\0' }),
        },
      ],
      [
        'a body key',
        '/v1/users',
        { method: 'POST', body: JSON.stringify({ name: 'x', role: 'member', 'a\u0000': 1 }) },
      ],
    ];
    for (const [what, path, init] of cases) {
      const body = await errorOf(await p.call(path, init), 400, what);
      if (what.endsWith('cursor field')) {
        // Inside a cursor: the cursor is not one the API issued.
        assert.match(JSON.stringify(body.error), /cursor is not one this API issued/, what);
      } else {
        assert.equal(body.error.code, 'request/invalid', what);
        assert.match(JSON.stringify(body.error.details), /NUL/, what);
      }
    }
  });

  it('refuses integers past int4 and out-of-range values in every integer query parameter', async () => {
    for (const name of ['gpuCount', 'minGpuCount', 'minGpuMemoryGiB', 'minVcpu']) {
      for (const value of ['2147483648', '9223372036854775808', '-1', '1e400', '1.5']) {
        const body = await errorOf(
          await p.call(`/v1/offers?${name}=${value}`),
          400,
          `${name}=${value}`,
        );
        assert.equal(body.error.details?.[0]?.path, name);
      }
      assert.equal((await p.call(`/v1/offers?${name}=2147483647`)).status, 200, name);
    }
    for (const path of [
      '/v1/offers?minMemoryGiB=1e300',
      '/v1/offers?maxPrice=123456789',
      '/v1/offers?minPrice=1.1234567',
      '/v1/offers?limit=501',
      '/v1/catalog/changes?after=9007199254740992',
      '/v1/catalog/changes?limit=0',
      `/v1/credentials/${p.credentialId}/syncs?limit=201`,
      '/v1/instances?limit=-1',
      '/v1/instances/x/events?after=-1',
      `/v1/instances?cursor=${b64({ at: '0000-01-01T00:00:00.000Z', id: 'x' })}`,
    ]) {
      await errorOf(await p.call(path), 400, path);
    }
    assert.equal((await p.call('/v1/offers?maxPrice=99999999.999999')).status, 200);
  });

  it('refuses an unknown query parameter, naming it and the known ones', async () => {
    const body = await errorOf(await p.call('/v1/offers?maxprice=3&gpu=H100'), 400, 'maxprice');
    assert.equal(body.error.code, 'request/unknown-parameter');
    assert.match(body.error.message, /"maxprice"/);
    assert.match(body.error.message, /maxPrice/);
    assert.match(body.error.message, /minVcpu/);
    assert.deepEqual(body.error.details, [
      { path: 'maxprice', message: 'unknown query parameter; did you mean "maxPrice"?' },
    ]);
    const proto = await errorOf(await p.call('/v1/offers?__proto__=1'), 400, '__proto__');
    assert.equal(proto.error.details?.[0]?.path, '__proto__');
    const none = await errorOf(await p.call('/v1/credentials?verbose=1'), 400, 'no parameters');
    assert.match(none.error.message, /"verbose".*takes no query parameters/);
    await errorOf(await fetch(`${p.plane.url}/healthz?x=1`), 400, '/healthz');
    // Without a token, the token is what is missing.
    const anonymous = await errorOf(
      await fetch(`${p.plane.url}/v1/offers?maxprice=3`),
      401,
      'anonymous',
    );
    assert.equal(anonymous.error.code, 'auth/missing-token');
  });

  it('answers unknown routes 404 in the error shape, and under /v1 only after the token', async () => {
    for (const [method, path] of [
      ['GET', '/v1/nope'],
      ['GET', '/v1'],
      ['DELETE', '/v1/offers'],
      ['PATCH', '/v1/instances/x'],
    ] as const) {
      const anonymous = await errorOf(
        await fetch(`${p.plane.url}${path}`, { method }),
        401,
        `${method} ${path} without a token`,
      );
      assert.equal(anonymous.error.code, 'auth/missing-token');
      const wrong = await errorOf(
        await fetch(`${p.plane.url}${path}`, {
          method,
          headers: { authorization: `Bearer cpt_${'x'.repeat(43)}` },
        }),
        401,
        `${method} ${path} with a wrong token`,
      );
      assert.equal(wrong.error.code, 'auth/invalid-token');
      const known = await errorOf(
        await p.call(path, { method }),
        404,
        `${method} ${path} with a token`,
      );
      assert.equal(known.error.code, 'request/not-found');
      assert.ok(known.error.message.includes(`${method} ${path}`), known.error.message);
    }
    const outside = await errorOf(await fetch(`${p.plane.url}/nope?x=1`), 404, '/nope');
    assert.equal(
      outside.error.message,
      'no route GET /nope; the routes are listed in /openapi.json',
    );
  });

  it("answers Fastify's own errors in the error shape", async () => {
    const badUrl = await errorOf(await p.call('/v1/offers/%%'), 400, 'bad URL');
    assert.equal(badUrl.error.code, 'request/bad-url');
    await errorOf(await fetch(`${p.plane.url}/%`), 400, 'bad URL outside /v1');
    const json = { 'content-type': 'application/json' };
    const badJson = await errorOf(
      await p.call('/v1/tokens', { method: 'POST', body: '{"name":', headers: json }),
      400,
      'bad JSON',
    );
    assert.equal(badJson.error.code, 'request/invalid');
    await errorOf(
      await p.call('/v1/tokens', { method: 'POST', body: '', headers: json }),
      400,
      'empty JSON',
    );
    const media = await errorOf(
      await p.call('/v1/tokens', {
        method: 'POST',
        body: '<name/>',
        headers: { 'content-type': 'application/xml' },
      }),
      415,
      'unsupported media type',
    );
    assert.equal(media.error.code, 'request/unsupported-media-type');
    const large = await errorOf(
      await p.call('/v1/tokens', {
        method: 'POST',
        body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
      }),
      413,
      'body too large',
    );
    assert.equal(large.error.code, 'request/too-large');
  });

  it("answers a request Node's HTTP parser refuses in the error shape", async () => {
    const { port } = new URL(p.plane.url);
    for (const raw of [
      `GET /v1/offers HTTP/1.1\r\nHost: x\r\nIdempotency-Key: a\u0000b\r\n\r\n`,
      'NONSENSE\r\n\r\n',
      `GET /v1/offers HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`,
    ]) {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.end(raw, 'latin1');
        });
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        socket.on('error', reject);
        socket.on('close', () => {
          resolve(text);
        });
      });
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      assert.match(head, /^HTTP\/1\.1 4\d\d /, answer);
      assert.ok(ErrorShape.safeParse(JSON.parse(body)).success, body);
    }
  });
});

describe('GET /healthz', () => {
  it('names a full disk, an unreachable server and other failures without SQL', () => {
    const wrapped = (cause: Error) =>
      Object.assign(new Error('Failed query: SELECT 1\nparams: secret'), {
        query: 'SELECT 1',
        params: ['secret'],
        cause,
      });
    const full = databaseProblem(
      wrapped(
        Object.assign(new Error('could not extend file: No space left on device'), {
          code: '53100',
          severity: 'ERROR',
        }),
      ),
    );
    assert.equal(full.status, 503);
    assert.equal(full.code, 'storage/disk-full');
    assert.match(full.message, /^the database disk is full \(ENOSPC\): free space/);
    const enospc = databaseProblem(
      Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }),
    );
    assert.equal(enospc.code, 'storage/disk-full');
    const refused = databaseProblem(
      wrapped(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    );
    assert.equal(refused.code, 'storage/unavailable');
    assert.match(refused.message, /\(ECONNREFUSED\)/);
    const shutdown = databaseProblem(
      Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
        severity: 'FATAL',
      }),
    );
    assert.equal(shutdown.code, 'storage/unavailable');
    const other = databaseProblem(
      wrapped(
        Object.assign(new Error('permission denied for table offers'), {
          code: '42501',
          severity: 'ERROR',
        }),
      ),
    );
    assert.equal(other.code, 'storage/failed');
    assert.equal(other.message, 'the database failed (42501): permission denied for table offers');
    for (const problem of [full, refused, other]) {
      assert.doesNotMatch(problem.message, /SELECT|secret/);
    }
  });
});
