import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One `cloudplane serve` per data directory: the embedded database is a single-process engine,
 * and two writers would corrupt it. The lock file holds the owner's PID and appears whole (a
 * hard link of a finished file, which fails if the lock exists), so no one reads it half
 * written. A lock whose process is gone (a crash) is taken over.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'serve.lock');
  const mine = `${process.pid}\n`;
  const draft = `${path}.${process.pid}`;
  writeFileSync(draft, mine, { mode: 0o600 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(draft, path);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      }
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (isAlive(owner)) {
        throw new Error(
          `another cloudplane serve (pid ${owner}) is using ${dir}; stop it, or pass another --data-dir`,
        );
      }
      rmSync(path, { force: true }); // left by a crash
    }
  } finally {
    rmSync(draft, { force: true });
  }
  return () => {
    if (readFileSync(path, 'utf8') === mine) rmSync(path, { force: true });
  };
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
