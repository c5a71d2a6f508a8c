import pRetry from 'p-retry';
import {
  CloudError,
  cloudErrorFromHttp,
  sleep,
  type HttpErrorRule,
  type Logger,
} from '@cloudplane/sdk';
import type { z } from 'zod';
import type { AnswerMemo } from './answer-memo.js';

/**
 * The HTTP layer every adapter needs, whatever its cloud: a timeout per request tied to the
 * client's abort signal, failed answers turned into CloudErrors through the adapter's own error
 * table, zod parsing of every answer (an unreadable one is a clear INTERNAL error), and bounded
 * retries that honour Retry-After and never resend a request that may not be resent.
 *
 * The transport stays with the adapter (openapi-fetch from its spec, or plain fetch): a call
 * brings a `send` that answers in openapi-fetch's shape (`parseAs: 'text'`).
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** The longest Retry-After waited for. */
  readonly maxRetryAfterMs: number;
  /**
   * What to do with a longer Retry-After: `fail` hands the error to the caller (it carries
   * `retryAfterMs`), `cap` waits `maxRetryAfterMs` and tries again. Default `fail`.
   */
  readonly beyondMaxRetryAfter?: 'fail' | 'cap';
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  minDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/**
 * When a failed request may be sent again: `idempotent` after any retryable failure; `if-refused`
 * only after a 429, when the cloud certainly did not act; `never` leaves it to the caller (a
 * launch, which must first check whether the instance exists).
 */
export type Replay = 'idempotent' | 'if-refused' | 'never';

/** What a `send` answers: openapi-fetch's result with `parseAs: 'text'`. */
export interface RawResult {
  /** The body text of a successful answer. */
  readonly data?: string | undefined;
  /** The body of a failed answer: parsed JSON, or the text when it is not JSON. */
  readonly error?: unknown;
  readonly response: Response;
}

/** The cloud's own code and message, read from an error body by the adapter. */
export interface ProviderErrorInfo {
  readonly providerCode?: string | undefined;
  readonly providerMessage?: string | undefined;
}

/** Reads the cloud's error shape; undefined when the body is not in that shape. */
export type ErrorDescriber = (body: unknown) => ProviderErrorInfo | undefined;

export interface HttpCall<T> {
  /** For messages and logs: "launch instance", "get instance 0920…". */
  readonly operation: string;
  readonly schema: z.ZodType<T>;
  readonly replay: Replay;
  /** The adapter's error table for this request (its own codes win over the status). */
  readonly rules?: readonly HttpErrorRule[];
  readonly send: (init: { signal: AbortSignal }) => Promise<RawResult>;
  /**
   * For answers re-read often and seldom changed: a body identical to the last one under `key`
   * is not parsed again, and with the memo's `list` option only the items of a changed page that
   * differ from last time's are checked (see AnswerMemo).
   */
  readonly memo?: { readonly store: AnswerMemo<T>; readonly key: string };
}

export interface ProviderHttpOptions {
  /** The adapter id, for log fields: `lambda`. */
  readonly providerId: string;
  /** The cloud's name in messages: "Lambda", "Shadeform". */
  readonly displayName: string;
  readonly logger: Logger;
  readonly retry: RetryPolicy;
  /** Per-request timeout. */
  readonly timeoutMs: number;
  /** Aborts in-flight requests and retry waits (shutdown). */
  readonly signal?: AbortSignal | undefined;
  /** Reads the cloud's error body; without it, failures are mapped by status and rules only. */
  readonly describeError?: ErrorDescriber;
}

/** One client's HTTP layer: `call` runs a request with timeout, retries, error mapping, parsing. */
export class ProviderHttp {
  constructor(private readonly options: ProviderHttpOptions) {}

  call<T>(call: HttpCall<T>): Promise<T> {
    const { retry, signal, logger, providerId, displayName } = this.options;
    return retrying(() => this.once(call), {
      policy: retry,
      replay: call.replay,
      operation: call.operation,
      providerId,
      displayName,
      logger,
      signal,
    });
  }

