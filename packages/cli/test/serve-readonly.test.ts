import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedServeDataDir } from '../../control-plane/test/helpers/storage.js';
import { MAIN } from './helpers/serve-process.js';

/**
 * A data directory serve cannot write, told in one line that says so and what to do: a directory
 * another user owns, an embedded database made read-only after a first start, a read-only file
 * system. Needs root: serve runs as `nobody` (root writes through any mode), and the read-only
 * file system is a tmpfs mounted read-only.
 */

const NOBODY = 65_534;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs serve (as nobody unless `asRoot`) until its banner is out, then stops it with SIGTERM,
 * or until it exits by itself.
 */
function serveOnce(dataDir: string, asRoot = false): Promise<Run> {
  const node = [process.execPath, '--import', 'tsx', MAIN, 'serve'];
  const args = [
    ...['--data-dir', dataDir, '--port', '0', '--no-devcloud', '--log-level', 'silent'],
  ];
  // setpriv execs serve itself, so the signal below reaches serve, not a wrapper.
  const child = asRoot
    ? spawn(node[0] ?? 'node', [...node.slice(1), ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(
        'setpriv',
        [
          `--reuid=${String(NOBODY)}`,
          `--regid=${String(NOBODY)}`,
          '--clear-groups',
          '--',
          ...node,
          ...args,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: tmpdir() } },
      );
  let stdout = '';
  let stderr = '';
  let stopping = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    // Once: a second SIGTERM during the shutdown means "exit now" (143).
    if (!stopping && stdout.includes('Ctrl-C')) {
      stopping = true;
      child.kill('SIGTERM');
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((done) => {
    child.once('exit', (code) => {
      done({ code, stdout, stderr });
    });
  });
}

/** One line on stderr, and nothing else: no stack, no log lines. */
function oneLineError(run: Run): string {
  assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
  const lines = run.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, run.stderr);
  return lines[0] ?? '';
}

describe('cloudplane serve on a data directory it cannot write', () => {
  const root = mkdtempSync(join(tmpdir(), 'cloudplane-readonly-'));
  const mounts: string[] = [];
  before(() => {
    assert.equal(
      process.getuid?.(),
      0,
      'this test needs root: it runs serve as nobody (setpriv) and mounts a read-only tmpfs',
    );
    chmodSync(root, 0o755);
    const asNobody = [`--reuid=${String(NOBODY)}`, `--regid=${String(NOBODY)}`, '--clear-groups'];
    const readable = spawnSync('setpriv', [...asNobody, '--', 'test', '-r', MAIN]).status === 0;
    assert.ok(
      readable,
      `this test runs serve as user nobody, who cannot read ${MAIN}: run it from a checkout every user may read (its directories mode 755)`,
    );
  });
  after(() => {
    for (const mount of mounts) execFileSync('umount', [mount]);
    rmSync(root, { recursive: true, force: true });
  });

  it('names a directory the user may not write, and one it cannot create', async () => {
    const dir = join(root, 'theirs');
    mkdirSync(dir, { mode: 0o555 });
    const line = oneLineError(await serveOnce(dir));
    assert.equal(
      line,
      `cloudplane serve: the data directory ${dir} is not writable by user nobody (EACCES); serve keeps its lock, master key and embedded database there: make it writable, or pass another --data-dir`,
    );
    const below = join(dir, 'state', 'cloudplane');
    assert.match(
      oneLineError(await serveOnce(below)),
      new RegExp(
        `data directory ${below} cannot be created: ${dir} is not writable by user nobody \\(EACCES\\)`,
      ),
    );
    assert.deepEqual(readdirSync(dir), [], 'nothing left behind');
  });

  it('names the embedded database when only it is read-only', async () => {
    const dir = join(root, 'mine');
    mkdirSync(dir, { mode: 0o700 });
    await seedServeDataDir(dir);
    execFileSync('chown', ['-R', `${String(NOBODY)}:${String(NOBODY)}`, dir]);
    const first = await serveOnce(dir);
    assert.equal(first.code, 0, `the first start works: ${first.stderr}`);
    execFileSync('chmod', ['-R', 'a-w', join(dir, 'pglite')]);
    try {
      assert.match(
        oneLineError(await serveOnce(dir)),
        new RegExp(
          `the data directory ${dir} cannot be written: ${dir}/pglite\\S* is not writable by user nobody \\(EACCES\\); .*make it writable, or pass another --data-dir$`,
        ),
      );
      assert.deepEqual(
        readdirSync(dir).filter((name) => name.startsWith('serve.lock')),
        [],
        'the failed start leaves no lock',
      );
    } finally {
      execFileSync('chmod', ['-R', 'u+w', join(dir, 'pglite')]);
    }
  });

  it('names a read-only file system, even to root', async () => {
    const dir = join(root, 'readonly-fs');
    mkdirSync(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir]);
    mounts.push(dir);
    assert.match(
      oneLineError(await serveOnce(dir, true)),
      new RegExp(`the data directory ${dir} is on a read-only file system \\(EROFS\\); `),
    );
    assert.match(
      oneLineError(await serveOnce(join(dir, 'sub'), true)),
      new RegExp(
        `the data directory ${dir}/sub cannot be created: ${dir} is on a read-only file system \\(EROFS\\)`,
      ),
    );
  });
});
