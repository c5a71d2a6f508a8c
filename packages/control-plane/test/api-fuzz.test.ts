import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { startPlane, type Plane } from './helpers/plane.js';

/**
 * A property-based walk of the whole API as its OpenAPI document describes it: every operation,
 * every parameter, sent random and hostile values (NUL, huge and negative integers, unicode,
 * long strings, wrong types, repeated and unknown parameters, broken bodies) as an admin. No
 * answer may be a 5xx, and every error must have the one documented shape.
 *
 * Seeded, so a failure replays: fast-check prints the seed and path of the failing run; pass
 * them back as CLOUDPLANE_FUZZ_SEED and CLOUDPLANE_FUZZ_PATH. CLOUDPLANE_FUZZ_RUNS sets the
 * number of requests (default 300), CLOUDPLANE_FUZZ_SECONDS the time limit (default 90).
 */

const SEED = Number(process.env.CLOUDPLANE_FUZZ_SEED ?? 20_260_113);
const RUNS = Number(process.env.CLOUDPLANE_FUZZ_RUNS ?? 300);
/**
 * The walk stops after this long even if not every run was made (a loaded machine): requests
 * take about 50 ms each here, and a few hundred of them are the point, not the count.
 */
const TIME_LIMIT_MS = Number(process.env.CLOUDPLANE_FUZZ_SECONDS ?? 90) * 1000;
/** Fewer requests than this in the time limit is a failure: the walk proved too little. */
const MIN_REQUESTS = 50;
const PATH = process.env.CLOUDPLANE_FUZZ_PATH;
/** A stream, not a request: it answers 200 and stays open. */
const SKIPPED = new Set(['GET /v1/events']);

const ErrorShape = z.strictObject({
  error: z.strictObject({
    code: z.string().min(1),
    message: z.string().min(1),
    details: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
  }),
});

/** The parts of a JSON schema the generators read. */
const JsonSchema = z.looseObject({
  type: z.union([z.string(), z.array(z.string())]).optional(),
  enum: z.array(z.unknown()).optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  exclusiveMinimum: z.number().optional(),
  minLength: z.number().optional(),
  maxLength: z.number().optional(),
  pattern: z.string().optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  required: z.array(z.string()).optional(),
  items: z.unknown().optional(),
});
type JsonSchema = z.infer<typeof JsonSchema>;

const Parameter = z.object({
  name: z.string(),
  in: z.enum(['query', 'path', 'header', 'cookie']),
  required: z.boolean().optional(),
  schema: JsonSchema.optional(),
});
type Parameter = z.infer<typeof Parameter>;

const Operation = z.looseObject({
  parameters: z.array(Parameter).optional(),
  requestBody: z
    .object({
      content: z.record(z.string(), z.object({ schema: JsonSchema.optional() })),
    })
    .optional(),
});

const Spec = z.object({
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Op {
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly body: JsonSchema | null;
}

function operationsOf(spec: unknown): Op[] {
  const ops: Op[] = [];
  for (const [path, item] of Object.entries(Spec.parse(spec).paths)) {
    for (const method of METHODS) {
      if (item[method] === undefined) continue;
      const op = Operation.parse(item[method]);
      const body = op.requestBody?.content['application/json']?.schema;
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body: body ?? null,
      });
    }
  }
  return ops;
}

/** Strings no well-behaved client sends. */
const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '%00',
  '\u0000'.repeat(3),
  '2147483647',
  '2147483648',
  '-2147483649',
  '9223372036854775808',
  '99999999999999999999999999999999',
  '-1',
  '0',
  '1.5',
  '1e400',
  '-0',
  'NaN',
  'Infinity',
  '0x10',
  'true',
  'null',
  '[]',
  '{}',
  '{"a":1}',
  "'; DROP TABLE offers; --",
  '../../etc/passwd',
  'é',
  '😀',
  '\u202e',
  '\uffff',
  '\ud800',
  '\u0085',
  'ＡＢＣ',
  'x'.repeat(600),
  'x'.repeat(5_000),
  '\r\n',
  'a b',
  'a&b=c',
  'a#b',
];

/** Written into the URL as they are: escapes that do not decode, or decode to odd bytes. */
const RAW_URL_TEXT = ['%', '%%', '%zz', '%FF', '%ED%A0%80', '%C0%80', '%00', '+', '%2F', '..'];

const hostileText = fc.oneof(
  fc.constantFrom(...HOSTILE_TEXT),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer().map(String),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.double().map(String),
);

/** A value in the URL: encoded text, or raw escapes. */
interface UrlValue {
  readonly text: string;
  readonly raw: boolean;
}

