import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { startDevcloud, type Devcloud } from '@cloudplane/devcloud';
import { startControlPlane, type ControlPlane } from '../../src/control-plane.js';
import type { StorageTarget } from '../../src/db/open.js';
import { makeLogger } from '../../src/logger.js';
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

export async function startPlane(
  storage: StorageTarget = { kind: 'pglite', dataDir: 'memory' },
  masterKey: Buffer = randomBytes(32),
): Promise<Plane> {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const cloud = await startDevcloud({ catalogSize: 40 });
  const plane = await startControlPlane({
    storage,
    masterKey,
    logger: makeLogger({ level: 'debug', destination }),
    jobPollingIntervalSeconds: 0.5,
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
      provider: 'devcloud',
      name: 'dev',
      credential: { apiKey: cloud.apiKey, baseUrl: cloud.url },
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
