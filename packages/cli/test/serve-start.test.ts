import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { seedServeDataDir } from '../../control-plane/test/helpers/storage.js';

/** How `cloudplane serve` reads its environment, and what a failed start leaves behind. */

const MAIN = resolve(import.meta.dirname, '../src/main.ts');

interface Run {
  /** The exit code, or the signal that ended it. */
  readonly code: number | string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs serve until its banner is out (then stops it with SIGTERM) or until it exits. */
function serveOnce(
  dataDir: string,
  env: Record<string, string>,
  flags: readonly string[] = [],
): Promise<Run> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      MAIN,
      'serve',
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--no-devcloud',
      '--log-level',
      'warn',
      ...flags,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let stdout = '';
  let stderr = '';
  let stopping = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    // One signal: a second one makes serve exit at once, with 143.
    if (!stopping && stdout.includes('Ctrl-C')) {
      stopping = true;
      child.kill('SIGTERM');
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((done) => {
    child.once('exit', (code, signal) => {
      done({ code: code ?? signal, stdout, stderr });
    });
  });
}

describe('cloudplane serve start', () => {
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloudplane-start-'));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('reads an empty DATABASE_URL as unset and uses the embedded database', async () => {
    const dataDir = freshDir();
    await seedServeDataDir(dataDir);
    const run = await serveOnce(dataDir, { DATABASE_URL: '', CLOUDPLANE_MASTER_KEY: '' });
    assert.match(run.stdout, /storage: +embedded/, run.stderr);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.deepEqual(
      readdirSync(dataDir).filter((name) => name.startsWith('serve.lock')),
      [],
      'a clean stop removes the lock',
    );
  });

  it('refuses a bad flag value, naming the flag as it is spelled, before taking the lock', async () => {
    const dataDir = freshDir();
    // Empty, as from an unset variable: not 0.
    const run = await serveOnce(dataDir, {}, ['--max-direct-launches', '']);
    assert.equal(run.code, 2, run.stdout);
    assert.match(run.stderr, /cloudplane serve: --max-direct-launches: expected a whole number/);
    assert.deepEqual(readdirSync(dataDir), [], 'nothing was written');
  });

  it('leaves no lock file behind when the start fails', async () => {
    const dataDir = freshDir();
    // A key file others can read: serve refuses it after taking the lock.
    writeFileSync(join(dataDir, 'master.key'), randomBytes(32).toString('base64'), {
      mode: 0o644,
    });
    const run = await serveOnce(dataDir, { DATABASE_URL: '', CLOUDPLANE_MASTER_KEY: '' });
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stderr, /chmod 600/);
    assert.deepEqual(
      readdirSync(dataDir).filter((name) => name.startsWith('serve.lock')),
      [],
    );
  });
});
