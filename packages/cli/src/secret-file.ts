import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Writes a secret to `path` readable by its owner only, also when the file existed with a looser
 * mode or is a symlink: the text goes into a new 0600 file beside it, which then takes the
 * path's place, so it is never in a file others may read.
 */
export function writeSecretFile(path: string, text: string): void {
  const draft = `${path}.${String(process.pid)}-${randomBytes(6).toString('hex')}.draft`;
  try {
    writeFileSync(draft, text, { mode: 0o600, flag: 'wx' });
    renameSync(draft, path);
  } finally {
    rmSync(draft, { force: true });
  }
}