function urlValue(schema: JsonSchema | undefined): fc.Arbitrary<UrlValue> {
  return fc.oneof(
    { weight: 3, arbitrary: fitting(schema).map((text) => ({ text, raw: false })) },
    { weight: 4, arbitrary: hostileText.map((text) => ({ text, raw: false })) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_URL_TEXT).map((text) => ({ text, raw: true })) },
  );
}

/** A value the schema would take, or just past its edges. */
function fitting(schema: JsonSchema | undefined): fc.Arbitrary<string> {
  if (!schema) return fc.string({ maxLength: 20 });
  if (schema.enum) return fc.constantFrom(...schema.enum.map((v) => String(v)));
  if (schema.type === 'integer' || schema.type === 'number') {
    const min = schema.minimum ?? schema.exclusiveMinimum ?? -(2 ** 31);
    const max = Math.min(schema.maximum ?? 2 ** 31, Number.MAX_SAFE_INTEGER);
    return fc.oneof(
      fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) }).map(String),
      fc.constantFrom(min - 1, min, max, max + 1, max * 2).map(String),
    );
  }
  if (schema.type === 'boolean') return fc.constantFrom('true', 'false');
  const maxLength = Math.min(schema.maxLength ?? 64, 64);
  return fc.oneof(
    fc.string({ minLength: schema.minLength ?? 0, maxLength }),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
    fc.constantFrom('H100', 'devcloud', 'USD', '2.5', 'me', 'admin-x'),
  );
}

/** A JSON value for a body: shaped like the schema, or anything at all. */
function jsonFor(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const anything = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(...HOSTILE_TEXT),
    fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 63, Number.MAX_SAFE_INTEGER + 2, -1, 1e308),
  );
  if (!schema || depth > 3) return anything;
  if (schema.type === 'object' && schema.properties) {
    const entries = Object.entries(schema.properties).map(
      ([key, value]) => [key, jsonFor(JsonSchema.safeParse(value).data, depth + 1)] as const,
    );
    return fc
      .tuple(
        fc.record(Object.fromEntries(entries), { requiredKeys: [] }),
        fc.dictionary(hostileText, anything, { maxKeys: 2 }),
      )
      .map(([known, extra]) => ({ ...extra, ...known }));
  }
  if (schema.type === 'array') {
    const items = jsonFor(JsonSchema.safeParse(schema.items).data, depth + 1);
    return fc.oneof(fc.array(items, { maxLength: 3 }), anything);
  }
  if (schema.enum) return fc.oneof(fc.constantFrom(...schema.enum), anything);
  return fc.oneof(fitting(schema), anything);
}

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

/** Whether fetch accepts a header value (Latin-1, no NUL, CR or LF). */
function sendableHeader(value: string): boolean {
  return /^[\t\x20-\x7e\x80-\xff]*$/.test(value);
}

/** Percent-encodes every byte but the unreserved ones; lone surrogates become U+FFFD. */
function encode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function requestFor(op: Op): fc.Arbitrary<Sent> {
  const params = op.parameters.filter((p) => p.in !== 'cookie');
  const values = params.map((p) =>
    p.in === 'path' || p.required === true
      ? urlValue(p.schema).map((v) => [p, v] as const)
      : fc.option(urlValue(p.schema), { nil: undefined }).map((v) => [p, v] as const),
  );
  const known = new Set(params.map((p) => p.name));
  const unknown = fc.option(
    fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('maxprice', 'LIMIT', 'foo', '__proto__', 'constructor', 'gpu[]'),
          fc.string({ minLength: 1, maxLength: 10 }),
        ),
        hostileText,
      ),
      { maxLength: 2 },
    ),
    { nil: undefined, freq: 3 },
  );
  const repeated = fc.option(fc.constantFrom(...(params.length > 0 ? params : [null])), {
    nil: undefined,
    freq: 6,
  });
  const body: fc.Arbitrary<{ text: string | undefined; type: string | undefined }> =
    op.body === null
      ? fc.oneof(
          { weight: 6, arbitrary: fc.constant({ text: undefined, type: undefined }) },
          {
            weight: 1,
            arbitrary: fc.jsonValue({ maxDepth: 1 }).map((v) => ({
              text: JSON.stringify(v),
              type: 'application/json',
            })),
          },
        )
      : fc.oneof(
          {
            weight: 6,
            arbitrary: jsonFor(op.body).map((v) => ({
              text: JSON.stringify(v),
              type: 'application/json',
            })),
          },
          {
            weight: 1,
            arbitrary: fc
              .constantFrom('{', '{"a":', '[1,]', 'nul', '"\\u0000"', '{"name":"\\ud800"}', '')
              .map((text) => ({ text, type: 'application/json' })),
          },
          {
            weight: 1,
            arbitrary: fc
              .constantFrom('text/plain', 'application/xml', 'multipart/form-data', 'x/y')
              .map((type) => ({ text: 'name=x', type })),
          },
          { weight: 1, arbitrary: fc.constant({ text: undefined, type: undefined }) },
        );
  return fc
    .tuple(fc.tuple(...values), unknown, repeated, body)
    .map(([chosen, extra, again, payload]) => {
      let path = op.path;
      const query: string[] = [];
      const headers: Record<string, string> = {};
      for (const [param, value] of chosen) {
        if (value === undefined) continue;
        const text = value.raw ? value.text : encode(value.text);
        if (param.in === 'path') path = path.replace(`{${param.name}}`, text);
        else if (param.in === 'query') query.push(`${encode(param.name)}=${text}`);
        else if (sendableHeader(value.text)) headers[param.name] = value.text;
        if (again && again.name === param.name && param.in === 'query') {
          query.push(`${encode(param.name)}=${text}`);
        }
      }
      for (const [name, value] of extra ?? []) {
        if (!known.has(name)) query.push(`${encode(name)}=${encode(value)}`);
      }
      // fetch sends no body with a GET.
      const withBody = op.method !== 'GET' && payload.text !== undefined;
      if (withBody && payload.type !== undefined) headers['content-type'] = payload.type;
      return {
        method: op.method,
        url: `${path}${query.length > 0 ? `?${query.join('&')}` : ''}`,
        headers,
        body: withBody ? payload.text : undefined,
      };
    });
}

