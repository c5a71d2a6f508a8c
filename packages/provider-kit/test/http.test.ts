import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CloudError, isCloudError, memoryLogger, type HttpErrorRule } from '@cloudplane/sdk';
import { z } from 'zod';
import {
  mayReplay,
  parseBody,
  ProviderHttp,
  retrying,
  type RawResult,
  type Replay,
  type RetryPolicy,
} from '../src/index.js';

/** No real waiting: the tests count attempts, they never time them. */
const FAST: RetryPolicy = { attempts: 4, minDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 60_000 };

const Body = z.looseObject({ ok: z.literal(true) });

function answer(status: number, body: string, headers: Record<string, string> = {}): RawResult {
  const response = new Response(status === 204 ? null : body, { status, headers });
  return status < 400 ? { response, data: body } : { response, error: body };
}

/** An HTTP layer over a scripted list of answers; `sent` counts the requests. */
function scripted(
  answers: (RawResult | Error)[],
  options: {
    replay?: Replay;
    retry?: Partial<RetryPolicy>;
    rules?: HttpErrorRule[];
    timeoutMs?: number;
  } = {},
) {
  const logger = memoryLogger();
  const state = { sent: 0 };
  const http = new ProviderHttp({
    providerId: 'acme',
    displayName: 'Acme',
    logger,
    retry: { ...FAST, ...options.retry },
    timeoutMs: options.timeoutMs ?? 10_000,
    describeError: (body) => {
      const parsed = z.looseObject({ code: z.string(), message: z.string() }).safeParse(body);
      return parsed.success
        ? { providerCode: parsed.data.code, providerMessage: parsed.data.message }
        : undefined;
    },
  });
  const run = () =>
    http.call({
      operation: 'list things',
      schema: Body,
      replay: options.replay ?? 'idempotent',
      rules: options.rules ?? [],
      send: () => {
        const next = answers[Math.min(state.sent, answers.length - 1)];
        state.sent++;
        if (next === undefined) throw new Error('no answer scripted');
        if (next instanceof Error) return Promise.reject(next);
        return Promise.resolve(next);
      },
    });
  return { run, state, logger };
}

