import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import {
  listAllInstances,
  startDevcloud,
  type Devcloud,
  type FaultConfigInput,
} from '@cloudplane/devcloud';
import { REF_ID_TAG } from '@cloudplane/provider-devcloud';
import { generateSshKeyPair } from '@cloudplane/sdk';
import { seedServeDataDir } from '../../control-plane/test/helpers/storage.js';
import { addDevcloudCredential, waitForOffer } from './helpers/cli.js';
import { killHard, serve, type Served } from './helpers/serve-process.js';

/**
 * kill -9 of `cloudplane serve` in the middle of a launch: once after the journal entry is
 * committed and the provider has the request but has not acted, once after the provider
 * accepted the launch but before the row learned of it. After a restart on the same data there
 * is exactly one cloud instance, and the row has it.
 */

const Instance = z.object({
  id: z.string(),
  refId: z.string(),
  state: z.string(),
  cloudId: z.string().nullable(),
  pendingAction: z.string().nullable(),
});
const Events = z.object({ events: z.array(z.object({ kind: z.string(), message: z.string() })) });

async function until(check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function api(served: Served, token: string) {
  return async (path: string, init: RequestInit = {}): Promise<unknown> => {
    const response = await fetch(`${served.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${path}: HTTP ${String(response.status)} ${text}`);
    return text === '' ? null : (JSON.parse(text) as unknown);
  };
}

describe('kill -9 of serve during a launch', () => {
  let cloud: Devcloud;
  const dirs: string[] = [];
  before(async () => {
    cloud = await startDevcloud({ catalogSize: 20, timings: { bootStepMs: 50 } });
  });
  after(async () => {
    await cloud.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const scenarios: [string, FaultConfigInput, 'accepted' | 'in-flight'][] = [
    [
      'after the journal commit, with the request not yet acted on',
      { rules: [{ endpoint: 'createInstance', kind: 'timeout', times: 1 }] },
      'in-flight',
    ],
    [
      'after the provider accepted, before the row was updated',
      { rules: [{ endpoint: 'createInstance', kind: 'timeout-after', times: 1 }] },
      'accepted',
    ],
  ];

  for (const [what, faults, killWhen] of scenarios) {
    it(`leaves exactly one cloud instance, adopted after the restart: ${what}`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'cloudplane-crash-'));
      dirs.push(dataDir);
      await seedServeDataDir(dataDir);
      const tokenFile = join(dataDir, 'token');
      const first = await serve(dataDir, ['--no-devcloud', '--token-out', tokenFile]);
      const token = readFileSync(tokenFile, 'utf8').trim();
      let call = api(first, token);
      await addDevcloudCredential(first.url, token, cloud, 'crash', { timeoutMs: 60_000 });
      const offer = await waitForOffer(first.url, token, 60_000);
      assert.ok(offer);
      const key = z.object({ id: z.string() }).parse(
        await call('/v1/users/me/ssh-keys', {
          method: 'POST',
          body: JSON.stringify({ name: 'k', publicKey: generateSshKeyPair().publicKey }),
        }),
      );
      cloud.faults.replace(faults);
      const launched = Instance.parse(
        await call('/v1/instances', {
          method: 'POST',
          body: JSON.stringify({ offerId: offer, name: 'survivor', sshKeyIds: [key.id] }),
        }),
      );
      const truth = () => listAllInstances(cloud, { tag: `${REF_ID_TAG}:${launched.refId}` });
      if (killWhen === 'accepted') {
        await until(async () => (await truth()).length === 1, 'the provider to accept the launch');
      } else {
        await until(async () => {
          const { events } = Events.parse(await call(`/v1/instances/${launched.id}/events`));
          return events.some((e) => e.kind === 'launching');
        }, 'the journal entry of the attempt');
        await new Promise((r) => setTimeout(r, 300));
        assert.equal((await truth()).length, 0, 'the provider has not acted');
      }
      await killHard(first);
      cloud.faults.replace({});

      const second = await serve(dataDir, ['--no-devcloud']);
      try {
        call = api(second, token);
        await until(
          async () =>
            Instance.parse(await call(`/v1/instances/${launched.id}`)).state === 'running',
          'the launch to settle after the restart',
        );
        const row = Instance.parse(await call(`/v1/instances/${launched.id}`));
        const real = await truth();
        assert.equal(real.length, 1, 'exactly one cloud instance');
        assert.equal(row.cloudId, real[0]?.id);
        if (killWhen === 'accepted') {
          const { events } = Events.parse(await call(`/v1/instances/${launched.id}/events`));
          assert.ok(
            events.some((e) => e.kind === 'adopted'),
            'found by refId, not launched again',
          );
        }
        await call(`/v1/instances/${launched.id}/terminate`, { method: 'POST' });
        await until(
          async () =>
            Instance.parse(await call(`/v1/instances/${launched.id}`)).state === 'terminated',
          'terminated',
        );
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    });
  }
});
