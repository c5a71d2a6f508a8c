import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema.js';

export type Api = Client<paths>;

/** A typed client of the REST API on this origin that sends the token as a bearer header. */
export function apiClient(token: string, baseUrl: string = window.location.origin): Api {
  const client = createClient<paths>({ baseUrl });
  client.use({
    onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
  });
  return client;
}

/** An API error with the server's own message, which says what to do. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The `{error: {code, message, details?}}` body of a failed call, as an ApiError. */
export function toApiError(body: unknown, status: number): ApiError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const code = typeof error.code === 'string' ? error.code : `http/${String(status)}`;
  let message =
    typeof error.message === 'string'
      ? error.message
      : `the server answered HTTP ${String(status)}`;
  if (Array.isArray(error.details)) {
    const parts = error.details
      .filter(isRecord)
      .map((d) => `${String(d.path)}: ${String(d.message)}`);
    if (parts.length > 0) message = `${message} (${parts.join('; ')})`;
  }
  return new ApiError(status, code, message);
}

/** The data of an openapi-fetch answer, or the server's error thrown as an ApiError. */
export async function ok<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let answer: { data?: T; error?: unknown; response: Response };
  try {
    answer = await call;
  } catch (err) {
    throw new ApiError(
      0,
      'network',
      `the control plane cannot be reached (${err instanceof Error ? err.message : String(err)}); check that it is running`,
    );
  }
  if (answer.error !== undefined || !answer.response.ok) {
    throw toApiError(answer.error, answer.response.status);
  }
  return answer.data as T;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
