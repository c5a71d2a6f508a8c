import createClient, { type Client } from 'openapi-fetch';
import pRetry from 'p-retry';
import { CloudError, cloudErrorFromHttp, sleep, type Logger } from '@cloudplane/sdk';
import type { z } from 'zod';
import { errorRules, type NotFoundCode } from './errors.js';
import type { paths } from './generated/api.js';
import { ErrorBodyWire } from './wire.js';

/**
 * The HTTP layer: the typed client generated from Lambda's spec (openapi-fetch), bearer auth, a
 * timeout per request, Lambda's error bodies turned into CloudErrors, zod parsing of every
 * answer, and bounded retries that honour Retry-After.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error goes to the caller. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  minDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/**
 * When a failed request may be sent again: `idempotent` after any retryable failure; `if-refused`
 * only after a 429, when Lambda certainly did not act; `never` leaves it to the caller (launch,
 * which first checks whether the instance exists).
 */
export type Replay = 'idempotent' | 'if-refused' | 'never';

/** What openapi-fetch returns with `parseAs: 'text'`. */
interface RawResult {
  readonly data?: string | undefined;
  readonly error?: unknown;
  readonly response: Response;
}

export interface Call<T> {
  /** For messages and logs: "launch instance", "get instance 0920…". */
  readonly operation: string;
  readonly schema: z.ZodType<T>;
  readonly replay: Replay;
  /** What Lambda's "object does not exist" means for this request. */
  readonly notFound?: NotFoundCode;
  readonly send: (client: Client<paths>, init: { signal: AbortSignal }) => Promise<RawResult>;
}

export interface LambdaHttpOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly fetch: typeof fetch;
  readonly logger: Logger;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

export class LambdaHttp {
  private readonly client: Client<paths>;

  constructor(private readonly options: LambdaHttpOptions) {
    const injected = options.fetch;
    this.client = createClient<paths>({
      baseUrl: options.baseUrl,
      // A wrapper, so that tests can swap fetch and openapi-fetch never binds it to itself.
      fetch: (request: Request) => injected(request),
      headers: { authorization: `Bearer ${options.apiKey}` },
    });
  }

  async call<T>(call: Call<T>): Promise<T> {
    const { retry, signal, logger } = this.options;
    const mayRetry = (err: unknown): boolean =>
      err instanceof CloudError &&
      err.retryable &&
      (call.replay === 'idempotent' ||
        (call.replay === 'if-refused' && err.code === 'RATE_LIMITED'));
    return pRetry(() => this.once(call), {
      retries: call.replay === 'never' ? 0 : retry.attempts - 1,
      minTimeout: retry.minDelayMs,
      maxTimeout: retry.maxDelayMs,
      randomize: true,
      ...(signal ? { signal } : {}),
      shouldRetry: ({ error }) => mayRetry(error),
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        if (!mayRetry(error) || retriesLeft === 0) return;
        const wait = error instanceof CloudError ? (error.retryAfterMs ?? 0) : 0;
        if (wait > retry.maxRetryAfterMs) throw error;
        logger.warn(
          {
            provider: 'lambda',
            operation: call.operation,
            attempt: attemptNumber,
            retriesLeft,
            code: error instanceof CloudError ? error.code : undefined,
            retryAfterMs: wait,
          },
          'Lambda request failed; retrying',
        );
        if (wait > 0) await sleep(wait, signal);
      },
    });
  }

  private async once<T>(call: Call<T>): Promise<T> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const outer = this.options.signal;
    const signal = outer ? AbortSignal.any([timeout, outer]) : timeout;
    let result: RawResult;
    try {
      result = await call.send(this.client, { signal });
    } catch (err) {
      if (outer?.aborted === true) throw outer.reason;
      throw new CloudError('SERVICE_UNAVAILABLE', {
        message: `${call.operation}: ${timeout.aborted ? `no answer from Lambda within ${this.options.timeoutMs} ms` : `could not reach Lambda (${err instanceof Error ? err.message : String(err)})`}`,
        cause: err,
      });
    }
    const { response } = result;
    if (!response.ok) throw this.failure(call, response, result.error);
    return parseBody(call, response.status, result.data);
  }

  private failure(call: Call<unknown>, response: Response, error: unknown): CloudError {
    const bodyText =
      error === undefined ? '' : typeof error === 'string' ? error : JSON.stringify(error);
    const parsed = ErrorBodyWire.safeParse(error);
    const detail = parsed.success ? parsed.data : undefined;
    return cloudErrorFromHttp(
      {
        status: response.status,
        bodyText,
        operation: call.operation,
        retryAfterHeader: response.headers.get('retry-after'),
        ...(detail
          ? { providerCode: detail.error.code, providerMessage: describeLambdaError(detail) }
          : {}),
      },
      errorRules(call.notFound ?? 'RESOURCE_NOT_FOUND'),
    );
  }
}

/** Lambda's message, its suggestion and the per-field problems, as one sentence. */
function describeLambdaError(body: z.infer<typeof ErrorBodyWire>): string {
  const { message, suggestion } = body.error;
  const fields = Object.entries(body.field_errors ?? {}).map(([f, e]) => `${f}: ${e.message}`);
  return [
    message,
    ...(fields.length > 0 ? [`(${fields.join('; ')})`] : []),
    ...(suggestion ? [`— ${suggestion}`] : []),
  ].join(' ');
}

function parseBody<T>(call: Call<T>, status: number, text: string | undefined): T {
  let json: unknown;
  try {
    json = text === undefined || text === '' ? undefined : JSON.parse(text);
  } catch {
    throw unreadable(call, status, text ?? '', 'not JSON');
  }
  const parsed = call.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw unreadable(
      call,
      status,
      text ?? '',
      issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unexpected shape',
    );
  }
  return parsed.data;
}

function unreadable(call: Call<unknown>, status: number, raw: string, why: string): CloudError {
  return new CloudError('INTERNAL', {
    message: `${call.operation}: Lambda sent an answer we cannot read (${why})`,
    detail: { httpStatus: status, raw },
  });
}
