import { Option, type Command } from '@commander-js/extra-typings';
import { z } from 'zod';
import { DEFAULT_PORT } from './commands/serve.js';

/**
 * How CLI commands talk to a running control plane: its URL and a bearer token, from flags or
 * CLOUDPLANE_URL / CLOUDPLANE_TOKEN. Errors come back as the API's own code and message.
 */

export const urlOption = () =>
  new Option('--url <url>', 'the control plane (default $CLOUDPLANE_URL)')
    .env('CLOUDPLANE_URL')
    .default(`http://127.0.0.1:${DEFAULT_PORT}`);
export const tokenOption = () =>
  new Option('--token <token>', 'an API token (default $CLOUDPLANE_TOKEN)').env('CLOUDPLANE_TOKEN');

const Target = z.object({
  url: z.url({
    protocol: /^https?$/,
    error:
      'not an http(s) URL: pass --url or set CLOUDPLANE_URL to one such as http://127.0.0.1:8430',
  }),
  token: z.string({ error: 'no API token: pass --token or set CLOUDPLANE_TOKEN' }).min(1),
});

const ApiError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

export class ApiClient {
  private readonly url: string;
  private readonly token: string;

  constructor(options: { url?: string | undefined; token?: string | undefined }) {
    const parsed = Target.safeParse(options);
    if (!parsed.success) {
      throw new Error(
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      );
    }
    this.url = parsed.data.url.replace(/\/$/, '');
    this.token = parsed.data.token;
  }

  async request<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<T> {
    const response = await this.send(method, path, {
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const json: unknown = text === '' ? null : safeJson(text);
    if (!response.ok) throw problem(method, path, response.status, json);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new Error(`${method} ${path}: unexpected answer from the server`);
    return parsed.data;
  }

  /**
   * A GET whose answer is read as it arrives (server-sent events): the body once the server has
   * answered 2xx, else the API's error.
   */
  async stream(
    path: string,
    options: { headers?: Readonly<Record<string, string>>; signal?: AbortSignal } = {},
  ): Promise<ReadableStream<Uint8Array>> {
    const response = await this.send('GET', path, {
      headers: { accept: 'text/event-stream', ...options.headers },
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (!response.ok || response.body === null) {
      const text = await response.text();
      throw problem('GET', path, response.status, text === '' ? null : safeJson(text));
    }
    return response.body;
  }

  private async send(
    method: string,
    path: string,
    init: { headers: Record<string, string>; body?: string; signal?: AbortSignal },
  ): Promise<Response> {
    try {
      return await fetch(`${this.url}${path}`, {
        ...init,
        method,
        headers: { ...init.headers, authorization: `Bearer ${this.token}` },
      });
    } catch (err) {
      if (init.signal?.aborted === true) throw err;
      throw new Error(
        `cannot reach the control plane at ${this.url} (${err instanceof Error ? err.message : String(err)}); is \`cloudplane serve\` running?`,
      );
    }
  }
}

/** A refusal from the API, with its HTTP status and code (`instance/not-found`, ...). */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

function problem(method: string, path: string, status: number, json: unknown): ApiRequestError {
  const parsed = ApiError.safeParse(json);
  if (!parsed.success)
    return new ApiRequestError(`${method} ${path}: HTTP ${status}`, status, null);
  const { code, message, details } = parsed.data.error;
  const fields = details?.map((d) => `  ${d.path}: ${d.message}`).join('\n');
  return new ApiRequestError(`${code}: ${message}${fields ? `\n${fields}` : ''}`, status, code);
}

/** A flag's value checked with zod; the error names the flag. */
export function flag<T>(name: string, schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new Error(`${name}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** Runs a subcommand's action; any failure ends the command with its message and exit code 1. */
export function failingWith(
  command: Command,
  name: string,
): (action: () => Promise<void>) => Promise<void> {
  return (action) =>
    action().catch((err: unknown) => {
      command.error(`cloudplane ${name}: ${err instanceof Error ? err.message : String(err)}`, {
        exitCode: 1,
      });
    });
}
