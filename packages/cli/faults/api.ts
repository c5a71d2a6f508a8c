import { z } from 'zod';
import type { ServeProcess } from './serve.js';

/**
 * The campaign's REST client. Every answer is parsed with zod. A request that finds serve down
 * (connection refused or reset, killed mid-answer) or gets a 5xx is sent again, to whichever
 * port serve listens on after its restart, until `deadlineMs`: launches carry an
 * Idempotency-Key, so sending one again is safe, and an action sent twice is at worst a 409.
 */

export const InstanceSchema = z.object({
  id: z.string(),
  name: z.string(),
  refId: z.string(),
  state: z.string(),
  nativeStatus: z.string().nullable(),
  pendingAction: z.string().nullable(),
  cloudId: z.string().nullable(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  actions: z.array(z.string()),
  terminatedAt: z.string().nullable(),
});
export type InstanceView = z.infer<typeof InstanceSchema>;

const InstancePage = z.object({
  instances: z.array(InstanceSchema),
  nextCursor: z.string().nullable(),
});
const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export class ApiUnreachable extends Error {
  override readonly name = 'ApiUnreachable';
}

const REQUEST_TIMEOUT_MS = 15_000;

export class Api {
  /** Requests sent again because serve was down or answered 5xx. */
  resent = 0;

  constructor(
    private readonly serve: ServeProcess,
    private readonly token: string,
    private readonly deadlineMs = 180_000,
  ) {}

  /** One request, sent again while serve is down or failing; any 2xx-4xx answer is returned. */
  async request(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const deadline = Date.now() + this.deadlineMs;
    let last = '';
    for (;;) {
      await this.serve.ready();
      try {
        const answer = await this.once(method, path, options);
        if (answer.status < 500) return answer;
        last = `HTTP ${String(answer.status)} ${JSON.stringify(answer.body)}`;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
      if (Date.now() > deadline) {
        throw new ApiUnreachable(`${method} ${path}: no answer within the deadline: ${last}`);
      }
      this.resent++;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** A request that must succeed (2xx), parsed with `schema`. */
  async ok<T>(
    schema: z.ZodType<T>,
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const answer = await this.request(method, path, options);
    if (answer.status >= 300) {
      throw new Error(
        `${method} ${path}: HTTP ${String(answer.status)} ${JSON.stringify(answer.body)}`,
      );
    }
    return schema.parse(answer.body);
  }

  /** Every instance (the token is an admin's: everyone's), all pages. */
  async instances(): Promise<InstanceView[]> {
    const all: InstanceView[] = [];
    let cursor: string | null = null;
    do {
      const query: string =
        cursor === null ? '?limit=500' : `?limit=500&cursor=${encodeURIComponent(cursor)}`;
      const page: z.infer<typeof InstancePage> = await this.ok(
        InstancePage,
        'GET',
        `/v1/instances${query}`,
      );
      all.push(...page.instances);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return all;
  }

  private async once(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> },
  ): Promise<Answer> {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort();
    }, REQUEST_TIMEOUT_MS);
    try {
      const response = await fetch(`${this.serve.url()}${path}`, {
        method,
        signal: controller.signal,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      const text = await response.text();
      let body: unknown = null;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          body = { unparsed: text.slice(0, 200) };
        }
      }
      return { status: response.status, body };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The error code of a 4xx answer, if it has one. */
export function errorCode(answer: Answer): string | undefined {
  const parsed = ErrorBody.safeParse(answer.body);
  return parsed.success ? parsed.data.error.code : undefined;
}
