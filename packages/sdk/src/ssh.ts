import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * SSH keys belong to users: each user has an ed25519 key pair, the public half goes into
 * CreateInstanceAttrs.publicKey, the private half stays with the control plane (sealed). These
 * helpers produce and read the OpenSSH formats without any native dependency.
 */

export interface SshKeyPair {
  /** `ssh-ed25519 AAAA... comment` */
  readonly publicKey: string;
  /** `-----BEGIN OPENSSH PRIVATE KEY-----` ..., unencrypted (the caller seals it at rest). */
  readonly privateKey: string;
  /** `SHA256:...` as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
}

export interface ParsedPublicKey {
  readonly type: string;
  /** The key blob (SSH wire format). */
  readonly blob: Buffer;
  readonly comment: string;
  readonly fingerprint: string;
}

const KEY_TYPES = new Set([
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
]);

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** `SHA256:<base64 without padding>` of a key blob, like OpenSSH prints. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Parses one OpenSSH public key line; throws a message that says what is wrong. */
export function parsePublicKey(line: string): ParsedPublicKey {
  const parts = line.trim().split(/\s+/);
  const [type, data, ...comment] = parts;
  if (type === undefined || data === undefined) {
    throw new RangeError(
      'an SSH public key looks like "ssh-ed25519 AAAA... comment"; got one word',
    );
  }
  if (!KEY_TYPES.has(type)) {
    throw new RangeError(`unsupported SSH key type "${type}" (use ssh-ed25519)`);
  }
  if (!/^[A-Za-z0-9+/]+=*$/.test(data)) throw new RangeError('the SSH key data is not base64');
  const blob = Buffer.from(data, 'base64');
  const typeLen = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  const embedded = typeLen > 0 ? blob.subarray(4, 4 + typeLen).toString() : '';
  if (embedded !== type) {
    throw new RangeError(`the SSH key data says "${embedded}" but the line says "${type}"`);
  }
  if (type === 'ssh-ed25519' && blob.length !== 4 + 11 + 4 + 32) {
    throw new RangeError(
      'an ssh-ed25519 key must hold 32 key bytes; this one is truncated or padded',
    );
  }
  return { type, blob, comment: comment.join(' '), fingerprint: fingerprintOf(blob) };
}

/** Generates an ed25519 key pair in OpenSSH formats. */
export function generateSshKeyPair(comment = 'cloudplane'): SshKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
  const blob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  return {
    publicKey: `ssh-ed25519 ${blob.toString('base64')} ${comment}`,
    privateKey: opensshPrivateKey(blob, pub, seed, comment),
    fingerprint: fingerprintOf(blob),
  };
}

/** The unencrypted `openssh-key-v1` container (PROTOCOL.key in OpenSSH's sources). */
function opensshPrivateKey(blob: Buffer, pub: Buffer, seed: Buffer, comment: string): string {
  const check = randomBytes(4);
  let secret = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const pad: number[] = [];
  for (let i = 1; (secret.length + pad.length) % 8 !== 0; i++) pad.push(i);
  secret = Buffer.concat([secret, Buffer.from(pad)]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(blob),
    sshString(secret),
  ]);
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return [
    '-----BEGIN OPENSSH PRIVATE KEY-----',
    ...lines,
    '-----END OPENSSH PRIVATE KEY-----',
    '',
  ].join('\n');
}
