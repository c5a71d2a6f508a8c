import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevcloud } from '@cloudplane/devcloud';
import {
  CHECK_IDS,
  ConformanceReportSchema,
  toJUnit,
  toMarkdown,
  type ConformanceReport,
} from '../src/index.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

const sample: ConformanceReport = {
  schemaVersion: 1,
  provider: 'acme <&> "cloud"',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1234,
  summary: { passed: 1, failed: 1, skipped: 1, errored: 0 },
  facts: { hostKey: 'SHA256:abc' },
  checks: [
    { id: 'contract.capabilities', group: 'contract', title: 't', status: 'pass', durationMs: 1 },
    {
      id: 'lifecycle.create',
      group: 'lifecycle',
      title: 't',
      status: 'fail',
      durationMs: 2,
      message: 'ids <differ> & "more"',
      expected: 'a',
      actual: 'b',
      hint: 'use instanceTypeId()',
    },
    {
      id: 'lifecycle.ssh',
      group: 'lifecycle',
      title: 't',
      status: 'skip',
      durationMs: 0,
      message: 'no address',
    },
  ],
  leaked: ['i-123'],
};

/** Enough of XML well-formedness for our output: balanced tags, no raw & or < in text. */
function assertWellFormedXml(xml: string): void {
  const stack: string[] = [];
  const body = xml.replace(/^<\?xml[^>]*\?>/, '');
  for (const match of body.matchAll(/<(\/?)([a-zA-Z]+)([^>]*?)(\/?)>/g)) {
    const [, closing, name = '', attrs = '', selfClosing] = match;
    assert.doesNotMatch(
      attrs,
      /[<]|&(?!(amp|lt|gt|quot|apos);)/,
      `bad attribute text in <${name}>`,
    );
    if (selfClosing) continue;
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else stack.push(name);
  }
  assert.deepEqual(stack, [], 'every element is closed');
  assert.doesNotMatch(
    body.replace(/<[^>]*>/g, ''),
    /[<>]|&(?!(amp|lt|gt|quot|apos);)/,
    'text is escaped',
  );
}

describe('reports', () => {
  it('JSON follows the published schema', () => {
    assert.equal(
      ConformanceReportSchema.safeParse(JSON.parse(JSON.stringify(sample))).success,
      true,
    );
    assert.equal(ConformanceReportSchema.safeParse({ ...sample, schemaVersion: 2 }).success, false);
  });

  it('JUnit XML is well formed, escaped, one suite per group, with failures and skips', () => {
    const xml = toJUnit(sample);
    assertWellFormedXml(xml);
    assert.match(xml, /<testsuite name="lifecycle" tests="2" failures="1" errors="0" skipped="1"/);
    assert.match(xml, /<failure message="ids &lt;differ&gt; &amp; &quot;more&quot;">/);
    assert.match(xml, /expected: a\nactual: b\nhint: use instanceTypeId\(\)/);
  });

  it('Markdown lists every check, the failure details and what leaked', () => {
    const md = toMarkdown(sample);
    for (const check of sample.checks) assert.ok(md.includes(`\`${check.id}\``));
    assert.match(md, /## Failures[\s\S]*expected: a/);
    assert.match(md, /## Not deleted[\s\S]*i-123/);
  });
});

describe('cloudplane conformance (CLI)', () => {
  it('runs against a devcloud with a credential file and writes every report format', async () => {
    const cloud = await startDevcloud({
      timings: { bootStepMs: 20, stopMs: 20, startMs: 20, rebootMs: 20, terminateMs: 20 },
    });
    const dir = mkdtempSync(join(tmpdir(), 'cp-conf-'));
    try {
      const credential = join(dir, 'cred.json');
      writeFileSync(credential, JSON.stringify({ apiKey: cloud.apiKey, baseUrl: cloud.url }));
      // Async on purpose: the devcloud answering the CLI runs in this process's event loop.
      const cli = (args: string[], cred = credential) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          execFile(
            process.execPath,
            [
              '--import',
              'tsx',
              'packages/cli/src/main.ts',
              'conformance',
              '--provider',
              'devcloud',
              '--credential',
              cred,
              ...args,
            ],
            { cwd: repo, encoding: 'utf8' },
            (err, stdout, stderr) => {
              resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
            },
          );
        });
      const json = await cli(['--json', '--timeout-scale', '0.2']);
      assert.equal(json.status, 0, json.stderr);
      const report = ConformanceReportSchema.parse(JSON.parse(json.stdout));
      assert.deepEqual(
        report.checks.map((c) => c.id),
        [...CHECK_IDS],
      );
      assert.equal(report.summary.failed, 0);
      const junit = await cli([
        '--only',
        'catalog',
        '--report',
        'junit',
        '--out',
        join(dir, 'r.xml'),
      ]);
      assert.equal(junit.status, 0, junit.stderr);
      assert.match(junit.stdout, /✓ catalog\.ids-stable/);
      assertWellFormedXml(readFileSync(join(dir, 'r.xml'), 'utf8'));
      const bad = await cli([], join(dir, 'missing.json'));
      assert.notEqual(bad.status, 0);
      assert.match(bad.stderr, /credential file .*missing\.json does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await cloud.close();
    }
  });
});
