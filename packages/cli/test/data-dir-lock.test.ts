import assert from 'node:assert/strict';
import { execFileSync, fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { lockDataDir, startTicksOf } from '../src/data-dir-lock.js';

const LockFile = z.object({
  pid: z.number(),
  start: z.string().nullable(),
  boot: z.string().nullable(),
  nonce: z.string(),
});

const BOOT = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

function owner(pid: number, start: string | null, boot: string | null = BOOT): string {
  return `${JSON.stringify({ pid, start, boot, nonce: 'earlier-run' })}\n`;
}

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'cloudplane-lock-'));
}

/** A PID no process has: one that ran and exited. */
function deadPid(): number {
  const pid = spawnSync('true').pid;
  assert.ok(pid > 0);
  return pid;
}

/** Writes a filler file until the file system answers ENOSPC. */
function fillDisk(mountPoint: string): void {
  const fd = openSync(join(mountPoint, 'filler'), 'w');
  try {
    const chunk = Buffer.alloc(4096, 1);
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if (!(err instanceof Error && 'code' in err && err.code === 'ENOSPC')) throw err;
  } finally {
    closeSync(fd);
  }
}

/** Only the lock itself: no draft or takeover marker left behind. */
function assertNoLitter(dir: string): void {
  assert.deepEqual(
    readdirSync(dir).filter((name) => name.startsWith('serve.lock.')),
    [],
  );
}

describe('data directory lock', () => {
  it('refuses a directory whose owner runs, takes over one left by a crash, and unlocks', () => {
    const dir = freshDir();
    const lock = join(dir, 'serve.lock');
    const sleeper = spawn('sleep', ['30']);
    try {
      const pid = sleeper.pid ?? 0;
      writeFileSync(lock, owner(pid, startTicksOf(pid)));
      assert.throws(() => lockDataDir(dir), /another cloudplane serve \(pid \d+\) is using/);
      assertNoLitter(dir);

      writeFileSync(lock, owner(deadPid(), '12345'));
      const unlock = lockDataDir(dir);
      const held = LockFile.parse(JSON.parse(readFileSync(lock, 'utf8')));
      assert.equal(held.pid, process.pid);
      assert.equal(held.start, startTicksOf(process.pid));
      assert.equal(held.boot, BOOT);
      assert.throws(() => lockDataDir(dir), /another cloudplane serve/, 'the holder is alive');
      assertNoLitter(dir);
      unlock();
      assert.equal(existsSync(lock), false);
    } finally {
      sleeper.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is not fooled by a reused PID, its own PID included (PID 1 in a container)', () => {
    const dir = freshDir();
    const lock = join(dir, 'serve.lock');
    const sleeper = spawn('sleep', ['30']);
    try {
      const pid = sleeper.pid ?? 0;
      const start = startTicksOf(pid);
      assert.ok(start !== null, 'the test needs /proc');
      const takeOver = (content: string, why: string, writtenAt?: Date) => {
        writeFileSync(lock, content);
        if (writtenAt) utimesSync(lock, writtenAt, writtenAt);
        const unlock = lockDataDir(dir);
        assert.equal(LockFile.parse(JSON.parse(readFileSync(lock, 'utf8'))).pid, process.pid, why);
        unlock();
      };
      takeOver(owner(pid, String(Number(start) - 1)), 'a live process started at another time');
      takeOver(owner(process.pid, '1'), 'an earlier run under this very PID');
      takeOver(`${process.pid}\n`, 'an earlier version’s PID-only lock naming this PID');
      takeOver(owner(pid, start, 'another-boot'), 'a lock from before a reboot');

      takeOver(
        `${pid}\n`,
        'an earlier version’s PID-only lock naming a process younger than the lock',
        new Date(Date.now() - 3_600_000),
      );
      // The same lock, written after the process started, may be its own.
      writeFileSync(lock, `${pid}\n`);
      assert.throws(
        () => lockDataDir(dir),
        new RegExp(`another cloudplane serve \\(pid ${pid}\\)`),
      );
      assertNoLitter(dir);
    } finally {
      sleeper.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves no file behind when the disk is full (needs root: mounts a small tmpfs)', () => {
    assert.equal(process.getuid?.(), 0, 'this test mounts a tmpfs and needs root');
    const mountPoint = freshDir();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]);
    try {
      const dir = join(mountPoint, 'data');
      mkdirSync(dir);
      fillDisk(mountPoint);
      assert.throws(() => lockDataDir(dir), /ENOSPC/);
      assert.deepEqual(readdirSync(dir), [], 'no draft, no lock');
    } finally {
      execFileSync('umount', [mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    }
  });

  describe('with many processes starting at the same moment', () => {
    const TAKERS = 20;
    const ROUNDS = 30;
    const Message = z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('ready') }),
      z.object({ kind: z.literal('released') }),
      z.object({ kind: z.literal('result'), won: z.boolean(), error: z.string().optional() }),
    ]);
    type Message = z.infer<typeof Message>;
    const takers: ChildProcess[] = [];
    const next = (child: ChildProcess): Promise<Message> =>
      new Promise((resolve, reject) => {
        const onMessage = (raw: unknown) => {
          child.off('exit', onExit);
          resolve(Message.parse(raw));
        };
        const onExit = (code: number | null) => {
          child.off('message', onMessage);
          reject(new Error(`a taker exited (${String(code)})`));
        };
        child.once('message', onMessage);
        child.once('exit', onExit);
      });

    before(async () => {
      const script = join(import.meta.dirname, 'fixtures', 'lock-taker.ts');
      for (let i = 0; i < TAKERS; i++) {
        takers.push(fork(script, { execArgv: ['--import', 'tsx'], stdio: 'inherit' }));
      }
      await Promise.all(takers.map(next));
    });
    after(() => {
      for (const child of takers) child.kill();
    });

    it('lets exactly one win, every round, whatever the stale lock looks like', async () => {
      const stale = [
        () => owner(deadPid(), '777'), // crashed
        () => owner(process.pid, '1'), // PID reused by a live process
        () => `${deadPid()}\n`, // an earlier version's lock
        () => undefined, // no lock at all: a plain race
      ];
      for (let round = 0; round < ROUNDS; round++) {
        const dir = freshDir();
        try {
          const content = stale[round % stale.length]?.();
          if (content !== undefined) writeFileSync(join(dir, 'serve.lock'), content);
          const at = Date.now() + 100;
          const results = await Promise.all(
            takers.map((child) => {
              const answer = next(child);
              child.send({ kind: 'take', dir, at });
              return answer;
            }),
          );
          const winners = results.filter((r) => r.kind === 'result' && r.won);
          assert.equal(winners.length, 1, `round ${round}: ${winners.length} winners`);
          for (const result of results) {
            if (result.kind === 'result' && !result.won) {
              assert.match(result.error ?? '', /another cloudplane serve/, `round ${round}`);
            }
          }
          const holder = LockFile.parse(JSON.parse(readFileSync(join(dir, 'serve.lock'), 'utf8')));
          const winner = takers[results.findIndex((r) => r.kind === 'result' && r.won)];
          assert.equal(holder.pid, winner?.pid, 'the lock names the winner');
          assertNoLitter(dir);
          await Promise.all(
            takers.map((child) => {
              const answer = next(child);
              child.send({ kind: 'release' });
              return answer;
            }),
          );
          assert.equal(existsSync(join(dir, 'serve.lock')), false, 'the winner unlocked');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    });
  });
});
