import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { memoryLogger, type CloudClient, type Logger, type Provider } from '@cloudplane/sdk';
import {
  useFake as useTestkitFake,
  withFake as withTestkitFake,
} from '@cloudplane/provider-testkit';
import {
  createLaunchPadProvider,
  LaunchPadCredentialSchema,
  type LaunchPadCredential,
  type LaunchPadProviderOptions,
} from '../src/index.js';
import { LaunchPadFake, type LaunchPadFakeOptions } from './fake/launchpad-fake.js';

/** Short waits: the fake answers at once, and the machine is shared and slow. */
export const FAST_RETRY = { attempts: 4, minDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 2_000 };

/** The provider as tests use it: short retries. */
export function testProvider(
  options: LaunchPadProviderOptions = {},
): Provider<LaunchPadCredential> {
  return createLaunchPadProvider({
    timeoutMs: 10_000,
    ...options,
    retry: { ...FAST_RETRY, ...options.retry },
  });
}

export interface TestClient {
  readonly client: CloudClient;
  readonly logger: ReturnType<typeof memoryLogger>;
  readonly cloudCredRefId: string;
}

export function clientFor(
  fake: LaunchPadFake,
  options: LaunchPadProviderOptions & {
    fetch?: typeof fetch;
    cloudCredRefId?: string;
    logger?: Logger;
    credential?: Record<string, unknown>;
  } = {},
): TestClient {
  const logger = memoryLogger();
  const cloudCredRefId = options.cloudCredRefId ?? randomUUID();
  const credential = LaunchPadCredentialSchema.parse(
    options.credential ?? fake.launchpadCredential(),
  );
  const client = testProvider(options).makeClient({
    credential,
    cloudCredRefId,
    logger: options.logger ?? logger,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return { client, logger, cloudCredRefId };
}

/** Requests the fake saw for a route such as `POST /v1/catalog/deployments/`. */
export function countRequests(fake: LaunchPadFake, route: string): number {
  return fake.requests.filter((r) => `${r.method} ${r.path}` === route).length;
}

type Hook = (fn: () => Promise<void>) => void;

/**
 * A fake for one describe block (the testkit's useFake): started before its tests (and handed to
 * `started`), closed after them, when it must have recorded no spec violation.
 */
export function useFake(
  hooks: { readonly before: Hook; readonly after: Hook },
  started: (fake: LaunchPadFake) => void,
  options: LaunchPadFakeOptions = {},
): void {
  useTestkitFake(hooks, () => LaunchPadFake.start(options), started);
}

/** Runs `body` against a fake of its own, then closes it: it must have recorded no violation. */
export function withFake<T>(
  options: LaunchPadFakeOptions,
  body: (fake: LaunchPadFake) => Promise<T>,
): Promise<T> {
  return withTestkitFake(() => LaunchPadFake.start(options), body);
}

/** Polls `check` until it holds: no timed assertions on a slow shared machine. */
export async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`never happened: ${what}`);
}

/**
 * How a test changes an answer: the request's method and path, and the parsed JSON body. (Not
 * the testkit's rewritingFetch: tests here tell a GET from a PUT on one path, and DELETE answers
 * 204 with no body, which that one cannot pass on.)
 */
export type Rewrite = (request: { method: string; path: string }, body: unknown) => unknown;

/**
 * A fetch that hands the fake's (spec-valid) JSON answers to `rewrite` before the adapter reads
 * them: for what the fake cannot send (fields of a later API version, odd values, lost tags).
 */
export function rewritingFetch(rewrite: Rewrite): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const about = { method: request.method, path: new URL(request.url).pathname };
    const response = await fetch(request);
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return new Response(text === '' ? null : text, response);
    }
    return new Response(JSON.stringify(rewrite(about, body)), {
      status: response.status,
      headers: response.headers,
    });
  };
}
