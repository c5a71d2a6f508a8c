import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InstanceTypeSchema } from '@cloudplane/sdk';
import { z } from 'zod';
import { ShadeformFake } from './fake/shadeform-fake.js';
import { clientFor } from './helpers.js';

/** `cloudplane catalog --provider shadeform` end to end: the real CLI against the fake. */

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Asynchronous on purpose: the fake answers from this process's event loop. */
function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'packages/cli/src/main.ts', 'catalog', ...args],
      { cwd: repo },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? 1 : 0;
        resolve({ status: code, stdout, stderr });
      },
    );
  });
}

const CatalogDocument = z.strictObject({
  provider: z.string(),
  instanceTypes: z.array(InstanceTypeSchema),
});

describe('cloudplane catalog --provider shadeform', () => {
  let fake: ShadeformFake;
  let dir: string;
  let credential: string;

  before(async () => {
    fake = await ShadeformFake.start();
    dir = mkdtempSync(join(tmpdir(), 'cli-shadeform-'));
    credential = join(dir, 'shadeform.json');
    writeFileSync(credential, JSON.stringify(fake.credential), { mode: 0o600 });
  });

  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(fake.violations, []);
  });

  it('--json prints the adapter’s normalized types', async () => {
    const run = await cli(['--provider', 'shadeform', '--credential', credential, '--json']);
    assert.equal(run.status, 0, run.stderr);
    const document = CatalogDocument.parse(JSON.parse(run.stdout));
    assert.equal(document.provider, 'shadeform');
    const direct = await clientFor(fake).client.getInstanceTypes();
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    assert.deepEqual([...document.instanceTypes].sort(byId), [...direct].sort(byId));
    assert.ok(document.instanceTypes.some((t) => t.cloud === 'hyperstack'));
  });

  it('fails with a clear message and exit 1, never echoing the key', async () => {
    const wrongKey = join(dir, 'wrong.json');
    writeFileSync(wrongKey, JSON.stringify({ ...fake.credential, apiKey: 'sf_wrong_123' }));
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ api_key: 'sf_typo_456' }));
    const cases: [string[], RegExp][] = [
      [['--credential', wrongKey], /UNAUTHENTICATED/],
      [['--credential', invalid], /not a valid shadeform credential: .*apiKey/],
    ];
    for (const [args, message] of cases) {
      const run = await cli(['--provider', 'shadeform', ...args, '--json']);
      assert.equal(run.status, 1, args.join(' '));
      assert.equal(run.stdout, '');
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /sf_wrong_123|sf_typo_456/);
    }
  });

  it('scrubs the key from what a cloud that echoes the request answers', async () => {
    const key = 'sf_echoed_secret_7890';
    const echo = createServer((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `bad key ${String(req.headers['x-api-key'])}` }));
    });
    await new Promise<void>((done) => echo.listen(0, '127.0.0.1', done));
    try {
      const { port } = echo.address() as AddressInfo;
      const echoed = join(dir, 'echoed.json');
      writeFileSync(
        echoed,
        JSON.stringify({ ...fake.credential, apiKey: key, baseUrl: `http://127.0.0.1:${port}/v1` }),
      );
      const run = await cli(['--provider', 'shadeform', '--credential', echoed, '--verbose']);
      assert.equal(run.status, 1);
      assert.match(run.stderr, /UNAUTHENTICATED.*bad key \[redacted\]/);
      assert.ok(!run.stderr.includes(key), run.stderr);
    } finally {
      echo.closeAllConnections();
      await new Promise((done) => echo.close(done));
    }
  });
});
