import createClient, { type Client } from 'openapi-fetch';
import { ClientHttp, type ClientCall, type RetryPolicy } from '@cloudplane/provider-kit';
import type { Logger } from '@cloudplane/sdk';
import { errorRules } from './errors.js';
import type { paths } from './generated/api.js';
import { ErrorBodyWire } from './wire.js';

/**
 * The HTTP layer: the typed client generated from Lambda's spec (openapi-fetch) with bearer auth,
 * on the shared provider kit (timeout per request, Lambda's error bodies turned into CloudErrors,
 * zod parsing of every answer, bounded retries that honour Retry-After).
 */

export { DEFAULT_RETRY, type Replay, type RetryPolicy } from '@cloudplane/provider-kit';

export type Call<T> = ClientCall<Client<paths>, T>;

export interface LambdaHttpOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly fetch: typeof fetch;
  readonly logger: Logger;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

export class LambdaHttp extends ClientHttp<Client<paths>> {
  constructor(options: LambdaHttpOptions) {
    const injected = options.fetch;
    super(
      createClient<paths>({
        baseUrl: options.baseUrl,
        // A wrapper, so that tests can swap fetch and openapi-fetch never binds it to itself.
        fetch: (request: Request) => injected(request),
        headers: { authorization: `Bearer ${options.apiKey}` },
      }),
      {
        providerId: 'lambda',
        displayName: 'Lambda',
        logger: options.logger,
        retry: options.retry,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        describeError: describeLambdaError,
      },
      errorRules,
    );
  }
}

/** Lambda's code, and its message, suggestion and per-field problems as one sentence. */
function describeLambdaError(body: unknown) {
  const parsed = ErrorBodyWire.safeParse(body);
  if (!parsed.success) return undefined;
  const { code, message, suggestion } = parsed.data.error;
  const fields = Object.entries(parsed.data.field_errors ?? {}).map(
    ([f, e]) => `${f}: ${e.message}`,
  );
  return {
    providerCode: code,
    providerMessage: [
      message,
      ...(fields.length > 0 ? [`(${fields.join('; ')})`] : []),
      ...(suggestion ? [`— ${suggestion}`] : []),
    ].join(' '),
  };
}
