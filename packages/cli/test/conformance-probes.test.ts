import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConformanceReportSchema, type ConformanceReport } from '@cloudplane/conformance';
import { startDevcloud, type Devcloud } from '@cloudplane/devcloud';

/**
 * `cloudplane conformance --probe-capacity-error CMD --probe-fail-list-page CMD`: a third party's
 * probes, given as shell commands, run the same checks the programmatic probes do. The commands
 * here drive a devcloud's admin API the way a partner's script would drive their test cloud.
 */

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** A probe script: sets the devcloud fault for its probe, or clears it, and logs what it did. */
const PROBE_SCRIPT = `
import { appendFileSync } from 'node:fs';
const [fault] = process.argv.slice(2);
const action = process.env.CLOUDPLANE_PROBE;
const faults = action === 'provoke' ? JSON.parse(fault) : {};
const response = await fetch(process.env.PROBE_DEVCLOUD_URL + '/admin/faults', {
  method: 'PUT',
  headers: { authorization: 'Bearer ' + process.env.PROBE_ADMIN_KEY, 'content-type': 'application/json' },
  body: JSON.stringify(faults),
});
if (!response.ok) { console.error('admin answered', response.status); process.exit(2); }
appendFileSync(process.env.PROBE_LOG, process.env.CLOUDPLANE_PROBE_NAME + ':' + action + '\\n');
console.log('probe output goes to stderr, never into the JSON report');
`;

interface Ran {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('cloudplane conformance: probes from the command line', () => {
  let cloud: Devcloud;
  let dir: string;
  let credential: string;
  let script: string;

  before(async () => {
    cloud = await startDevcloud({
      timings: { bootStepMs: 20, stopMs: 20, startMs: 20, rebootMs: 20, terminateMs: 20 },
    });
    dir = mkdtempSync(join(tmpdir(), 'cp-conf-probes-'));
    credential = join(dir, 'cred.json');
    writeFileSync(credential, JSON.stringify({ apiKey: cloud.apiKey, baseUrl: cloud.url }));
    script = join(dir, 'probe.mjs');
    writeFileSync(script, PROBE_SCRIPT);
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await cloud.close();
  });

  // Async on purpose: the devcloud answering the CLI runs in this process's event loop.
  const cli = (args: string[], log: string) =>
    new Promise<Ran>((resolve) => {
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
          credential,
          '--only',
          'lifecycle',
          '--json',
          '--timeout-scale',
          '0.2',
          ...args,
        ],
        {
          cwd: repo,
          encoding: 'utf8',
          env: {
            ...process.env,
            PROBE_DEVCLOUD_URL: cloud.url,
            PROBE_ADMIN_KEY: cloud.adminKey,
            PROBE_LOG: log,
          },
        },
        (err, stdout, stderr) => {
          resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
        },
      );
    });

  const probe = (fault: object) => `"${process.execPath}" "${script}" '${JSON.stringify(fault)}'`;
  const verdict = (report: ConformanceReport, id: string) => report.checks.find((c) => c.id === id);

  it('runs both checks with the commands, provoking before and restoring after each', async () => {
    const log = join(dir, 'both.log');
    writeFileSync(log, '');
    const ran = await cli(
      [
        '--probe-capacity-error',
        probe({ outOfCapacity: true }),
        '--probe-fail-list-page',
        probe({ failPage: 1 }),
      ],
      log,
    );
    assert.equal(ran.status, 0, ran.stderr);
    const report = ConformanceReportSchema.parse(JSON.parse(ran.stdout));
    assert.equal(verdict(report, 'lifecycle.capacity-error')?.status, 'pass');
    assert.equal(verdict(report, 'lifecycle.list-complete')?.status, 'pass');
    assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), [
      'failListPage:provoke',
      'failListPage:restore',
      'provokeCapacityError:provoke',
      'provokeCapacityError:restore',
    ]);
    assert.match(ran.stderr, /probe output goes to stderr/);
    assert.deepEqual(report.leaked, []);
  });

  it('fails the check when its command fails, and skips the check given no command', async () => {
    const ran = await cli(
      ['--probe-capacity-error', 'echo "no such target" >&2; exit 3'],
      join(dir, 'fail.log'),
    );
    assert.equal(ran.status, 1);
    const report = ConformanceReportSchema.parse(JSON.parse(ran.stdout));
    const check = verdict(report, 'lifecycle.capacity-error');
    assert.equal(check?.status, 'fail');
    assert.match(
      check.message ?? '',
      /--probe-capacity-error command \(CLOUDPLANE_PROBE=provoke\) exited with 3: no such target/,
    );
    assert.equal(verdict(report, 'lifecycle.list-complete')?.status, 'skip');
    assert.deepEqual(report.leaked, []);
  });

  it('refuses an empty probe command before running anything', async () => {
    const ran = await cli(['--probe-fail-list-page', '  '], join(dir, 'empty.log'));
    assert.notEqual(ran.status, 0);
    assert.match(ran.stderr, /--probe-fail-list-page must be a shell command/);
    assert.equal(ran.stdout, '');
  });
});
