import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  BUILT_IN_PROVIDERS,
  makeLogger,
  providerRegistry,
  startControlPlane,
  type ControlPlane,
} from '@cloudplane/control-plane';
import {
  startDevcloud,
  VirtualBackend,
  type Devcloud,
  type MachineAddress,
  type MachineSpec,
} from '@cloudplane/devcloud';
import { provider as devcloud } from '@cloudplane/provider-devcloud';
import { memoryTarget } from '../../../control-plane/test/helpers/storage.js';
import { defineProvider, type Provider } from '@cloudplane/sdk';

/**
 * A real control plane (in-process, embedded database in memory) serving the built dashboard,
 * with a devcloud credential whose instances are polled every half second, as
 * packages/control-plane/test/helpers/plane.ts does.
 */

const FAST_POLL = { instanceTypesMs: 30_000, instancesMs: 500 } as const;
const FAST_TIMINGS = { bootStepMs: 300, stopMs: 300, startMs: 300, terminateMs: 300 } as const;

/** Virtual machines that report a loopback address, so that the dashboard has an SSH command. */
class LoopbackBackend extends VirtualBackend {
  override start(spec: MachineSpec): Promise<MachineAddress> {
    return Promise.resolve({
      publicIp: '127.0.0.1',
      privateIp: null,
      sshPort: 2222,
      sshUser: spec.sshUser,
    });
  }
}

export interface TestPlane {
  readonly url: string;
  readonly token: string;
  readonly plane: ControlPlane;
  readonly cloud: Devcloud;
  call(path: string, init?: RequestInit, token?: string): Promise<Response>;
  close(): Promise<void>;
}

/** Builds packages/web when its dist is missing or stale (what `npm start` does first). */
export function ensureBuilt(): void {
  const script = fileURLToPath(new URL('../../scripts/ensure-built.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error('the dashboard build failed');
}

export async function startTestPlane(): Promise<TestPlane> {
  const cloud = await startDevcloud({
    catalogSize: 40,
    timings: FAST_TIMINGS,
    backend: new LoopbackBackend(),
  });
  const fast = defineProvider({ ...devcloud, pollIntervals: FAST_POLL }) as Provider;
  const plane = await startControlPlane({
    storage: await memoryTarget(),
    masterKey: randomBytes(32),
    logger: makeLogger({ level: 'silent' }),
    port: 0,
    jobPollingIntervalSeconds: 0.5,
    providers: providerRegistry([fast, ...BUILT_IN_PROVIDERS.filter((p) => p.id !== fast.id)]),
  });
  const token = plane.firstToken?.token;
  if (token === undefined) throw new Error('a fresh control plane creates a first token');
  const call = (path: string, init: RequestInit = {}, as: string = token) =>
    fetch(`${plane.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${as}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
  const added = await call('/v1/credentials', {
    method: 'POST',
    body: JSON.stringify({
      provider: 'devcloud',
      name: 'dev',
      credential: { apiKey: cloud.apiKey, baseUrl: cloud.url },
    }),
  });
  if (added.status !== 201) throw new Error(`add credential: ${await added.text()}`);
  return {
    url: plane.url,
    token,
    plane,
    cloud,
    call,
    async close() {
      await plane.close();
      await cloud.close();
    },
  };
}

/** Polls `check` every 100 ms until it is true, failing after `ms`. */
export async function until(
  check: () => Promise<boolean>,
  what: string,
  ms = 30_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
