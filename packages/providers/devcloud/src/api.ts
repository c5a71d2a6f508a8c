import { ProviderHttp, type HttpCall, type RawResult } from '@cloudplane/provider-kit';
import type { HttpErrorRule, Logger } from '@cloudplane/sdk';
import { z } from 'zod';

/**
 * The HTTP layer: auth and devcloud's error shape, on the shared provider kit (timeouts, typed
 * errors, bounded retries of retryable failures honouring Retry-After, zod parsing of every
 * response).
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
  private readonly http: ProviderHttp;

  constructor(private readonly options: ApiOptions) {
    this.http = new ProviderHttp({
      providerId: 'devcloud',
      displayName: 'devcloud',
      logger: options.logger,
      retry: {
        attempts: options.attempts ?? 4,
        minDelayMs: 100,
        maxDelayMs: 5000,
        maxRetryAfterMs: 30_000,
        beyondMaxRetryAfter: 'cap',
      },
      timeoutMs: options.timeoutMs ?? 15_000,
      signal: options.signal,
      describeError: (body) => {
        const parsed = ErrorBody.safeParse(body);
        return parsed.success
          ? { providerCode: parsed.data.error.code, providerMessage: parsed.data.error.message }
          : undefined;
      },
    });
  }

  request<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    request: RequestOptions & { readonly memo?: HttpCall<T>['memo'] },
  ): Promise<T> {
    return this.http.call({
      operation: request.operation,
      schema,
      replay: request.idempotent ? 'idempotent' : 'never',
      rules: ERROR_RULES,
      send: (init) => this.send(method, path, request.body, init.signal),
      ...(request.memo === undefined ? {} : { memo: request.memo }),
    });
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    signal: AbortSignal,
  ): Promise<RawResult> {
    const response = await this.options.fetch(new URL(path, this.options.baseUrl), {
      method,
      signal,
      headers: {
        authorization: `Bearer ${this.options.apiKey}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return response.ok ? { response, data: text } : { response, error: text };
  }
}