  private async once<T>(call: HttpCall<T>): Promise<T> {
    const { timeoutMs, signal, displayName, describeError } = this.options;
    const result = await withTimeout(call.send, {
      timeoutMs,
      signal,
      operation: call.operation,
      displayName,
    });
    const { response } = result;
    if (!response.ok) {
      throw failureOf(response, result.error, {
        operation: call.operation,
        rules: call.rules ?? [],
        ...(describeError ? { describeError } : {}),
      });
    }
    const context = {
      operation: call.operation,
      displayName,
      status: response.status,
      text: result.data,
    };
    const { memo } = call;
    if (memo === undefined || result.data === undefined) return parseBody(call.schema, context);
    return memo.store.parsed(memo.key, result.data, {
      json: () => readJson(context),
      check: (json) => checkJson(call.schema, json, context),
    });
  }
}

export interface RetryingOptions {
  readonly policy: RetryPolicy;
  readonly replay: Replay;
  readonly operation: string;
  readonly providerId: string;
  readonly displayName: string;
  readonly logger: Logger;
  readonly signal?: AbortSignal | undefined;
}

/** True when `err` may be retried under `replay`. */
export function mayReplay(err: unknown, replay: Replay): boolean {
  return (
    err instanceof CloudError &&
    err.retryable &&
    (replay === 'idempotent' || (replay === 'if-refused' && err.code === 'RATE_LIMITED'))
  );
}

/**
 * Runs `attempt` until it succeeds, a failure may not be replayed, or the attempts are used up
 * (then the last error is thrown). Between attempts it waits the backoff (with jitter) plus the
 * cloud's Retry-After, and logs each retry.
 */
export function retrying<T>(attempt: () => Promise<T>, options: RetryingOptions): Promise<T> {
  const { policy, replay, signal, logger } = options;
  return pRetry(attempt, {
    retries: replay === 'never' ? 0 : Math.max(0, policy.attempts - 1),
    minTimeout: policy.minDelayMs,
    maxTimeout: policy.maxDelayMs,
    randomize: true,
    ...(signal ? { signal } : {}),
    shouldRetry: ({ error }) => mayReplay(error, replay),
    onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
      if (!mayReplay(error, replay) || retriesLeft === 0) return;
      let wait = error instanceof CloudError ? (error.retryAfterMs ?? 0) : 0;
      if (wait > policy.maxRetryAfterMs) {
        if ((policy.beyondMaxRetryAfter ?? 'fail') === 'fail') throw error;
        wait = policy.maxRetryAfterMs;
      }
      logger.warn(
        {
          provider: options.providerId,
          operation: options.operation,
          attempt: attemptNumber,
          retriesLeft,
          code: error instanceof CloudError ? error.code : undefined,
          retryAfterMs: wait,
        },
        `${options.displayName} request failed; retrying`,
      );
      if (wait > 0) await sleep(wait, signal);
    },
  });
}

export interface TimeoutOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly operation: string;
  readonly displayName: string;
}

/**
 * Sends with a timeout tied to the outer signal. No answer in time, or no connection, is
 * SERVICE_UNAVAILABLE; an abort of the outer signal rethrows the signal's reason.
 */
export async function withTimeout<R>(
  send: (init: { signal: AbortSignal }) => Promise<R>,
  options: TimeoutOptions,
): Promise<R> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const outer = options.signal;
  const signal = outer ? AbortSignal.any([timeout, outer]) : timeout;
  try {
    return await send({ signal });
  } catch (err) {
    if (outer?.aborted === true) throw outer.reason;
    throw new CloudError('SERVICE_UNAVAILABLE', {
      message: `${options.operation}: ${
        timeout.aborted
          ? `no answer from ${options.displayName} within ${options.timeoutMs} ms`
          : `could not reach ${options.displayName} (${err instanceof Error ? err.message : String(err)})`
      }`,
      cause: err,
    });
  }
}

