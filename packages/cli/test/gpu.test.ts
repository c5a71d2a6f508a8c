import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startCli } from './helpers/cli.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const corpus = readFileSync(
  new URL('../../sdk/data/gpu-corpus.public.jsonl', import.meta.url),
  'utf8',
);

function cli(args: string[], input = '') {
  return spawnSync(process.execPath, ['--import', 'tsx', 'packages/cli/src/main.ts', ...args], {
    cwd: repo,
    input,
    encoding: 'utf8',
  });
}

describe('cloudplane gpu', () => {
  it('normalize --jsonl writes one record per input line, in order, with exactly six fields', () => {
    const rows = corpus.split('\n').filter((l) => l.trim() !== '');
    const inputs = rows.map((l) => {
      const { raw, source, context } = JSON.parse(l) as {
        raw: string;
        source: string;
        context?: unknown;
      };
      return JSON.stringify({ raw, source, context });
    });
    const run = cli(['gpu', 'normalize', '--jsonl'], inputs.join('\n') + '\n');
    assert.equal(run.status, 0, run.stderr);
    const outputs = run.stdout.trim().split('\n');
    assert.equal(outputs.length, rows.length);
    rows.forEach((row, i) => {
      const expected = (JSON.parse(row) as { expect: unknown }).expect;
      const got = JSON.parse(outputs[i] ?? '{}') as Record<string, unknown>;
      assert.deepEqual(Object.keys(got), [
        'name',
        'manufacturer',
        'memoryGiB',
        'memoryType',
        'formFactor',
        'architecture',
      ]);
      assert.deepEqual(got, expected, `line ${i + 1}`);
    });
  });

  it('keeps outputs aligned and fails when a line is bad, naming the line', () => {
    const run = cli(
      ['gpu', 'normalize', '--jsonl'],
      '{"raw":"H100 SXM"}\nnot json\n{"raw": 5}\n{"raw":"L4"}\n',
    );
    assert.equal(run.status, 1);
    const names = run.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { name: string | null }).name);
    assert.deepEqual(names, ['H100', null, null, 'L4']);
    assert.match(run.stderr, /line 2: not JSON/);
    assert.match(run.stderr, /line 3: raw:/);
  });

  it('prints one string readably, and lists the models', () => {
    const one = cli(['gpu', 'normalize', 'NVIDIA H100 80GB HBM3']);
    assert.equal(one.status, 0, one.stderr);
    assert.match(one.stdout, /variant\s+H100-80G-SXM5/);
    assert.match(one.stdout, /architecture\s+Hopper/);
    const models = cli(['gpu', 'models']);
    assert.equal(models.status, 0);
    assert.equal(models.stdout.trim().split('\n').length, 82);
    assert.match(models.stdout, /^A100\s+NVIDIA\s+Ampere\s+2020\s+40G HBM2 SXM4/m);
  });

  it('treats "context": null in --jsonl as no context', () => {
    const run = cli(
      ['gpu', 'normalize', '--jsonl'],
      '{"raw":"NVIDIA H100 80GB HBM3","context":null}\n' +
        '{"raw":"p4d.24xlarge","source":"aws","context":null}\n',
    );
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    const records = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { name: string; memoryGiB: number; formFactor: string });
    assert.deepEqual(
      records.map((r) => [r.name, r.memoryGiB, r.formFactor]),
      [
        ['H100', 80, 'SXM5'],
        ['A100', 40, 'SXM4'],
      ],
    );
  });

  it('prints the GPU count an instance SKU carries', () => {
    const run = cli(['gpu', 'normalize', 'Standard_ND96asr_v4']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /variant\s+A100-40G-SXM4/);
    assert.match(run.stdout, /sku\s+azure-vm-size, 8 GPUs/);
  });
});

describe('cloudplane gpu when the reader closes stdout early (like `| head`)', () => {
  it('ends quietly with status 0 when the pipe is closed before anything is written', async () => {
    for (const args of [
      ['gpu', 'models'],
      ['gpu', 'models', '--json'],
    ]) {
      const running = startCli({}, args);
      running.child.stdout?.destroy();
      const ran = await running.done;
      assert.equal(ran.code, 0, `${args.join(' ')}: ${ran.stderr}`);
      assert.equal(ran.stderr, '');
    }
  });

  it('ends quietly with status 0 when the reader stops after the first chunk', async () => {
    // Four copies of the corpus make more output than a pipe holds (64 KiB), so the CLI is still
    // writing when the reader goes away, whatever the timing.
    const lines = corpus
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const { raw, source, context } = JSON.parse(l) as Record<string, unknown>;
        return JSON.stringify({ raw, source, context });
      });
    const input = Array.from({ length: 4 }, () => lines.join('\n')).join('\n') + '\n';
    const running = startCli({}, ['gpu', 'normalize', '--jsonl'], input);
    const firstChunk = await new Promise<string>((resolve) => {
      running.child.stdout?.once('data', (chunk: Buffer) => {
        running.child.stdout?.destroy();
        resolve(chunk.toString());
      });
    });
    const ran = await running.done;
    assert.match(firstChunk, /^\{"name":/);
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(ran.stderr, '');
  });
});
