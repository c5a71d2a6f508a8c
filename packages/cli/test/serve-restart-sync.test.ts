import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, describe, it } from 'node:test';
import { startDevcloud, type Devcloud } from '@cloudplane/devcloud';
import { makeLogger, startControlPlane, type ControlPlane } from '@cloudplane/control-plane';
import { memoryTarget } from '../../control-plane/test/helpers/storage.js';
import { registerBuiltInDevcloud } from '../src/commands/serve.js';

/**
 * On a restart, the control plane queues the built-in devcloud credential's sync as it starts,
 * before serve can point the credential at this run's devcloud: that first sync may run against
 * the previous run's port, which is gone. The banner must not report that sync.
 */

describe('cloudplane serve after a restart', () => {
  const closers: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const close of closers.reverse()) await close();
  });

  it("reports the sync against this run's devcloud, not one still running against the last run's", async () => {
    // The previous run's address: something answers there slowly, and refuses the old key.
    let reached = 0;
    const previous: Server = createServer((_request, response) => {
      reached++;
      setTimeout(() => {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end('{"error":{"code":"unauthorized","message":"unknown api key"}}');
      }, 1_500);
    });
    await new Promise<void>((resolve) => previous.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => previous.close(resolve)));
    const address = previous.address();
    assert.ok(address !== null && typeof address === 'object');

    const plane: ControlPlane = await startControlPlane({
      storage: await memoryTarget(),
      masterKey: randomBytes(32),
      logger: makeLogger({
        level: process.env.TEST_LOG === '1' ? 'info' : 'silent',
        destination: 'stderr',
      }),
      jobPollingIntervalSeconds: 0.5,
    });
    closers.push(() => plane.close());
    // What the last run left: the credential with its devcloud's address, and a sync queued.
    const { id } = await plane.credentials.upsertByName({
      provider: 'devcloud',
      name: 'devcloud-builtin',
      credential: { apiKey: 'dc_previous_run_key', baseUrl: `http://127.0.0.1:${address.port}` },
    });
    await plane.scheduler.syncNow(id);
    for (let waited = 0; reached === 0; waited += 50) {
      assert.ok(waited < 20_000, 'the stale sync started');
      await new Promise((r) => setTimeout(r, 50));
    }

    const cloud: Devcloud = await startDevcloud({ seed: 1 });
    closers.push(() => cloud.close());
    const synced = await registerBuiltInDevcloud(plane, cloud);
    assert.equal(synced.outcome, 'ok');
    assert.equal(synced.offers, await plane.offerCount(id));
    assert.ok(synced.offers > 0);
    const summary = await plane.credentials.require(id);
    assert.equal(summary.sync.state, 'ok');
    assert.equal(summary.settings.baseUrl, cloud.url);
  });
});
