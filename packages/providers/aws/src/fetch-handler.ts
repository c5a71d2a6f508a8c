import type { EC2ClientConfig } from '@aws-sdk/client-ec2';

/**
 * The SDK's HTTP transport, replaced by `fetch`: the client context's injected fetch (a proxy, a
 * test's fault injector) then carries EC2 requests like every other adapter's, and the abort
 * signal the call layer sets reaches the socket.
 */

type Handler = Extract<NonNullable<EC2ClientConfig['requestHandler']>, { handle: unknown }>;

interface OutgoingRequest {
  readonly method: string;
  readonly protocol: string;
  readonly hostname: string;
  readonly port?: number | undefined;
  readonly path: string;
  readonly query?: Record<string, string | string[] | null> | undefined;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

/** Headers fetch sets itself (from the URL and the body); they carry the same values. */
const SET_BY_FETCH = new Set(['host', 'content-length']);

/**
 * The request body as fetch takes it. A byte body is copied into a plain ArrayBuffer-backed
 * array: the SDK's type allows a SharedArrayBuffer behind it, which fetch's BodyInit does not.
 */
function bodyOf(body: unknown): string | Uint8Array<ArrayBuffer> | undefined {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new Uint8Array(body);
  return undefined;
}

export function fetchHandler(fetchFn: typeof fetch): Handler {
  const handler = {
    async handle(request: OutgoingRequest, options?: { abortSignal?: AbortSignal | undefined }) {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (!SET_BY_FETCH.has(name.toLowerCase())) headers.set(name, value);
      }
      const body = bodyOf(request.body);
      const response = await fetchFn(urlOf(request), {
        method: request.method,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(options?.abortSignal ? { signal: options.abortSignal } : {}),
      });
      const answerHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        answerHeaders[name] = value;
      });
      return {
        response: {
          statusCode: response.status,
          reason: response.statusText,
          headers: answerHeaders,
          body: new Uint8Array(await response.arrayBuffer()),
        },
      };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };
  return handler as unknown as Handler;
}

function urlOf(request: OutgoingRequest): string {
  const port = request.port === undefined ? '' : `:${request.port}`;
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value === null) search.append(name, '');
    else for (const v of Array.isArray(value) ? value : [value]) search.append(name, v);
  }
  const query = search.size > 0 ? `?${search.toString()}` : '';
  return `${request.protocol}//${request.hostname}${port}${request.path}${query}`;
}