describe('ProviderHttp', () => {
  it('parses a good answer', async () => {
    const { run, state } = scripted([answer(200, '{"ok":true,"extra":1}')]);
    assert.deepEqual(await run(), { ok: true, extra: 1 });
    assert.equal(state.sent, 1);
  });

  it('retries a 429 and passes the Retry-After on, then succeeds', async () => {
    const { run, state, logger } = scripted([
      answer(429, '{"code":"slow-down","message":"too many"}', { 'retry-after': '0' }),
      answer(503, 'busy'),
      answer(200, '{"ok":true}'),
    ]);
    assert.deepEqual(await run(), { ok: true });
    assert.equal(state.sent, 3);
    const retries = logger.entries.filter((e) => e.msg === 'Acme request failed; retrying');
    assert.deepEqual(
      retries.map((e) => [e.obj.code, e.obj.retryAfterMs]),
      [
        ['RATE_LIMITED', 0],
        ['SERVICE_UNAVAILABLE', 0],
      ],
    );
  });

  it('waits for the retryAfterMs of the error (through the abortable sleep)', async () => {
    const waited: number[] = [];
    const logger = memoryLogger();
    let calls = 0;
    const result = await retrying(
      () => {
        calls++;
        if (calls === 1) {
          return Promise.reject(new CloudError('RATE_LIMITED', { retryAfterMs: 1 }));
        }
        return Promise.resolve('done');
      },
      {
        policy: FAST,
        replay: 'idempotent',
        operation: 'x',
        providerId: 'acme',
        displayName: 'Acme',
        logger: {
          ...logger,
          warn: (obj: Record<string, unknown>, msg: string) => {
            waited.push(obj.retryAfterMs as number);
            logger.warn(obj, msg);
          },
        },
      },
    );
    assert.equal(result, 'done');
    assert.deepEqual(waited, [1]);
  });

  it('gives a Retry-After beyond the bound to the caller, or caps it when told to', async () => {
    const long = () => answer(429, '{}', { 'retry-after': '3600' });
    const fail = scripted([long(), answer(200, '{"ok":true}')]);
    const err = await fail.run().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'RATE_LIMITED'));
    assert.equal(err.retryAfterMs, 3_600_000);
    assert.equal(fail.state.sent, 1);
    const cap = scripted([long(), answer(200, '{"ok":true}')], {
      retry: { maxRetryAfterMs: 0, beyondMaxRetryAfter: 'cap' },
    });
    assert.deepEqual(await cap.run(), { ok: true });
    assert.equal(cap.state.sent, 2);
  });

  it('never retries a 4xx', async () => {
    for (const status of [400, 401, 403, 404, 409, 422]) {
      const { run, state } = scripted([answer(status, 'no'), answer(200, '{"ok":true}')]);
      const err = await run().catch((e: unknown) => e);
      assert.ok(err instanceof CloudError, String(status));
      assert.equal(err.retryable, false, String(status));
      assert.equal(state.sent, 1, String(status));
    }
  });

  it("does not replay under 'never', and replays only 429 under 'if-refused'", async () => {
    const never = scripted([answer(503, 'busy'), answer(200, '{"ok":true}')], { replay: 'never' });
    assert.ok(isCloudError(await never.run().catch((e: unknown) => e), 'SERVICE_UNAVAILABLE'));
    assert.equal(never.state.sent, 1);
    const neverRefused = scripted([answer(429, '{}'), answer(200, '{"ok":true}')], {
      replay: 'never',
    });
    assert.ok(isCloudError(await neverRefused.run().catch((e: unknown) => e), 'RATE_LIMITED'));
    assert.equal(neverRefused.state.sent, 1);
    const refused = scripted([answer(429, '{}'), answer(200, '{"ok":true}')], {
      replay: 'if-refused',
    });
    assert.deepEqual(await refused.run(), { ok: true });
    assert.equal(refused.state.sent, 2);
    const ambiguous = scripted([answer(502, 'gateway'), answer(200, '{"ok":true}')], {
      replay: 'if-refused',
    });
    assert.ok(isCloudError(await ambiguous.run().catch((e: unknown) => e), 'SERVICE_UNAVAILABLE'));
    assert.equal(ambiguous.state.sent, 1);
  });

  it('stops after the bounded attempts with the last error', async () => {
    const { run, state } = scripted([answer(500, 'oops')], { retry: { attempts: 3 } });
    const err = await run().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INTERNAL'));
    assert.equal(state.sent, 3);
  });

  it('maps a timeout to SERVICE_UNAVAILABLE', async () => {
    const logger = memoryLogger();
    const http = new ProviderHttp({
      providerId: 'acme',
      displayName: 'Acme',
      logger,
      retry: { ...FAST, attempts: 1 },
      timeoutMs: 1,
    });
    const err = await http
      .call({
        operation: 'slow thing',
        schema: Body,
        replay: 'idempotent',
        // Answers only when the request's signal aborts (the timeout), whenever that is. The
        // interval keeps the event loop alive: AbortSignal.timeout's own timer does not.
        send: ({ signal }) =>
          new Promise<RawResult>((_, reject) => {
            const alive = setInterval(() => undefined, 1_000);
            signal.addEventListener('abort', () => {
              clearInterval(alive);
              reject(signal.reason as Error);
            });
          }),
      })
      .catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'SERVICE_UNAVAILABLE'), String(err));
    assert.match(err.message, /slow thing: no answer from Acme within 1 ms/);
    assert.equal(err.retryable, true);
  });

  it('maps a refused connection to SERVICE_UNAVAILABLE, and an outer abort to its reason', async () => {
    const { run } = scripted([new TypeError('fetch failed')], { retry: { attempts: 1 } });
    const err = await run().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'SERVICE_UNAVAILABLE'));
    assert.match(err.message, /could not reach Acme \(fetch failed\)/);

    const controller = new AbortController();
    const http = new ProviderHttp({
      providerId: 'acme',
      displayName: 'Acme',
      logger: memoryLogger(),
      retry: FAST,
      timeoutMs: 10_000,
      signal: controller.signal,
    });
    const pending = http.call({
      operation: 'x',
      schema: Body,
      replay: 'idempotent',
      send: ({ signal }) =>
        new Promise<RawResult>((_, reject) => {
          signal.addEventListener('abort', () => {
            reject(new Error('aborted'));
          });
        }),
    });
    controller.abort(new Error('shutting down'));
    await assert.rejects(pending, /shutting down/);
  });

  it("uses the adapter's error rules and describer before the status", async () => {
    const { run } = scripted([answer(400, '{"code":"no-stock","message":"sold out"}')], {
      rules: [{ providerCode: 'no-stock', code: 'INSUFFICIENT_CAPACITY' }],
    });
    const err = await run().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INSUFFICIENT_CAPACITY'));
    assert.equal(err.scope, 'offer');
    assert.equal(err.message, 'list things: sold out');
    assert.equal(err.detail.providerCode, 'no-stock');
    assert.equal(err.detail.httpStatus, 400);
    const plain = scripted([answer(404, 'not here')]);
    const notFound = await plain.run().catch((e: unknown) => e);
    assert.ok(isCloudError(notFound, 'RESOURCE_NOT_FOUND'));
    assert.equal(notFound.detail.raw, 'not here');
  });

  it('retries an unreadable answer, then fails with INTERNAL and the raw text in detail', async () => {
    const { run, state } = scripted([answer(200, '<html>oops')], { retry: { attempts: 2 } });
    const err = await run().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INTERNAL'), String(err));
    assert.match(err.message, /Acme sent an answer we cannot read \(not JSON\)/);
    assert.equal(err.detail.raw, '<html>oops');
    assert.equal(err.detail.httpStatus, 200);
    assert.equal(state.sent, 2);
  });
});

describe('parseBody', () => {
  const context = { operation: 'get thing', displayName: 'Acme', status: 200 };

  it('names the first problem of a body in the wrong shape', () => {
    const err = (() => {
      try {
        parseBody(Body, { ...context, text: '{"ok":false}' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(isCloudError(err, 'INTERNAL'));
    assert.match(err.message, /cannot read \(ok: /);
    assert.equal(err.detail.raw, '{"ok":false}');
  });

  it('reads an empty body as undefined', () => {
    const Empty = z.object({}).optional();
    assert.equal(parseBody(Empty, { ...context, text: '' }), undefined);
    assert.equal(parseBody(Empty, { ...context, text: undefined }), undefined);
  });
});

describe('mayReplay', () => {
  it('replays only retryable CloudErrors, as the policy allows', () => {
    const limited = new CloudError('RATE_LIMITED');
    const down = new CloudError('SERVICE_UNAVAILABLE');
    const bad = new CloudError('INVALID_ARGUMENT');
    assert.equal(mayReplay(limited, 'if-refused'), true);
    assert.equal(mayReplay(down, 'if-refused'), false);
    assert.equal(mayReplay(down, 'idempotent'), true);
    assert.equal(mayReplay(bad, 'idempotent'), false);
    assert.equal(mayReplay(limited, 'never'), false);
    assert.equal(mayReplay(new Error('x'), 'idempotent'), false);
  });
});
