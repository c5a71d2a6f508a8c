import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Sealing provider credentials at rest: AES-256-GCM with a key derived (HKDF-SHA256) from the
 * master key per key version, the record's id as additional authenticated data (so a sealed blob
 * copied onto another record does not open), and a version byte in front (so keys can rotate).
 *
 * Layout: version (1 byte) | nonce (12) | tag (16) | ciphertext.
 */

export const CURRENT_KEY_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class VaultError extends Error {
  override readonly name = 'VaultError';
}

export class Vault {
  private readonly keys = new Map<number, Buffer>();

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new VaultError('the master key must be 32 bytes');
    this.keys.set(CURRENT_KEY_VERSION, derive(masterKey, CURRENT_KEY_VERSION));
  }

  /** Seals a JSON value for the record `recordId`. */
  seal(recordId: string, value: unknown): Buffer {
    const key = this.keyFor(CURRENT_KEY_VERSION);
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.from(recordId, 'utf8'));
    const ciphertext = Buffer.concat([
      cipher.update(JSON.stringify(value), 'utf8'),
      cipher.final(),
    ]);
    return Buffer.concat([
      Buffer.from([CURRENT_KEY_VERSION]),
      nonce,
      cipher.getAuthTag(),
      ciphertext,
    ]);
  }

  /** Opens what `seal` produced for the same record; any tampering or wrong key throws. */
  open(recordId: string, sealed: Buffer): unknown {
    if (sealed.length < 1 + NONCE_BYTES + TAG_BYTES)
      throw new VaultError(`sealed credential ${recordId} is truncated`);
    const version = sealed.readUInt8(0);
    const key = this.keyFor(version);
    const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
    const tag = sealed.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(Buffer.from(recordId, 'utf8'));
    decipher.setAuthTag(tag);
    let plaintext: string;
    try {
      plaintext = Buffer.concat([
        decipher.update(sealed.subarray(1 + NONCE_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new VaultError(
        `credential ${recordId} cannot be opened: wrong master key (CLOUDPLANE_MASTER_KEY or the key file) or the record was altered`,
      );
    }
    return JSON.parse(plaintext) as unknown;
  }

  private keyFor(version: number): Buffer {
    const key = this.keys.get(version);
    if (!key)
      throw new VaultError(
        `credential sealed with key version ${version}, which this build does not know`,
      );
    return key;
  }
}

function derive(masterKey: Buffer, version: number): Buffer {
  return Buffer.from(
    hkdfSync('sha256', masterKey, Buffer.alloc(0), `cloudplane credential vault v${version}`, 32),
  );
}
