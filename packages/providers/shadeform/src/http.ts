import createClient, { type Client } from 'openapi-fetch';
import {
  ProviderHttp,
  type RawResult,
  type Replay,
  type RetryPolicy,
} from '@cloudplane/provider-kit';
import type { Logger } from '@cloudplane/sdk';
import type { z } from 'zod';
import { describeShadeformError, errorRules, type NotFoundCode } from './errors.js';
import type { paths } from './generated/api.js';

/**
 * The HTTP layer: the typed client generated from Shadeform's spec (openapi-fetch) with the
 * spec's `X-API-KEY` header, on the shared provider kit (timeout per request, errors mapped by
 * status and wording, zod parsing of every answer, bounded retries honouring Retry-After).
 */

export { DEFAULT_RETRY, type Replay, type RetryPolicy } from '@cloudplane/provider-kit';

export interface Call<T> {
  /** For messages and logs: "launch instance", "get instance d290…". */
  readonly operation: string;
  readonly schema: z.ZodType<T>;
  readonly replay: Replay;
  /** What a 404 means for this request. Default RESOURCE_NOT_FOUND. */
  readonly notFound?: NotFoundCode;
  readonly send: (client: Client<paths>, init: { signal: AbortSignal }) => Promise<RawResult>;
}

export interface ShadeformHttpOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly fetch: typeof fetch;
  readonly logger: Logger;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

export class ShadeformHttp {
  private readonly client: Client<paths>;
  private readonly http: ProviderHttp;

  constructor(options: ShadeformHttpOptions) {
    const injected = options.fetch;
    this.client = createClient<paths>({
      baseUrl: options.baseUrl,
      // A wrapper, so that tests can swap fetch and openapi-fetch never binds it to itself.
      fetch: (request: Request) => injected(request),
      headers: { 'x-api-key': options.apiKey },
    });
    this.http = new ProviderHttp({
      providerId: 'shadeform',
      displayName: 'Shadeform',
      logger: options.logger,
      retry: options.retry,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      describeError: describeShadeformError,
    });
  }

  call<T>(call: Call<T>): Promise<T> {
    return this.http.call({
      operation: call.operation,
      schema: call.schema,
      replay: call.replay,
      rules: errorRules(call.notFound ?? 'RESOURCE_NOT_FOUND'),
      send: (init) => call.send(this.client, init),
    });
  }
}
