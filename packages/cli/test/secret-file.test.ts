import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeSecretFile } from '../src/secret-file.js';

/** `serve --token-out` and `devcloud serve --credential-out` write secrets through this. */

describe('writeSecretFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cloudplane-secret-file-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves a file only its owner reads, also where a readable file was', () => {
    const path = join(dir, 'token');
    writeFileSync(path, 'old\n', { mode: 0o644 });
    writeSecretFile(path, 'cpt_secret\n');
    assert.equal(readFileSync(path, 'utf8'), 'cpt_secret\n');
    assert.equal(lstatSync(path).mode & 0o777, 0o600);
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.startsWith('token')),
      ['token'],
      'no draft left behind',
    );
  });

  it('writes through to a stream (/dev/stdout, a pipe), leaving the path as it was', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const child = spawn('cat', [fifo]);
    let read = '';
    child.stdout.on('data', (chunk: Buffer) => (read += chunk.toString()));
    const closed = new Promise((done) => child.once('close', done));
    writeSecretFile(fifo, 'cpt_streamed\n');
    return closed.then(() => {
      assert.equal(read, 'cpt_streamed\n');
      assert.ok(lstatSync(fifo).isFIFO(), 'the pipe is still a pipe');
    });
  });

  it('replaces a symlink instead of writing through it', () => {
    const target = join(dir, 'elsewhere');
    writeFileSync(target, 'not yours\n', { mode: 0o644 });
    const path = join(dir, 'linked');
    symlinkSync(target, path);
    writeSecretFile(path, 'cpt_secret\n');
    assert.equal(readFileSync(target, 'utf8'), 'not yours\n', 'the link target is untouched');
    assert.ok(lstatSync(path).isFile(), 'the path is a file of its own now');
    assert.equal(lstatSync(path).mode & 0o777, 0o600);
  });
});
