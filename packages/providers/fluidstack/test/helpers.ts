import { randomUUID } from 'node:crypto';
import { memoryLogger, type CloudClient, type Logger } from '@cloudplane/sdk';
import {
  useFake as useTestkitFake,
  withFake as withTestkitFake,
} from '@cloudplane/provider-testkit';
import {
  createFluidstackProvider,
  type FluidstackCredential,
  type FluidstackProviderOptions,
} from '../src/index.js';
import { FluidstackFake, type FluidstackFakeOptions } from './fake/fluidstack-fake.js';

/** Short waits: the fake answers at once, and the machine is shared and slow. */
export const FAST_RETRY = { attempts: 4, minDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 2_000 };

export function testProvider(options: FluidstackProviderOptions = {}) {
  return createFluidstackProvider({
    timeoutMs: 10_000,
    stockCheckMs: 10_000,
    stockPollMs: 20,
    ...options,
    retry: { ...FAST_RETRY, ...options.retry },
  });
}

export interface TestClient {
  readonly client: CloudClient;
  readonly logger: ReturnType<typeof memoryLogger>;
  readonly cloudCredRefId: string;
}

/** A client of the fake bound to `location` (default the fake's first region). */
export function clientFor(
  fake: FluidstackFake,
  options: FluidstackProviderOptions & {
    location?: string | null;
    fetch?: typeof fetch;
    cloudCredRefId?: string;
    logger?: Logger;
    credential?: Partial<FluidstackCredential>;
  } = {},
): TestClient {
  const logger = memoryLogger();
  const cloudCredRefId = options.cloudCredRefId ?? randomUUID();
  const location =
    options.location === null ? undefined : (options.location ?? fake.regions[0]?.name);
  const client = testProvider(options).makeClient({
    credential: { ...fake.fluidstackCredential, ...options.credential },
    cloudCredRefId,
    logger: options.logger ?? logger,
    ...(location !== undefined ? { location } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return { client, logger, cloudCredRefId };
}

/** Requests the fake saw for a spec route such as `POST /instances`, in any region. */
export function countRequests(fake: FluidstackFake, route: string): number {
  const [method, path = ''] = route.split(' ');
  const pattern = new RegExp(`^/[^/]+/api/v1alpha1${path.replace(/\{\w+\}/g, '[^/]+')}$`);
  return fake.requests.filter((r) => r.method === method && pattern.test(r.path)).length;
}

type Hook = (fn: () => Promise<void>) => void;

/**
 * A fake for one describe block (the testkit's useFake): started before its tests (and handed to
 * `started`), closed after them, when it must have recorded no spec violation.
 */
export function useFake(
  hooks: { readonly before: Hook; readonly after: Hook },
  started: (fake: FluidstackFake) => void,
  options: FluidstackFakeOptions = {},
): void {
  useTestkitFake(hooks, () => FluidstackFake.start(options), started);
}

/** Runs `body` against a fake of its own, then closes it: it must have recorded no violation. */
export function withFake<T>(
  options: FluidstackFakeOptions,
  body: (fake: FluidstackFake) => Promise<T>,
): Promise<T> {
  return withTestkitFake(() => FluidstackFake.start(options), body);
}
