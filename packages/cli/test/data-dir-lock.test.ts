import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lockDataDir } from '../src/data-dir-lock.js';

describe('data directory lock', () => {
  it('refuses a directory whose owner runs, takes over one left by a crash, and unlocks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloudplane-lock-'));
    const lock = join(dir, 'serve.lock');
    const owner = spawn('sleep', ['30']);
    try {
      writeFileSync(lock, `${owner.pid ?? 0}\n`);
      assert.throws(() => lockDataDir(dir), /another cloudplane serve \(pid \d+\) is using/);

      const gone = spawnSync('true').pid; // exited already
      writeFileSync(lock, `${gone}\n`);
      const unlock = lockDataDir(dir);
      assert.equal(readFileSync(lock, 'utf8'), `${process.pid}\n`);
      assert.throws(() => lockDataDir(dir), /another cloudplane serve/, 'the holder is alive');
      unlock();
      assert.equal(existsSync(lock), false);
    } finally {
      owner.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