describe('the API under random and hostile input (fast-check, seeded)', () => {
  let p: Plane;
  let ops: Op[];
  before(async () => {
    p = await startPlane();
    await p.until(
      async () =>
        (await (await p.call(`/v1/credentials/${p.credentialId}`)).text()).includes('"ok"'),
      'the first sync',
    );
    ops = operationsOf(await (await fetch(`${p.plane.url}/openapi.json`)).json());
  });
  after(async () => {
    await p.close();
  });

  it('walks every operation and parameter of /openapi.json', () => {
    const walked = ops.map((op) => `${op.method} ${op.path}`);
    for (const expected of [
      'GET /v1/offers',
      'GET /v1/catalog/changes',
      'POST /v1/credentials',
      'GET /v1/credentials/{id}/syncs',
      'POST /v1/instances',
      'GET /v1/instances/{id}/events',
      'POST /v1/orphans/{id}/adopt',
    ]) {
      assert.ok(walked.includes(expected), `${expected} in ${walked.join(', ')}`);
    }
  });

  it(
    'answers no 5xx, and every error in the one shape',
    { timeout: TIME_LIMIT_MS + 120_000 },
    async () => {
      const fuzzed = ops.filter((op) => !SKIPPED.has(`${op.method} ${op.path}`));
      const seen = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...fuzzed).chain((op) => requestFor(op)),
          async (sent) => {
            const response = await fetch(`${p.plane.url}${sent.url}`, {
              method: sent.method,
              headers: { authorization: `Bearer ${p.token}`, ...sent.headers },
              ...(sent.body === undefined ? {} : { body: sent.body }),
              signal: AbortSignal.timeout(15_000),
            });
            const text = await response.text();
            const what = `${sent.method} ${sent.url.slice(0, 300)} (body ${String(sent.body?.slice(0, 200))}) -> ${String(response.status)} ${text.slice(0, 300)}`;
            seen.set(String(response.status), (seen.get(String(response.status)) ?? 0) + 1);
            assert.ok(response.status < 500, what);
            if (response.status >= 400) {
              let json: unknown;
              try {
                json = JSON.parse(text);
              } catch {
                assert.fail(`not JSON: ${what}`);
              }
              assert.ok(ErrorShape.safeParse(json).success, `not the error shape: ${what}`);
            }
          },
        ),
        {
          seed: SEED,
          numRuns: RUNS,
          interruptAfterTimeLimit: TIME_LIMIT_MS,
          markInterruptAsFailure: false,
          ...(PATH === undefined ? {} : { path: PATH }),
        },
      );
      const sent = [...seen.values()].reduce((a, b) => a + b, 0);
      assert.ok(sent >= MIN_REQUESTS, `only ${String(sent)} requests within the time limit`);
      // The walk reached past validation too, and the API still works for its admin.
      assert.ok(
        [...seen.keys()].some((status) => status.startsWith('2')),
        JSON.stringify([...seen]),
      );
      assert.equal((await fetch(`${p.plane.url}/healthz`)).status, 200);
      assert.equal((await p.call('/v1/users/me')).status, 200);
    },
  );
});