/** The CloudError for a failed answer: the adapter's rules first, then the HTTP status. */
export function failureOf(
  response: Response,
  body: unknown,
  options: {
    readonly operation: string;
    readonly rules: readonly HttpErrorRule[];
    readonly describeError?: ErrorDescriber;
  },
): CloudError {
  const bodyText = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const json = typeof body === 'string' ? safeJson(body) : body;
  const info = json === undefined ? undefined : options.describeError?.(json);
  return cloudErrorFromHttp(
    {
      status: response.status,
      bodyText,
      operation: options.operation,
      retryAfterHeader: response.headers.get('retry-after'),
      ...(info?.providerCode !== undefined ? { providerCode: info.providerCode } : {}),
      ...(info?.providerMessage !== undefined ? { providerMessage: info.providerMessage } : {}),
    },
    options.rules,
  );
}

export interface ParseContext {
  readonly operation: string;
  readonly displayName: string;
  readonly status: number;
  /** The body text; empty or absent reads as `undefined`. */
  readonly text: string | undefined;
}

/**
 * Parses an answer's text as JSON and then with `schema`. Anything else is INTERNAL (retryable:
 * a garbled answer may be a passing fault), with the raw text in `detail`.
 */
export function parseBody<T>(schema: z.ZodType<T>, context: ParseContext): T {
  return checkJson(schema, readJson(context), context);
}

/** The answer's text as JSON (undefined for an empty body); INTERNAL when it is not JSON. */
function readJson(context: ParseContext): unknown {
  const text = context.text ?? '';
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    throw unreadable(context, 'not JSON');
  }
}

/** `json` checked with `schema`; INTERNAL, naming the first issue's path, when it does not fit. */
function checkJson<T>(schema: z.ZodType<T>, json: unknown, context: ParseContext): T {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw unreadable(
      context,
      issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unexpected shape',
    );
  }
  return parsed.data;
}

function unreadable(context: ParseContext, why: string): CloudError {
  return new CloudError('INTERNAL', {
    message: `${context.operation}: ${context.displayName} sent an answer we cannot read (${why})`,
    detail: { httpStatus: context.status, raw: context.text ?? '' },
  });
}

/** JSON.parse that answers undefined instead of throwing. */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** What a "not found" answer means for a request: an instance, or another object. */
export type NotFoundCode = 'INSTANCE_NOT_FOUND' | 'RESOURCE_NOT_FOUND';

/** A call through an adapter's typed client (openapi-fetch's, usually). */
export interface ClientCall<C, T> {
  readonly operation: string;
  readonly schema: z.ZodType<T>;
  readonly replay: Replay;
  /** What a "not found" answer means for this request. Default RESOURCE_NOT_FOUND. */
  readonly notFound?: NotFoundCode;
  readonly send: (client: C, init: { signal: AbortSignal }) => Promise<RawResult>;
  /** See HttpCall's `memo`. */
  readonly memo?: HttpCall<T>['memo'];
}

/**
 * ProviderHttp around an adapter's typed client: each call gets the client and the error rules
 * for what "not found" means for it.
 */
export class ClientHttp<C> {
  private readonly http: ProviderHttp;

  constructor(
    private readonly client: C,
    options: ProviderHttpOptions,
    private readonly rulesFor: (notFound: NotFoundCode) => readonly HttpErrorRule[],
  ) {
    this.http = new ProviderHttp(options);
  }

  call<T>(call: ClientCall<C, T>): Promise<T> {
    return this.http.call({
      operation: call.operation,
      schema: call.schema,
      replay: call.replay,
      rules: this.rulesFor(call.notFound ?? 'RESOURCE_NOT_FOUND'),
      send: (init) => call.send(this.client, init),
      ...(call.memo === undefined ? {} : { memo: call.memo }),
    });
  }
}
