import createClient, { type Client } from 'openapi-fetch';
import {
  ProviderHttp,
  type RawResult,
  type Replay,
  type RetryPolicy,
} from '@cloudplane/provider-kit';
import type { Logger } from '@cloudplane/sdk';
import type { z } from 'zod';
import { errorRules, type NotFoundCode } from './errors.js';
import type { paths } from './generated/api.js';
import { ErrorBodyWire } from './wire.js';

/**
 * The HTTP layer: the typed client generated from Lambda's spec (openapi-fetch) with bearer auth,
 * on the shared provider kit (timeout per request, Lambda's error bodies turned into CloudErrors,
 * zod parsing of every answer, bounded retries that honour Retry-After).
 */

export { DEFAULT_RETRY, type Replay, type RetryPolicy } from '@cloudplane/provider-kit';

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
  private readonly http: ProviderHttp;

  constructor(options: LambdaHttpOptions) {
    const injected = options.fetch;
    this.client = createClient<paths>({
      baseUrl: options.baseUrl,
      // A wrapper, so that tests can swap fetch and openapi-fetch never binds it to itself.
      fetch: (request: Request) => injected(request),
      headers: { authorization: `Bearer ${options.apiKey}` },
    });
    this.http = new ProviderHttp({
      providerId: 'lambda',
      displayName: 'Lambda',
      logger: options.logger,
      retry: options.retry,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      describeError: describeLambdaError,
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
