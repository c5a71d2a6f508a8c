import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One `cloudplane serve` per data directory: the embedded database is a single-process engine,
 * and two writers would corrupt it. The lock file holds the owner's PID; a lock whose process is
 * gone (a crash) is taken over.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'serve.lock');
  try {
    writeFileSync(path, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
  } catch {
    const owner = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new Error(
        `another cloudplane serve (pid ${owner}) is using ${dir}; stop it, or pass another --data-dir`,
      );
    }
    writeFileSync(path, `${process.pid}\n`, { mode: 0o600 });
  }
  return () => {
    rmSync(path, { force: true });
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
