import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Writes a secret to `path` so that no file others may read ever holds it: a regular file (or
 * the one a symlink leads to) is replaced by a new 0600 file written beside it, whatever mode
 * the old one had. A path that leads to a stream (`/dev/stdout` on a terminal or a pipe, a FIFO
 * from `>(...)`) is written through, as a stream has no mode; one with no reader yet is refused
 * rather than waited on.
 */
export function writeSecretFile(path: string, text: string): void {
  const fd = openExisting(path);
  if (fd === null) {
    replaceWith(path, text);
    return;
  }
  try {
    if (!fstatSync(fd).isFile()) {
      writeSync(fd, text);
      return;
    }
  } finally {
    closeSync(fd);
  }
  // The file itself is replaced, not a symlink to it (which could be /dev/stdout redirected).
  replaceWith(realpathSync(path), text);
}

/** The path opened for writing, without creating or emptying it; null when nothing is there. */
function openExisting(path: string): number | null {
  try {
    return openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? err.code : undefined;
    if (code === 'ENOENT') return null;
    if (code === 'ENXIO')
      throw new Error(`${path} is a pipe with no reader: start its reader first`);
    if (code === 'EISDIR') throw new Error(`${path} is a directory: give a file's path`);
    throw err;
  }
}

function replaceWith(path: string, text: string): void {
  const draft = join(
    dirname(path),
    `.${String(process.pid)}-${randomBytes(6).toString('hex')}.secret-draft`,
  );
  try {
    writeFileSync(draft, text, { mode: 0o600, flag: 'wx' });
    renameSync(draft, path);
  } finally {
    rmSync(draft, { force: true });
  }
}
