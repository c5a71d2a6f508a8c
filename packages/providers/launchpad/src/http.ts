import createClient, { type Client } from 'openapi-fetch';
import { ClientHttp, type RetryPolicy } from '@cloudplane/provider-kit';
import type { Logger } from '@cloudplane/sdk';
import { describeLaunchPadError, errorRules } from './errors.js';
import type { paths } from './generated/api.js';

/**
 * The HTTP layer: the typed client generated from LaunchPad's spec (openapi-fetch) with its
 * `Authorization: Token <token>` scheme, on the shared provider kit (timeout per request,
 * failures turned into CloudErrors by errors.ts, zod parsing of every answer, bounded retries
 * that honour Retry-After).
 */

export { DEFAULT_RETRY, type Replay, type RetryPolicy } from '@cloudplane/provider-kit';

export type LaunchPadApi = Client<paths>;

export interface LaunchPadHttpOptions {
  readonly baseUrl: string;
  readonly apiToken: string;
  readonly fetch: typeof fetch;
  readonly logger: Logger;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

export class LaunchPadHttp extends ClientHttp<LaunchPadApi> {
  constructor(options: LaunchPadHttpOptions) {
    const injected = options.fetch;
    super(
      createClient<paths>({
        baseUrl: options.baseUrl.replace(/\/+$/, ''),
        // A wrapper, so that tests can swap fetch and openapi-fetch never binds it to itself.
        fetch: (request: Request) => injected(request),
        headers: { authorization: `Token ${options.apiToken}` },
      }),
      {
        providerId: 'launchpad',
        displayName: 'LaunchPad',
        logger: options.logger,
        retry: options.retry,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        describeError: describeLaunchPadError,
      },
      errorRules,
    );
  }
}
