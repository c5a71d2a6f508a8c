import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { memoryLogger, type Logger } from '@cloudplane/sdk';
import {
  AwsCredentialSchema,
  createAwsProvider,
  DeferredAwsClient,
  type AwsCredentialInput,
  type AwsProviderOptions,
} from '../src/index.js';
import { Ec2Fake, type Ec2FakeOptions } from './fake/ec2-fake.js';

/** Short waits: the fake answers at once, and the machine is shared and slow. */
export const FAST_RETRY = { attempts: 4, minDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 2_000 };

export function testProvider(options: AwsProviderOptions = {}) {
  return createAwsProvider({
    timeoutMs: 20_000,
    ...options,
    retry: { ...FAST_RETRY, ...options.retry },
  });
}

export interface TestClient {
  readonly client: DeferredAwsClient;
  readonly logger: ReturnType<typeof memoryLogger>;
  readonly cloudCredRefId: string;
}

export function clientFor(
  fake: Ec2Fake,
  options: AwsProviderOptions & {
    location?: string;
    fetch?: typeof fetch;
    cloudCredRefId?: string;
    logger?: Logger;
    credential?: AwsCredentialInput;
  } = {},
): TestClient {
  const logger = memoryLogger();
  const cloudCredRefId = options.cloudCredRefId ?? randomUUID();
  const credential = AwsCredentialSchema.parse(options.credential ?? fake.credential());
  const client = testProvider(options).makeClient({
    credential,
    cloudCredRefId,
    logger: options.logger ?? logger,
    ...(options.location !== undefined ? { location: options.location } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  assert.ok(client instanceof DeferredAwsClient, 'the provider makes DeferredAwsClients');
  return { client, logger, cloudCredRefId };
}

type Hook = (fn: () => Promise<void>) => void;

/** The fake must have sent nothing off-model, and been sent nothing the model refuses. */
export function assertClean(fake: Ec2Fake): void {
  assert.deepEqual(
    fake.violations.map((v) => v.message),
    [],
  );
  assert.deepEqual(fake.refused, []);
}

/**
 * A fake for one describe block: started before its tests (and handed to `started`), closed
 * after them, when it must be clean (assertClean).
 */
export function useFake(
  hooks: { readonly before: Hook; readonly after: Hook },
  started: (fake: Ec2Fake) => void,
  options: Ec2FakeOptions = {},
): void {
  let fake: Ec2Fake | undefined;
  hooks.before(async () => {
    fake = await Ec2Fake.start(options);
    started(fake);
  });
  hooks.after(async () => {
    if (!fake) return;
    await fake.close();
    assertClean(fake);
  });
}

/** Runs `body` against a fake of its own, then closes it: it must be clean. */
export async function withFake<T>(
  options: Ec2FakeOptions,
  body: (fake: Ec2Fake) => Promise<T>,
): Promise<T> {
  const fake = await Ec2Fake.start(options);
  try {
    return await body(fake);
  } finally {
    await fake.close();
    assertClean(fake);
  }
}
