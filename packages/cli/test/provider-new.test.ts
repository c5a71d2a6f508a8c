import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConformanceReportSchema } from '@cloudplane/conformance';
import { MAIN } from './helpers/serve-process.js';

/**
 * `cloudplane provider new`: the package it makes compiles, passes its own tests, and runs under
 * `cloudplane conformance` against its own fake. The packages are made in a hidden folder under
 * packages/providers/ so that their @cloudplane/* imports resolve through the repository's
 * node_modules (as a real new package's do) while the workspace globs, tsconfig includes and
 * test runner, which skip hidden folders' contents or are never pointed at them, ignore it.
 */

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const FLUIDSTACK_SPEC = join(REPO, 'packages/providers/fluidstack/openapi.yaml');

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** This test's environment without node:test's marker, so child test runs report normally. */
const { NODE_TEST_CONTEXT: _marker, ...ENV } = process.env;

/** Runs a command from the repository root to its end (asynchronously: fakes may answer it). */
function run(command: string, args: readonly string[], cwd = REPO): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

const cli = (args: readonly string[]) => run(process.execPath, ['--import', 'tsx', MAIN, ...args]);

describe('cloudplane provider new', () => {
  const root = join(
    REPO,
    'packages/providers',
    `.provider-new-test-${randomBytes(4).toString('hex')}`,
  );
  const docs = mkdtempSync(join(tmpdir(), 'cp-provider-new-docs-'));
  const withSpec = { id: 'acme-cloud', dir: join(root, 'acme-cloud') };
  const starter = { id: 'starter2', dir: join(root, 'starter2') };

  before(() => {
    mkdirSync(root);
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(docs, { recursive: true, force: true });
  });

  it('refuses an id that is not lowercase letters, digits and dashes, and an existing folder', async () => {
    for (const id of ['Acme', '9cloud', 'acme_cloud', 'acme--cloud', 'acme-']) {
      const refused = await cli(['provider', 'new', id, '--dir', join(root, 'refused')]);
      assert.notEqual(refused.code, 0, id);
      assert.match(refused.stderr, /lowercase letters, digits and single dashes/, id);
    }
    const taken = await cli([
      'provider',
      'new',
      'lambda',
      '--dir',
      join(REPO, 'packages/providers/lambda'),
      '--docs-dir',
      docs,
    ]);
    assert.notEqual(taken.code, 0);
    assert.match(taken.stderr, /packages\/providers\/lambda exists/);
    assert.equal(existsSync(join(root, 'refused')), false, 'nothing was written');
  });

  it('makes a package from a spec: its copy, client types, a status table from its enum, a docs stub', async () => {
    const made = await cli([
      'provider',
      'new',
      withSpec.id,
      '--spec',
      relative(REPO, FLUIDSTACK_SPEC),
      '--dir',
      withSpec.dir,
      '--docs-dir',
      docs,
    ]);
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /status table drafted from the spec's InstanceState/);
    assert.match(made.stdout, /Register the adapter/);
    const file = (path: string) => readFileSync(join(withSpec.dir, path), 'utf8');
    assert.equal(file('openapi.yaml'), readFileSync(FLUIDSTACK_SPEC, 'utf8'));
    assert.match(file('src/generated/api.ts'), /export interface paths/);
    const status = file('src/status.ts');
    for (const native of ['creating', 'running', 'stopped', 'out-of-stock', 'error']) {
      assert.match(status, new RegExp(`'${native}'`), native);
    }
    assert.match(status, /running: 'running'/);
    assert.match(status, /TODO\(status\)/);
    assert.match(file('test/fake/fake.ts'), /\* {3}GET \/instances\n/);
    assert.match(file('README.md'), /BUILT_IN_PROVIDERS/);
    assert.match(readFileSync(join(docs, `${withSpec.id}.md`), 'utf8'), /## Status table/);
  });

  it('makes a package without a spec, from a starter spec marked TODO', async () => {
    const made = await cli([
      'provider',
      'new',
      starter.id,
      '--dir',
      starter.dir,
      '--docs-dir',
      docs,
    ]);
    assert.equal(made.code, 0, made.stderr);
    assert.match(readFileSync(join(starter.dir, 'openapi.yaml'), 'utf8'), /TODO\(spec\)/);
    assert.match(readFileSync(join(starter.dir, 'src/credential.ts'), 'utf8'), /DEFAULT_BASE_URL/);
  });

  it('both packages typecheck', async () => {
    const config = join(root, 'tsconfig.json');
    writeFileSync(
      config,
      JSON.stringify({
        extends: relative(root, join(REPO, 'tsconfig.base.json')),
        include: [withSpec.dir, starter.dir].flatMap((d) =>
          ['src', 'test', 'scripts'].map((part) => `${relative(root, d)}/${part}/**/*.ts`),
        ),
      }),
    );
    const tsc = join(REPO, 'node_modules/typescript/bin/tsc');
    const checked = await run(process.execPath, [tsc, '-p', config]);
    assert.equal(checked.code, 0, checked.stdout);
  });

  it('both pass their own tests, the lifecycle ones listed as todo with their TODOs', async () => {
    const tested = await run(process.execPath, [
      join(REPO, 'scripts/run-tests.mjs'),
      withSpec.dir,
      starter.dir,
    ]);
    assert.equal(tested.code, 0, tested.stdout);
    assert.match(
      tested.stdout,
      /^tests: \d+ passed, 0 failed, 2 todo, /m,
      'one lifecycle todo each',
    );
    assert.equal(tested.stdout.match(/✔ passes the contract and catalog checks/g)?.length, 2);
    assert.match(tested.stdout, /TODO\(create\) in src\/client\.ts/);
  });

  it('runs under `cloudplane conformance` against its own fake, each failure naming its TODO', async () => {
    const fake = spawn(
      process.execPath,
      ['--import', 'tsx', join(withSpec.dir, 'scripts/serve-fake.ts')],
      {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const printed = await new Promise<string>((resolve, reject) => {
        let out = '';
        fake.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const line = out.split('\n').find((l) => l.startsWith('npx cloudplane conformance'));
          if (line) resolve(line);
        });
        fake.once('close', (code) => {
          reject(
            new Error(`the fake exited (${String(code)}) before printing the command: ${out}`),
          );
        });
      });
      assert.match(printed, /--probe-capacity-error .*--probe-fail-list-page /);
      const ran = await run('/bin/sh', ['-c', `${printed} --json`]);
      assert.equal(ran.code, 1, ran.stderr);
      const report = ConformanceReportSchema.parse(JSON.parse(ran.stdout));
      const status = (id: string) => report.checks.find((c) => c.id === id)?.status;
      for (const id of ['contract.provider-shape', 'catalog.types-valid', 'catalog.gpus-legal']) {
        assert.equal(status(id), 'pass', id);
      }
      const failed = report.checks.filter((c) => c.status === 'fail' || c.status === 'error');
      assert.deepEqual(
        failed.map((c) => c.id),
        ['lifecycle.create', 'lifecycle.capacity-error', 'lifecycle.unknown-id'],
      );
      for (const check of failed) {
        assert.match(
          `${check.message ?? ''} ${check.actual ?? ''}`,
          /TODO\((create|get)\) in src\/client\.ts/,
          check.id,
        );
      }
      assert.match(ran.stderr, /provokeCapacityError provoked/, 'the capacity probe ran');
      assert.deepEqual(report.leaked, []);
    } finally {
      fake.kill('SIGTERM');
    }
  });
});
