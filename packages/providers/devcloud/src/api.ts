import pRetry, { AbortError } from 'p-retry';
import { CloudError, cloudErrorFromHttp, type HttpErrorRule, type Logger } from '@cloudplane/sdk';
import { z } from 'zod';

/**
 * The HTTP layer: auth, timeouts, typed errors from devcloud's error shape, bounded retries of
 * retryable failures (honouring Retry-After), and zod parsing of every response.
 */

const ErrorBody = z.looseObject({
  error: z.looseObject({ code: z.string(), message: z.string() }),
});

/** devcloud's own error codes, read before the status. */
const ERROR_RULES: readonly HttpErrorRule[] = [
  { providerCode: 'capacity/insufficient', code: 'INSUFFICIENT_CAPACITY' },
  { providerCode: 'quota/exceeded', code: 'OUT_OF_QUOTA' },
  { providerCode: 'instance/not-found', code: 'INSTANCE_NOT_FOUND' },
  { providerCode: 'ssh-key/not-found', code: 'RESOURCE_NOT_FOUND' },
  { providerCode: 'auth/invalid-api-key', code: 'UNAUTHENTICATED' },
  { providerCode: 'rate/limited', code: 'RATE_LIMITED' },
  { providerCode: 'instance/invalid-state', code: 'INVALID_ARGUMENT' },
  { providerCode: 'request/invalid', code: 'INVALID_ARGUMENT' },
  { providerCode: 'unavailable', code: 'SERVICE_UNAVAILABLE' },
];

export interface ApiOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly fetch: typeof fetch;
  readonly logger: Logger;
  readonly signal?: AbortSignal | undefined;
  /** Per-request timeout. */
  readonly timeoutMs?: number;
  /** Attempts for retryable failures, first included. */
  readonly attempts?: number;
}

export interface RequestOptions {
  readonly operation: string;
  readonly body?: unknown;
  /** Only idempotent requests are retried. */
  readonly idempotent: boolean;
}

export class DevcloudApi {
  constructor(private readonly options: ApiOptions) {}

  async request<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    request: RequestOptions,
  ): Promise<T> {
    const attempt = async (): Promise<T> => {
      try {
        return await this.once(method, path, schema, request);
      } catch (err) {
        if (!request.idempotent || !(err instanceof CloudError) || !err.retryable)
          throw new AbortError(err as Error);
        throw err;
      }
    };
    return pRetry(attempt, {
      retries: (this.options.attempts ?? 4) - 1,
      minTimeout: 100,
      maxTimeout: 5000,
      randomize: true,
      ...(this.options.signal ? { signal: this.options.signal } : {}),
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        this.options.logger.warn(
          {
            operation: request.operation,
            attempt: attemptNumber,
            retriesLeft,
            code: error instanceof CloudError ? error.code : undefined,
          },
          'devcloud request failed; retrying',
        );
        const wait = error instanceof CloudError ? error.retryAfterMs : undefined;
        if (wait !== undefined && retriesLeft > 0)
          await new Promise((r) => setTimeout(r, Math.min(wait, 30_000)));
      },
    });
  }

  private async once<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    request: RequestOptions,
  ): Promise<T> {
    const url = new URL(path, this.options.baseUrl);
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 15_000);
    const signal = this.options.signal ? AbortSignal.any([timeout, this.options.signal]) : timeout;
    let response: Response;
    try {
      response = await this.options.fetch(url, {
        method,
        signal,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      });
    } catch (err) {
      if (this.options.signal?.aborted === true) throw err;
      throw new CloudError('SERVICE_UNAVAILABLE', {
        message: `${request.operation}: ${timeout.aborted ? 'timed out' : 'could not reach devcloud'}`,
        cause: err,
      });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      throw new CloudError('SERVICE_UNAVAILABLE', {
        message: `${request.operation}: the response was cut off`,
        cause: err,
      });
    }
    if (!response.ok) {
      const parsed = ErrorBody.safeParse(safeJson(text));
      throw cloudErrorFromHttp(
        {
          status: response.status,
          bodyText: text,
          operation: request.operation,
          retryAfterHeader: response.headers.get('retry-after'),
          ...(parsed.success
            ? { providerCode: parsed.data.error.code, providerMessage: parsed.data.error.message }
            : {}),
        },
        ERROR_RULES,
      );
    }
    if (response.status === 204) return schema.parse(undefined);
    const json = safeJson(text);
    const parsed = schema.safeParse(json);
    if (json === undefined || !parsed.success) {
      throw new CloudError('INTERNAL', {
        message: `${request.operation}: devcloud sent a response we cannot read (${json === undefined ? 'not JSON' : (parsed.error?.issues[0]?.message ?? 'unexpected shape')})`,
        retryable: true,
        detail: { httpStatus: response.status, raw: text },
      });
    }
    return parsed.data;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
