import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';

/**
 * Writes a secret to `path` readable by its owner only, also when the file existed with a looser
 * mode or is a symlink to one: the text goes into a new 0600 file beside it, which then takes
 * the path's place, so it is never in a file others may read. A path that leads to no regular
 * file (`/dev/stdout`, a pipe from `>(...)`) is written through, as a stream has no mode.
 */
export function writeSecretFile(path: string, text: string): void {
  if (leadsToStream(path)) {
    writeFileSync(path, text);
    return;
  }
  const draft = `${path}.${String(process.pid)}-${randomBytes(6).toString('hex')}.draft`;
  try {
    writeFileSync(draft, text, { mode: 0o600, flag: 'wx' });
    renameSync(draft, path);
  } finally {
    rmSync(draft, { force: true });
  }
}

function leadsToStream(path: string): boolean {
  try {
    const target = statSync(path);
    return !target.isFile() && !target.isDirectory();
  } catch {
    return false; // nothing there yet, or a dangling link: make the file
  }
}
