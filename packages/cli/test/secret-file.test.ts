import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  lstatSync,
  mkdtempSync,
  readdirSync,
  openSync,
  readFileSync,
  readSync,
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

  it('writes through to a stream (a pipe with its reader), leaving the path as it was', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      writeSecretFile(fifo, 'cpt_streamed\n');
      const buffer = Buffer.alloc(64);
      const n = readSync(reader, buffer);
      assert.equal(buffer.subarray(0, n).toString(), 'cpt_streamed\n');
    } finally {
      closeSync(reader);
    }
    assert.ok(lstatSync(fifo).isFIFO(), 'the pipe is still a pipe');
  });

  it('refuses a pipe with no reader instead of waiting for one', () => {
    const fifo = join(dir, 'lonely');
    execFileSync('mkfifo', [fifo]);
    assert.throws(() => {
      writeSecretFile(fifo, 'cpt_x\n');
    }, /is a pipe with no reader/);
  });

  it('replaces the file a symlink leads to with a new 0600 one, keeping the link', () => {
    const target = join(dir, 'elsewhere');
    writeFileSync(target, 'old\n', { mode: 0o644 });
    const path = join(dir, 'linked');
    symlinkSync(target, path);
    writeSecretFile(path, 'cpt_secret\n');
    assert.ok(lstatSync(path).isSymbolicLink(), 'the link is still a link');
    assert.equal(readFileSync(target, 'utf8'), 'cpt_secret\n');
    assert.equal(lstatSync(target).mode & 0o777, 0o600);
  });
});
