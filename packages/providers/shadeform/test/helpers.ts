import { randomUUID } from 'node:crypto';
import {
  memoryLogger,
  type CloudClient,
  type CreateInstanceAttrs,
  type Logger,
} from '@cloudplane/sdk';
import {
  useFake as useTestkitFake,
  withFake as withTestkitFake,
} from '@cloudplane/provider-testkit';
import { createShadeformProvider, type ShadeformProviderOptions } from '../src/index.js';
import { ShadeformFake, testKeys, type ShadeformFakeOptions } from './fake/shadeform-fake.js';

/** Short waits: the fake answers at once, and the machine is shared and slow. */
export const FAST_RETRY = { attempts: 4, minDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 2_000 };

export function testProvider(options: ShadeformProviderOptions = {}) {
  return createShadeformProvider({
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
  fake: ShadeformFake,
  options: ShadeformProviderOptions & {
    fetch?: typeof fetch;
    cloudCredRefId?: string;
    logger?: Logger;
    credential?: { apiKey: string; baseUrl: string };
  } = {},
): TestClient {
  const logger = memoryLogger();
  const cloudCredRefId = options.cloudCredRefId ?? randomUUID();
  const client = testProvider(options).makeClient({
    credential: options.credential ?? fake.credential,
    cloudCredRefId,
    logger: options.logger ?? logger,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return { client, logger, cloudCredRefId };
}

/** Requests the fake saw for a route such as `POST /instances/create`. */
export function countRequests(fake: ShadeformFake, route: string): number {
  return fake.countRequests(route);
}

/** A create for the massedcompute A6000 in us-central-1 (three in stock by default). */
export function attrs(extra: Partial<CreateInstanceAttrs> = {}): CreateInstanceAttrs {
  return {
    refId: randomUUID(),
    publicKey: testKeys.publicKey,
    location: 'us-central-1',
    instanceType: 'massedcompute.A6000',
    ...extra,
  };
}

/**
 * A fake for one test block (the testkit's useFake): `fake()` inside the tests, started before
 * and closed (with no spec violations) after. Call at describe level.
 */
export function useFake(
  hooks: { before: (fn: () => Promise<void>) => void; after: (fn: () => Promise<void>) => void },
  options: ShadeformFakeOptions = {},
): () => ShadeformFake {
  return useTestkitFake(hooks, () => ShadeformFake.start(options));
}

/** Runs `body` against a fake of its own, closing it (and checking its answers) afterwards. */
export function withFake<T>(
  options: ShadeformFakeOptions,
  body: (fake: ShadeformFake) => Promise<T>,
): Promise<T> {
  return withTestkitFake(() => ShadeformFake.start(options), body);
}

export type { CloudClient };
