import { createHash, randomBytes } from 'node:crypto';
import {
  linkSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * One `cloudplane serve` per data directory: the embedded database is a single-process engine,
 * and two writers would corrupt it.
 *
 * The lock file names its owner by PID, the process's start time (`/proc/<pid>/stat` field 22)
 * and the boot it belongs to, because a PID alone gets reused: in a container serve is PID 1 on
 * every start, so a lock left by kill -9 would otherwise name a live process (the new serve
 * itself) forever. Every file appears whole (a hard link or rename of a finished draft).
 *
 * Taking over a dead owner's lock is a compare-and-swap: only the taker that creates the
 * takeover marker for exactly that lock content (`serve.lock.takeover-<hash>-<n>`, created with
 * link, which fails if it exists) may replace it, and it replaces it only if the lock still
 * holds that content. A taker that died holding a marker is skipped by moving to the next `<n>`.
 */

const LOCK_NAME = 'serve.lock';
/** How long a start waits for another process's takeover to finish before giving up. */
const TAKEOVER_WAIT_MS = 5_000;
/** Linux's USER_HZ, the unit of /proc start times; fixed by the kernel ABI on every arch. */
const TICKS_PER_SECOND = 100;

const Owner = z.object({
  pid: z.number().int().positive(),
  /** Clock ticks after boot at which the process started; null where /proc is missing. */
  start: z.string().nullable(),
  /** The kernel's boot id: a lock from before a reboot is dead whatever its PID. */
  boot: z.string().nullable(),
  /** Tells this process's own locks apart, and makes every lock's content unique. */
  nonce: z.string(),
});
type Owner = z.infer<typeof Owner>;

/** Locks this process holds, by nonce: a lock naming our own PID is ours only if listed. */
const held = new Set<string>();

export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, LOCK_NAME);
  const me: Owner = {
    pid: process.pid,
    start: startTicksOf(process.pid),
    boot: bootId(),
    nonce: randomBytes(8).toString('hex'),
  };
  const mine = `${JSON.stringify(me)}\n`;
  const draft = `${path}.${me.pid}-${me.nonce}.draft`;
  try {
    writeFileSync(draft, mine, { mode: 0o600, flag: 'wx' });
    acquire(path, draft, dir);
  } finally {
    rmSync(draft, { force: true });
  }
  held.add(me.nonce);
  removeLitter(dir);
  return () => {
    held.delete(me.nonce);
    if (readIfExists(path) === mine) rmSync(path, { force: true });
  };
}

function acquire(path: string, draft: string, dir: string): void {
  const giveUpAt = Date.now() + TAKEOVER_WAIT_MS;
  for (;;) {
    if (Date.now() > giveUpAt) {
      throw new Error(
        `another cloudplane serve is taking over the lock of ${dir} and has not finished; try again, or pass another --data-dir`,
      );
    }
    try {
      linkSync(draft, path);
      return;
    } catch (err) {
      if (errnoOf(err) !== 'EEXIST') throw err;
    }
    const current = readIfExists(path);
    if (current === undefined) continue; // unlocked meanwhile
    const owner = parseOwner(current);
    if (owner && isAlive(owner, path)) {
      throw new Error(
        `another cloudplane serve (pid ${owner.pid}) is using ${dir}; stop it, or pass another --data-dir`,
      );
    }
    const outcome = takeOver(path, current, draft);
    if (outcome === 'taken') return;
    if (outcome === 'busy') sleepSync(10);
  }
}

/**
 * Replaces the dead lock `stale` with ours, unless another taker is at it ('busy') or the lock
 * is no longer `stale` ('changed'). Holding the marker for `stale`, no one else can replace it,
 * and a dead owner cannot unlock, so the check and the rename cannot be interleaved.
 */
