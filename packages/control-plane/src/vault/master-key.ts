import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The vault's master key: 32 bytes from CLOUDPLANE_MASTER_KEY (base64), or from a key file that is
 * created with mode 0600 on first start. A key file readable by others is refused: it would let
 * any local user decrypt every credential.
 */

export const MASTER_KEY_ENV = 'CLOUDPLANE_MASTER_KEY';
export const MASTER_KEY_BYTES = 32;

export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

function decode(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== MASTER_KEY_BYTES || key.toString('base64') !== text.trim()) {
    throw new MasterKeyError(
      `${where} must be ${MASTER_KEY_BYTES} bytes in base64 (44 characters); generate one with: openssl rand -base64 32`,
    );
  }
  return key;
}

export function loadMasterKey(options: { env?: NodeJS.ProcessEnv; keyFile: string }): Buffer {
  const fromEnv = (options.env ?? process.env)[MASTER_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return decode(fromEnv, MASTER_KEY_ENV);
  if (!existsSync(options.keyFile)) {
    mkdirSync(dirname(options.keyFile), { recursive: true, mode: 0o700 });
    writeFileSync(options.keyFile, `${randomBytes(MASTER_KEY_BYTES).toString('base64')}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
    chmodSync(options.keyFile, 0o600);
  }
  const mode = statSync(options.keyFile).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new MasterKeyError(
      `${options.keyFile} is readable by others (mode ${mode.toString(8)}); run: chmod 600 ${options.keyFile}`,
    );
  }
  return decode(readFileSync(options.keyFile, 'utf8'), options.keyFile);
}
