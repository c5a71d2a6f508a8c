import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { startDevcloud, type Devcloud, type DevcloudOptions } from '@cloudplane/devcloud';
import { provider as devcloud } from '@cloudplane/provider-devcloud';
import { defineProvider, type Provider } from '@cloudplane/sdk';
import {
  BUILT_IN_PROVIDERS,
  providerRegistry,
  type ProviderRegistry,
} from '../../src/providers.js';
import { startControlPlane, type ControlPlane } from '../../src/control-plane.js';
import type { StorageTarget } from '../../src/db/open.js';
import { makeLogger } from '../../src/logger.js';
import { memoryTarget } from './storage.js';
import { until } from './until.js';

/** A running control plane with a devcloud credential, its token, and what it logged. */
export interface Plane {
  readonly plane: ControlPlane;
  readonly cloud: Devcloud;
  readonly token: string;
  readonly credentialId: string;
  readonly logs: string[];
  /** fetch against the API with the token. */
  call(path: string, init?: RequestInit): Promise<Response>;
  /** Polls until `check` is true (job-driven work), failing after `ms`. */
  until(check: () => Promise<boolean>, what: string, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Poll intervals for tests: instance state every half second (the provider's own choice is 5 s),
 * so a test waits for a transition, not for the next tick.
 */
export const FAST_POLL = { instanceTypesMs: 30_000, instancesMs: 500 } as const;

/** The devcloud provider polled at FAST_POLL. */
export const fastDevcloud = defineProvider({ ...devcloud, pollIntervals: FAST_POLL });

/** The built-in providers, devcloud polled at FAST_POLL (or `devcloudLike` in its place). */
export function fastRegistry(devcloudLike: Provider = fastDevcloud as Provider): ProviderRegistry {
  return providerRegistry([
    devcloudLike,
    ...BUILT_IN_PROVIDERS.filter((p) => p.id !== devcloudLike.id),
  ]);
}

export interface PlaneOptions {
  readonly devcloud?: DevcloudOptions;
  readonly providers?: ProviderRegistry;
  /** The credential's provider id (default devcloud; a test registry may rename it). */
  readonly provider?: string;
  /** More fields of the devcloud credential (a short `timeoutMs`). */
  readonly credential?: Record<string, unknown>;
  /** How often the instance jobs' sweep runs (default the control plane's, 15 s). */
  readonly sweepIntervalMs?: number;
}

export async function startPlane(
  storage?: StorageTarget,
  masterKey: Buffer = randomBytes(32),
  options: PlaneOptions = {},
): Promise<Plane> {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const cloud = await startDevcloud({ catalogSize: 40, ...options.devcloud });
  const plane = await startControlPlane({
    storage: storage ?? (await memoryTarget()),
    masterKey,
    logger: makeLogger({ level: 'debug', destination }),
    jobPollingIntervalSeconds: 0.5,
    providers: options.providers ?? fastRegistry(),
    ...(options.sweepIntervalMs === undefined
      ? {}
      : { instanceSweepIntervalMs: options.sweepIntervalMs }),
  });
  const token = plane.firstToken?.token;
  if (token === undefined) throw new Error('a fresh control plane creates a first token');
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${plane.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  const response = await call('/v1/credentials', {
    method: 'POST',
    body: JSON.stringify({
      provider: options.provider ?? 'devcloud',
      name: 'dev',
      credential: { apiKey: cloud.apiKey, baseUrl: cloud.url, ...options.credential },
    }),
  });
  if (response.status !== 201) throw new Error(`add credential: ${await response.text()}`);
  const { id } = (await response.json()) as { id: string };
  return {
    plane,
    cloud,
    token,
    credentialId: id,
    logs,
    call,
    until,
    async close() {
      await plane.close();
      await cloud.close();
    },
  };
}
