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
  url: z.url({ protocol: /^https?$/ }),
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

  async request<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new Error(
        `cannot reach the control plane at ${this.url} (${err instanceof Error ? err.message : String(err)}); is \`cloudplane serve\` running?`,
      );
    }
    const text = await response.text();
    const json: unknown = text === '' ? null : safeJson(text);
    if (!response.ok) {
      const problem = ApiError.safeParse(json);
      if (!problem.success) throw new Error(`${method} ${path}: HTTP ${response.status}`);
      const { code, message, details } = problem.data.error;
      const fields = details?.map((d) => `  ${d.path}: ${d.message}`).join('\n');
      throw new Error(`${code}: ${message}${fields ? `\n${fields}` : ''}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new Error(`${method} ${path}: unexpected answer from the server`);
    return parsed.data;
  }
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
