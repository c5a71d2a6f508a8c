import createClient, { type Client } from 'openapi-fetch';
import { ClientHttp, type ClientCall, type RetryPolicy } from '@cloudplane/provider-kit';
import type { Logger } from '@cloudplane/sdk';
import { describeFluidstackError, errorRules } from './errors.js';
import type { paths } from './generated/api.js';

/**
 * The HTTP layer for one region's host: the typed client generated from Fluidstack's spec
 * (openapi-fetch) with bearer auth, on the shared provider kit (timeout per request, errors
 * mapped by status and wording, zod parsing of every answer, bounded retries honouring
 * Retry-After). The project header is a parameter of each call, as the spec declares it.
 */

export { DEFAULT_RETRY, type Replay, type RetryPolicy } from '@cloudplane/provider-kit';

export type Call<T> = ClientCall<Client<paths>, T>;

export interface FluidstackHttpOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly fetch: typeof fetch;
  readonly logger: Logger;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

export class FluidstackHttp extends ClientHttp<Client<paths>> {
  constructor(options: FluidstackHttpOptions) {
    const injected = options.fetch;
    super(
      createClient<paths>({
        baseUrl: options.baseUrl,
        // A wrapper, so that tests can swap fetch and openapi-fetch never binds it to itself.
        fetch: (request: Request) => injected(request),
        headers: { authorization: `Bearer ${options.apiKey}` },
      }),
      {
        providerId: 'fluidstack',
        displayName: 'Fluidstack',
        logger: options.logger,
        retry: options.retry,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        describeError: describeFluidstackError,
      },
      errorRules,
    );
  }
}
