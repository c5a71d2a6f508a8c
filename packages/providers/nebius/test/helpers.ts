import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { memoryLogger } from '@cloudplane/sdk';
import { createNebiusProvider, NebiusClient, type NebiusProviderOptions } from '../src/index.js';
import { makeServiceAccountKey, type TestKey } from './fake/fixtures.js';
import { NebiusFake, type NebiusFakeOptions } from './fake/nebius-fake.js';

/** Short waits: the fake answers at once, and the machine is shared and slow. */
export const FAST_RETRY = { attempts: 4, minDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 2_000 };

/** One key for the whole test process: RSA key generation is slow on a shared machine. */
export const KEY: TestKey = makeServiceAccountKey();

export function testProvider(options: NebiusProviderOptions = {}) {
  return createNebiusProvider({
    timeoutMs: 10_000,
    operationPollMs: 20,
    createWaitMs: 20_000,
    ...options,
    retry: { ...FAST_RETRY, ...options.retry },
  });
}

export interface TestClient {
  readonly client: NebiusClient;
  readonly logger: ReturnType<typeof memoryLogger>;
  readonly cloudCredRefId: string;
}

/** A client of the fake; closed by the fake's `after` hook through `clients`. */
export function clientFor(
  fake: NebiusFake,
  options: NebiusProviderOptions & {
    credential?: Record<string, unknown>;
    cloudCredRefId?: string;
  } = {},
): TestClient {
  const logger = memoryLogger();
  const cloudCredRefId = options.cloudCredRefId ?? randomUUID();
  const provider = testProvider(options);
  const credential = provider.credentialSchema.parse(options.credential ?? fake.credential(KEY));
  const client = provider.makeClient({ credential, cloudCredRefId, logger });
  assert.ok(client instanceof NebiusClient);
  opened.push(client);
  return { client, logger, cloudCredRefId };
}

const opened: NebiusClient[] = [];

type Hook = (fn: () => Promise<void>) => void;

/**
 * A fake for one describe block: started before its tests (and handed to `started`), closed
 * after them, when it must have recorded no rule violation. Clients made with clientFor are
 * closed with it.
 */
export function useFake(
  hooks: { readonly before: Hook; readonly after: Hook },
  started: (fake: NebiusFake) => void,
  options: NebiusFakeOptions = {},
): void {
  let fake: NebiusFake | undefined;
  hooks.before(async () => {
    fake = await NebiusFake.start({ keys: [KEY], ...options });
    started(fake);
  });
  hooks.after(async () => {
    for (const client of opened.splice(0)) client.close();
    if (!fake) return;
    await fake.close();
    assert.deepEqual(fake.violations, []);
  });
}

/** Polls `probe` until it answers true (generous: the machine is shared). */
export async function eventually(
  probe: () => Promise<boolean> | boolean,
  what: string,
): Promise<void> {
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

export const PUBLIC_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test@host';