function takeOver(path: string, stale: string, draft: string): 'taken' | 'busy' | 'changed' {
  const key = createHash('sha256').update(stale).digest('hex').slice(0, 16);
  let marker: string | undefined;
  for (let generation = 0; generation < 64 && marker === undefined; generation++) {
    const candidate = `${path}.takeover-${key}-${String(generation)}`;
    try {
      linkSync(draft, candidate);
      marker = candidate;
    } catch (err) {
      if (errnoOf(err) !== 'EEXIST') throw err;
      const holder = readIfExists(candidate);
      if (holder === undefined) return 'changed'; // its taker finished: look again
      const owner = parseOwner(holder);
      if (owner && isAlive(owner, candidate)) return 'busy';
    }
  }
  if (marker === undefined) return 'busy';
  try {
    if (readIfExists(path) !== stale) return 'changed';
    renameSync(draft, path);
    return 'taken';
  } finally {
    rmSync(marker, { force: true });
  }
}

/**
 * Drafts and takeover markers that dead processes left behind. Safe only while holding the lock:
 * the lock no longer holds any content a marker was made for, so no taker will act on one.
 */
function removeLitter(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(`${LOCK_NAME}.`)) continue;
    const file = join(dir, name);
    const content = readIfExists(file);
    if (content === undefined) continue;
    const owner = parseOwner(content);
    if (owner ? isAlive(owner, file) : !isOld(file)) continue;
    rmSync(file, { force: true });
  }
}

/** Our JSON form, or the PID-only form earlier versions wrote; null for anything else. */
function parseOwner(content: string): Owner | null {
  const legacy = /^(\d+)\n?$/.exec(content);
  if (legacy) {
    const pid = Number(legacy[1]);
    return pid > 0 ? { pid, start: null, boot: null, nonce: '' } : null;
  }
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return null;
  }
  const parsed = Owner.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** Whether the process that wrote `file` as `owner` still runs. */
function isAlive(owner: Owner, file: string): boolean {
  // Only one process has our PID at a time (in our PID namespace), so a file naming it is ours
  // from this run, or else from an earlier run that had the same PID (PID 1 in a container).
  if (owner.pid === process.pid) return held.has(owner.nonce);
  const boot = bootId();
  if (owner.boot !== null && boot !== null && owner.boot !== boot) return false;
  if (!pidExists(owner.pid)) return false;
  const start = startTicksOf(owner.pid);
  if (start === null) return true; // no /proc: the PID is all there is to go by
  if (owner.start !== null) return start === owner.start;
  // A PID-only lock from an earlier version: a process younger than the file is not its owner.
  const startedAt = startedAtMs(start);
  const writtenAt = mtimeMs(file);
  return startedAt === null || writtenAt === null || startedAt <= writtenAt + 1_000;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoOf(err) === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat; null without /proc or for a process that is gone. */
export function startTicksOf(pid: number): string | null {
  const stat = readProc(`/proc/${String(pid)}/stat`);
  if (stat === undefined) return null;
  // Field 2 is the command in parentheses and may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[22 - 3];
  return start !== undefined && /^\d+$/.test(start) ? start : null;
}

function bootId(): string | null {
  return readProc('/proc/sys/kernel/random/boot_id')?.trim() ?? null;
}

/** Wall-clock start of a process from its start ticks and the boot time in /proc/stat. */
function startedAtMs(startTicks: string): number | null {
  const btime = /^btime (\d+)$/m.exec(readProc('/proc/stat') ?? '');
  if (!btime) return null;
  return Number(btime[1]) * 1000 + (Number(startTicks) / TICKS_PER_SECOND) * 1000;
}

/** An unreadable file younger than this may be a draft still being written. */
const UNREADABLE_GRACE_MS = 60_000;

function isOld(file: string): boolean {
  const at = mtimeMs(file);
  return at !== null && Date.now() - at > UNREADABLE_GRACE_MS;
}

function mtimeMs(file: string): number | null {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/** /proc may be missing (macOS), hidden (hidepid) or racing a process's exit: all "unknown". */
function readProc(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function errnoOf(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
