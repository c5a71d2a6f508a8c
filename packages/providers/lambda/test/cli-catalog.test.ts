import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InstanceTypeSchema, parseMoney, compareMoney } from '@cloudplane/sdk';
import { z } from 'zod';
import type { LambdaFake } from './fake/lambda-fake.js';
import { clientFor, useFake } from './helpers.js';

/** `cloudplane catalog` end to end: the real CLI process against the Lambda fake. */

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Asynchronous on purpose: the fake answers from this process's event loop. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'packages/cli/src/main.ts', 'catalog', ...args],
      { cwd: repo, env: { ...process.env, ...env } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      resolve({ status, stdout, stderr });
    });
  });
}

const CatalogDocument = z.strictObject({
  provider: z.string(),
  instanceTypes: z.array(InstanceTypeSchema),
});

describe('cloudplane catalog', () => {
  let fake: LambdaFake;
  let dir: string;
  let credential: string;

  useFake({ before, after }, (f) => (fake = f));
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-catalog-'));
    credential = join(dir, 'lambda.json');
    writeFileSync(credential, JSON.stringify(fake.credential), { mode: 0o600 });
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('--json prints exactly one document with the adapter’s normalized types', async () => {
    const run = await cli(['--provider', 'lambda', '--credential', credential, '--json']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    const document = CatalogDocument.parse(JSON.parse(run.stdout));
    assert.equal(document.provider, 'lambda');
    const direct = await clientFor(fake).client.getInstanceTypes();
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    assert.deepEqual([...document.instanceTypes].sort(byId), [...direct].sort(byId));
  });

  it('--location narrows to one location', async () => {
    const run = await cli([
      '--provider',
      'lambda',
      '--credential',
      credential,
      '--location',
      'us-west-3',
      '--json',
    ]);
    assert.equal(run.status, 0, run.stderr);
    const { instanceTypes } = CatalogDocument.parse(JSON.parse(run.stdout));
    assert.ok(instanceTypes.length > 0);
    assert.ok(instanceTypes.every((t) => t.location === 'us-west-3'));
  });

  it('prints a table sorted by price, GPUs written out', async () => {
    const run = await cli(['--provider', 'lambda', '--credential', `env:LAMBDA_CRED`], {
      LAMBDA_CRED: JSON.stringify(fake.credential),
    });
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^TYPE\s+LOCATION\s+GPUS\s+VCPU\s+RAM\s+PRICE\/H\s+AVAILABLE$/);
    const rows = lines.slice(1, lines.indexOf(''));
    assert.ok(rows.length > 10);
    const prices = rows.map((row) => {
      const price = /(\d+\.\d+) USD/.exec(row)?.[1];
      assert.ok(price, row);
      return parseMoney(price);
    });
    for (let i = 1; i < prices.length; i++) {
      const [a, b] = [prices[i - 1], prices[i]];
      assert.ok(a && b && compareMoney(a, b) <= 0, `row ${i} is not sorted by price`);
    }
    const h100 = rows.find((r) => r.startsWith('gpu_8x_h100_sxm5') && r.includes('us-west-3'));
    assert.match(h100 ?? '', /8x H100 80G SXM5\s+208\s+1800 GiB\s+23\.92 USD\s+yes$/);
    assert.match(lines.at(-1) ?? '', /^\d+ instance types, \d+ available$/);
  });

  it('fails with a clear message on stderr and exit 1', async () => {
    const wrongKey = join(dir, 'wrong.json');
    writeFileSync(wrongKey, JSON.stringify({ ...fake.credential, apiKey: 'secret_wrong_123' }));
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ api_key: 'secret_typo_456' }));
    const cases: [string[], RegExp][] = [
      [['--provider', 'lambda', '--credential', wrongKey], /UNAUTHENTICATED/],
      [['--provider', 'lambda', '--credential', join(dir, 'missing.json')], /does not exist/],
      [
        ['--provider', 'lambda', '--credential', invalid],
        /not a valid lambda credential: .*apiKey/,
      ],
      [['--provider', 'no-such-cloud', '--credential', credential], /cannot load provider/],
      [['--provider', 'lambda'], /--credential/],
    ];
    for (const [args, message] of cases) {
      const run = await cli([...args, '--json']);
      assert.equal(run.status, 1, args.join(' '));
      assert.equal(run.stdout, '', 'nothing on stdout');
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /secret_wrong_123|secret_typo_456/);
    }
  });
});
