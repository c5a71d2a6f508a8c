import { randomUUID } from 'node:crypto';
import {
  generateSshKeyPair,
  memoryLogger,
  type CloudClient,
  type CreateInstanceAttrs,
  type Logger,
} from '@cloudplane/sdk';
import {
  useFake as useTestkitFake,
  withFake as withTestkitFake,
} from '@cloudplane/provider-testkit';
import { createLambdaProvider, type LambdaProviderOptions } from '../src/index.js';
import { LambdaFake, type LambdaFakeOptions } from './fake/lambda-fake.js';

export const keys = generateSshKeyPair('alice@laptop');

/** A create for an A10 in us-east-1. */
export function attrs(extra: Partial<CreateInstanceAttrs> = {}): CreateInstanceAttrs {
  return {
    refId: randomUUID(),
    publicKey: keys.publicKey,
    location: 'us-east-1',
    instanceType: 'gpu_1x_a10',
    ...extra,
  };
}

/** Short waits: the fake answers at once, and the machine is shared and slow. */
export const FAST_RETRY = { attempts: 4, minDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 2_000 };

export function testProvider(options: LambdaProviderOptions = {}) {
  return createLambdaProvider({
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
  fake: LambdaFake,
  options: LambdaProviderOptions & {
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

/** Requests the fake saw for a route such as `POST /instance-operations/launch`. */
export function countRequests(fake: LambdaFake, route: string): number {
  return fake.countRequests(route);
}

type Hook = (fn: () => Promise<void>) => void;

/**
 * A fake for one describe block (the testkit's useFake): started before its tests (and handed to
 * `started`), closed after them, when it must have recorded no spec violation. Call at describe
 * level: `let fake: LambdaFake; useFake({ before, after }, (f) => (fake = f));`
 */
export function useFake(
  hooks: { readonly before: Hook; readonly after: Hook },
  started: (fake: LambdaFake) => void,
  options: LambdaFakeOptions = {},
): void {
  useTestkitFake(hooks, () => LambdaFake.start(options), started);
}

/** Runs `body` against a fake of its own, then closes it: it must have recorded no violation. */
export function withFake<T>(
  options: LambdaFakeOptions,
  body: (fake: LambdaFake) => Promise<T>,
): Promise<T> {
  return withTestkitFake(() => LambdaFake.start(options), body);
}
