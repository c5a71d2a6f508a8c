import assert from 'node:assert/strict';
import { isCloudError, type CloudClient, type memoryLogger } from '@cloudplane/sdk';

/**
 * What a spec-checked fake cannot send, because it only sends what the spec allows: answers from
 * a later version of the API (fields and values the spec does not know yet) and answers garbled
 * on the way. These fetch wrappers change the fake's answers before the adapter reads them; the
 * adapter's client takes them through its `fetch` context option.
 */

/** Rewrites a JSON answer; `path` is below the base path (`/instances/abc`). */
export type Rewrite = (path: string, body: unknown) => unknown;

/** A fetch that passes every JSON answer through `rewrite`; other answers pass unchanged. */
export function rewritingFetch(basePath: string, rewrite: Rewrite): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const request = input instanceof Request ? input : new Request(input, init);
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // An empty answer (204, 304) must stay bodiless: Response refuses a body for those.
      return new Response(text === '' ? null : text, response);
    }
    const { pathname } = new URL(request.url);
    const path = pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname;
    return new Response(JSON.stringify(rewrite(path, body)), {
      status: response.status,
      headers: response.headers,
    });
  };
}

/** The field `withUnknownFields` adds, for tests that look for it. */
export const UNKNOWN_FIELD = 'x_added_in_a_later_version';

/** Adds a field nobody knows (an object) to every object in `value`, at every depth. */
export function withUnknownFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withUnknownFields);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) copy[k] = withUnknownFields(v);
    copy[UNKNOWN_FIELD] = { nested: true };
    return copy;
  }
  return value;
}

/**
 * A fetch whose answers are replaced by `text` (status 200) while `garbled()` says so, for
 * requests `matches` picks (every request by default). The real request is still sent.
 */
export function garblingFetch(
  text: string,
  garbled: () => boolean,
  matches: (url: string) => boolean = () => true,
): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (matches(url) && garbled()) return new Response(text, { status: 200 });
    return response;
  };
}

/** A fetch that answers only after a minute, and rejects with the signal's reason on abort. */
export function stallingFetch(): typeof fetch {
  return (input, init) =>
    new Promise((resolve, reject) => {
      const signal = input instanceof Request ? input.signal : init?.signal;
      signal?.addEventListener('abort', () => {
        reject(signal.reason as Error);
      });
      setTimeout(() => void fetch(input, init).then(resolve, reject), 60_000).unref();
    });
}

/**
 * Asserts a client skips instances cloudplane did not create: the list holds exactly `ours`
 * (listed twice, warned once per foreign instance, the warning saying "did not create"), and
 * getting a foreign instance is PERMISSION_DENIED saying it was "not created by cloudplane"
 * (`foreignInstance`: it exists, so never INSTANCE_NOT_FOUND, which a caller takes for gone).
 */
export async function assertForeignSkipped(args: {
  readonly client: CloudClient;
  readonly logger: ReturnType<typeof memoryLogger>;
  readonly foreign: readonly string[];
  readonly ours: readonly string[];
}): Promise<void> {
  const { client, logger, foreign, ours } = args;
  const listed = await client.listInstances();
  await client.listInstances();
  assert.deepEqual(listed.map((i) => i.cloudId).sort(), [...ours].sort());
  const warned = logger.entries
    .filter((e) => e.level === 'warn' && /did not create/.test(e.msg))
    .map((e) => e.obj.cloudId);
  assert.deepEqual(warned.sort(), [...foreign].sort(), 'one warning per foreign instance');
  for (const id of foreign) {
    const err = await client.getInstance(id).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'PERMISSION_DENIED'), String(err));
    assert.match(err.message, /not created by cloudplane/);
  }
}

/** Asserts a client's list fails, rather than returning part of the list, while pages fail. */
export async function assertListFailsWhole(
  client: CloudClient,
  failPages: () => () => void,
): Promise<void> {
  const restore = failPages();
  try {
    const outcome = await client.listInstances().catch((e: unknown) => e);
    assert.ok(
      isCloudError(outcome),
      `a failing page gave ${JSON.stringify(outcome)}, not an error`,
    );
  } finally {
    restore();
  }
}
