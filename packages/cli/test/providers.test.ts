import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { runCli, startTestPlane, waitForOffer, type TestPlaneOnDevcloud } from './helpers/cli.js';

/**
 * `cloudplane providers scorecard` and `credentials add --orphan-policy`, as processes against a
 * real control plane with a devcloud credential.
 */

describe('cloudplane providers and orphan policy', () => {
  let stack: TestPlaneOnDevcloud;
  const dir = mkdtempSync(join(tmpdir(), 'cloudplane-providers-'));

  before(async () => {
    stack = await startTestPlane({ devcloud: { catalogSize: 5, timings: { bootStepMs: 50 } } });
    await waitForOffer(stack.plane.url, stack.token);
  });
  after(async () => {
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints each credential's scorecard, as a table and as JSON", async () => {
    const json = await runCli(stack.env, ['providers', 'scorecard', '--json']);
    assert.equal(json.code, 0, json.stderr);
    const cards = z
      .array(
        z.object({
          name: z.string(),
          windows: z.object({
            hour: z.object({
              catalogSyncs: z.number(),
              catalogSyncSuccessRate: z.number().nullable(),
            }),
          }),
        }),
      )
      .parse(JSON.parse(json.stdout));
    const dev = cards.find((c) => c.name === 'dev');
    assert.ok(dev);
    assert.ok(dev.windows.hour.catalogSyncs >= 1);
    assert.equal(dev.windows.hour.catalogSyncSuccessRate, 1);
    const text = await runCli(stack.env, ['providers', 'scorecard']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^CREDENTIAL +PROVIDER +WINDOW/m);
    assert.match(text.stdout, /^dev +devcloud +hour +100% of \d+/m);
  });

  it('stores an orphan policy given at add, and refuses a malformed one', async () => {
    const file = join(dir, 'cred.json');
    writeFileSync(file, JSON.stringify({ apiKey: stack.cloud.apiKey, baseUrl: stack.cloud.url }));
    const added = await runCli(stack.env, [
      'credentials',
      'add',
      '--provider',
      'devcloud',
      '--name',
      'reaper',
      '--credential',
      file,
      '--orphan-policy',
      'terminate-after=30',
      '--json',
    ]);
    assert.equal(added.code, 0, added.stderr);
    const { id } = z.object({ id: z.string() }).parse(JSON.parse(added.stdout));
    const stored = z.object({ orphanPolicy: z.unknown() }).parse(
      await (
        await fetch(`${stack.plane.url}/v1/credentials/${id}`, {
          headers: { authorization: `Bearer ${stack.token}` },
        })
      ).json(),
    );
    assert.deepEqual(stored.orphanPolicy, { terminateAfterMinutes: 30 });
    const bad = await runCli(stack.env, [
      'credentials',
      'add',
      '--provider',
      'devcloud',
      '--name',
      'bad',
      '--credential',
      file,
      '--orphan-policy',
      'kill-them',
    ]);
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      /--orphan-policy "kill-them": give 'report' or 'terminate-after=<minutes>'/,
    );
  });
});
