import createClient, { type Client } from 'openapi-fetch';
import { ClientHttp, type ClientCall, type RetryPolicy } from '@cloudplane/provider-kit';
import type { Logger } from '@cloudplane/sdk';
import { describeShadeformError, errorRules } from './errors.js';
import type { paths } from './generated/api.js';

/**
 * The HTTP layer: the typed client generated from Shadeform's spec (openapi-fetch) with the
 * spec's `X-API-KEY` header, on the shared provider kit (timeout per request, errors mapped by
 * status and wording, zod parsing of every answer, bounded retries honouring Retry-After).
 */

export { DEFAULT_RETRY, type Replay, type RetryPolicy } from '@cloudplane/provider-kit';

export type Call<T> = ClientCall<Client<paths>, T>;

export interface ShadeformHttpOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly fetch: typeof fetch;
  readonly logger: Logger;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

export class ShadeformHttp extends ClientHttp<Client<paths>> {
  constructor(options: ShadeformHttpOptions) {
    const injected = options.fetch;
    super(
      createClient<paths>({
        baseUrl: options.baseUrl,
        // A wrapper, so that tests can swap fetch and openapi-fetch never binds it to itself.
        fetch: (request: Request) => injected(request),
        headers: { 'x-api-key': options.apiKey },
      }),
      {
        providerId: 'shadeform',
        displayName: 'Shadeform',
        logger: options.logger,
        retry: options.retry,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        describeError: describeShadeformError,
      },
      errorRules,
    );
  }
}
