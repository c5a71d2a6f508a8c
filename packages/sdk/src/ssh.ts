import { createHash, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * SSH keys belong to users: each user has an ed25519 key pair, the public half goes into
 * CreateInstanceAttrs.publicKey, the private half stays with the control plane (sealed). Users may
 * also bring their own public keys, so parsePublicKey is the one gate for what the control plane
 * stores. These helpers produce and read the OpenSSH formats without any native dependency.
 */

export interface SshKeyPair {
  /** `ssh-ed25519 AAAA... comment` */
  readonly publicKey: string;
  /** `-----BEGIN OPENSSH PRIVATE KEY-----` ..., unencrypted (the caller seals it at rest). */
  readonly privateKey: string;
  /** `SHA256:...` as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
}

/** The key types a user may register; everything else is refused with a reason. */
export const SSH_KEY_TYPES = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
] as const;
export type SshKeyType = (typeof SSH_KEY_TYPES)[number];

/** RSA below this is refused: NIST SP 800-57 puts 2048-bit RSA at 112-bit security, end of life 2030. */
export const MIN_RSA_KEY_BITS = 3072;

export interface ParsedPublicKey {
  readonly type: SshKeyType;
  /** The key blob (SSH wire format). */
  readonly blob: Buffer;
  readonly comment: string;
  /** `SHA256:...` as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
  /** What `ssh-keygen -lf` prints first: ed25519 256; ECDSA 256, 384 or 521; RSA the modulus's bits. */
  readonly bits: number;
}

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

const GENERATE = 'generate one with `ssh-keygen -t ed25519`';
const COPY_WHOLE_LINE =
  'copy the whole line of your .pub file again (e.g. `cat ~/.ssh/id_ed25519.pub`)';
/** OpenSSH's own ceiling (SSHBUF_MAX_BIGNUM); also keeps the line short. */
const MAX_RSA_KEY_BITS = 16384;
/** A 16384-bit RSA line is about 2.8 KB; anything far longer is not one key. */
const MAX_LINE_CHARS = 16 * 1024;

const CURVES = {
  'ecdsa-sha2-nistp256': { name: 'nistp256', jwk: 'P-256', bits: 256, coordBytes: 32 },
  'ecdsa-sha2-nistp384': { name: 'nistp384', jwk: 'P-384', bits: 384, coordBytes: 48 },
  'ecdsa-sha2-nistp521': { name: 'nistp521', jwk: 'P-521', bits: 521, coordBytes: 66 },
} as const;

const KEY_TYPES = new Set<string>(SSH_KEY_TYPES);

function isKeyType(word: string): word is SshKeyType {
  return KEY_TYPES.has(word);
}

/**
 * Words from the input go into messages only when they cannot be anything but a short type
 * name: a message is logged and shown, and the input might be secret or hostile.
 */
function quoted(word: string): string | undefined {
  // Lower case only: a line of base64 (a wrapped private key's, say) nearly always has capitals.
  return word.length <= 64 && /^[a-z][a-z0-9-]*(@[a-z0-9.-]+)?$/.test(word)
    ? `"${word}"`
    : undefined;
}

function looksPrivate(input: string): boolean {
  return (
    input.includes('PRIVATE KEY-----') ||
    input.includes('PuTTY-User-Key-File') ||
    // "openssh-key-v1\0" in base64: the body of an OpenSSH private key without its armour.
    input.includes('b3BlbnNzaC1rZXktdjE')
  );
}

/** Why a recognisable but refused type is refused, and what to do instead. */
function refusedType(type: string): string {
  if (type === 'ssh-dss')
    return `DSA keys (ssh-dss) are refused: they are limited to 1024 bits and OpenSSH has dropped them; ${GENERATE}`;
  if (type.includes('-cert-v01@openssh.com'))
    return 'SSH certificates are refused: give the plain public key (the .pub file without -cert in its name)';
  if (type.startsWith('sk-'))
    return `security-key (FIDO) SSH keys are refused: not every machine's sshd accepts them; ${GENERATE}`;
  const shown = quoted(type);
  const accepted = `ssh-ed25519, ecdsa-sha2-nistp256/384/521, or ssh-rsa of at least ${MIN_RSA_KEY_BITS} bits`;
  return shown === undefined
    ? `the line does not start with an SSH key type (accepted: ${accepted}): give one line of your .pub file, or ${GENERATE}`
    : `unsupported SSH key type ${shown} (accepted: ${accepted}): ${GENERATE}`;
}

/** Reads SSH wire-format fields, refusing to run past the end. */
class BlobReader {
  private offset = 0;

  constructor(
    private readonly blob: Buffer,
    private readonly type: string,
  ) {}

  string(field: string): Buffer {
    const start = this.offset + 4;
    if (start > this.blob.length) throw this.truncated(field);
    const length = this.blob.readUInt32BE(this.offset);
    if (length > this.blob.length - start) throw this.truncated(field);
    this.offset = start + length;
    return this.blob.subarray(start, this.offset);
  }

  /** An unsigned mpint (RFC 4251 §5) in the minimal encoding, returned without its sign byte. */
  positiveMpint(field: string): Buffer {
    const bytes = this.string(field);
    const first = bytes[0];
    if (first === undefined) return bytes;
    if ((first & 0x80) !== 0)
      throw new RangeError(
        `the ${this.type} key data has a negative ${field}, so it is not a valid key: ${COPY_WHOLE_LINE}`,
      );
    const second = bytes[1];
    // ssh-keygen re-encodes numbers minimally, so a padded one would hash to another fingerprint.
    if (first === 0 && (second === undefined || (second & 0x80) === 0))
      throw new RangeError(
        `the ${this.type} key data encodes its ${field} with extra leading zero bytes (not OpenSSH's form): re-export it with \`ssh-keygen -y -f <private key file>\``,
      );
    return first === 0 ? bytes.subarray(1) : bytes;
  }

  end(): void {
    const extra = this.blob.length - this.offset;
    if (extra > 0)
      throw new RangeError(
        `the ${this.type} key data has ${extra} byte${extra === 1 ? '' : 's'} of trailing garbage after the key: it is corrupt or two keys were glued together; ${COPY_WHOLE_LINE}`,
      );
  }

  private truncated(field: string): RangeError {
    return new RangeError(
      `the ${this.type} key data ends before its ${field}: it is truncated; ${COPY_WHOLE_LINE}`,
    );
  }
}

function bitLength(magnitude: Buffer): number {
  const first = magnitude[0];
  if (first === undefined) return 0;
  return (magnitude.length - 1) * 8 + (32 - Math.clz32(first));
}

function isOdd(magnitude: Buffer): boolean {
  return ((magnitude[magnitude.length - 1] ?? 0) & 1) === 1;
}

/** Checks the fields after the type string and answers the key's size in bits. */
function checkKeyFields(type: SshKeyType, reader: BlobReader): number {
  switch (type) {
    case 'ssh-ed25519': {
      const key = reader.string('public key');
      if (key.length !== 32)
        throw new RangeError(
          `an ssh-ed25519 key must hold 32 key bytes; this one holds ${key.length}: it is truncated or padded; ${COPY_WHOLE_LINE}`,
        );
      reader.end();
      return 256;
    }
    case 'ssh-rsa': {
      const e = reader.positiveMpint('public exponent');
      const n = reader.positiveMpint('modulus');
      reader.end();
      if (!isOdd(e) || bitLength(e) < 2)
        throw new RangeError(
          `the ssh-rsa key's public exponent must be an odd number of at least 3; this key is not usable: ${GENERATE}`,
        );
      const bits = bitLength(n);
      if (bits < MIN_RSA_KEY_BITS)
        throw new RangeError(
          `RSA keys must have at least ${MIN_RSA_KEY_BITS} bits; this one has ${bits}: ${GENERATE}`,
        );
      if (bits > MAX_RSA_KEY_BITS)
        throw new RangeError(
          `RSA keys may have at most ${MAX_RSA_KEY_BITS} bits (OpenSSH's limit); this one has ${bits}: ${GENERATE}`,
        );
      if (!isOdd(n))
        throw new RangeError(
          `the ssh-rsa key's modulus is even, so it is not an RSA key: ${GENERATE}`,
        );
      return bits;
    }
    default: {
      const curve = CURVES[type];
      const named = reader.string('curve name').toString('latin1');
      if (named !== curve.name) {
        const shown = quoted(named);
        throw new RangeError(
          `the key data names the curve ${shown ?? '(unreadable)'} but the line says ${type}: the line was edited or pieced together; ${COPY_WHOLE_LINE}`,
        );
      }
      const point = reader.string('public point');
      reader.end();
      const want = 1 + 2 * curve.coordBytes;
      // OpenSSH accepts only uncompressed points (0x04 || X || Y).
      if (point.length !== want || point[0] !== 0x04)
        throw new RangeError(
          `an ${type} key's point must be ${want} bytes (uncompressed: 0x04, X, Y); this one is ${point.length} bytes${point.length === want ? ' but not uncompressed' : ''}: ${COPY_WHOLE_LINE}`,
        );
      try {
        createPublicKey({
          format: 'jwk',
          key: {
            kty: 'EC',
            crv: curve.jwk,
            x: point.subarray(1, 1 + curve.coordBytes).toString('base64url'),
            y: point.subarray(1 + curve.coordBytes).toString('base64url'),
          },
        });
      } catch {
        throw new RangeError(
          `the ${type} key's point is not on the ${curve.name} curve, so it is not a real key: ${COPY_WHOLE_LINE}`,
        );
      }
      return curve.bits;
    }
  }
}

/**
 * Parses one OpenSSH public key line (`<type> <base64> [comment]`, as in a .pub file). Accepts
 * ssh-ed25519, ecdsa-sha2-nistp256/384/521 and ssh-rsa of at least MIN_RSA_KEY_BITS bits;
 * anything else throws a RangeError saying what is wrong and what to do. Never throws anything
 * else, and never puts the key material of a pasted private key into a message.
 */
export function parsePublicKey(line: string): ParsedPublicKey {
  if (looksPrivate(line))
    throw new RangeError(
      'this is a private SSH key, not a public one: never paste or send it anywhere (treat it as exposed if you already did); give the matching .pub file instead, or print it with `ssh-keygen -y -f <private key file>`',
    );
  if (line.length > MAX_LINE_CHARS)
    throw new RangeError(
      `this is ${line.length} characters, far too long for one SSH public key line (even a ${MAX_RSA_KEY_BITS}-bit RSA key is under 3,000): give one line of your .pub file`,
    );
  const trimmed = line.trim();
  if (trimmed === '')
    throw new RangeError(
      'the SSH public key is empty: give one line of your .pub file, e.g. `cat ~/.ssh/id_ed25519.pub`',
    );
  if (trimmed.includes('BEGIN SSH2 PUBLIC KEY'))
    throw new RangeError(
      'this is an SSH2 (RFC 4716) public key; convert it to the OpenSSH one-line format with `ssh-keygen -i -f <file>`',
    );
  if (/-----BEGIN (RSA |EC )?PUBLIC KEY-----/.test(trimmed))
    throw new RangeError(
      'this is a PEM public key; convert it to the OpenSSH one-line format with `ssh-keygen -i -m PKCS8 -f <file>`',
    );
  const lines = trimmed.split(/\r\n|[\r\n\u2028\u2029]/).length;
  if (lines > 1)
    throw new RangeError(
      `give exactly one SSH public key line; this input has ${lines} lines (from an authorized_keys file? register each key on its own)`,
    );

  const words = trimmed.split(/\s+/);
  const type = words[0] ?? '';
  const data = words[1];
  if (!isKeyType(type)) {
    if (words.slice(1).some((w) => isKeyType(w) || w === 'ssh-dss'))
      throw new RangeError(
        'the line starts with something before the key type (authorized_keys options like from="..."?): give only `<type> AAAA... [comment]` as in your .pub file',
      );
    if (type.startsWith('AAAA'))
      throw new RangeError(
        `the key type is missing: the line must start with it, e.g. "ssh-ed25519 AAAA..."; ${COPY_WHOLE_LINE}`,
      );
    throw new RangeError(refusedType(type));
  }
  if (data === undefined)
    throw new RangeError(
      `an SSH public key line looks like "ssh-ed25519 AAAA... comment"; this one has the type and no key data: ${COPY_WHOLE_LINE}`,
    );
  const comment = trimmed.slice(trimmed.indexOf(data, type.length) + data.length).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data))
    throw new RangeError(
      `the key data (the word after ${type}) is not base64: it has characters other than A-Z, a-z, 0-9, +, / and trailing =; ${COPY_WHOLE_LINE}`,
    );
  const blob = Buffer.from(data, 'base64');
  // Buffer.from skips what it cannot decode; re-encoding shows cut-off or glued-on characters.
  if (blob.toString('base64') !== data)
    throw new RangeError(
      `the key data is not complete base64 (wrong length or padding): it was cut off or has extra characters glued on; ${COPY_WHOLE_LINE}`,
    );
  // Shown in lists and logs; control characters could rewrite a terminal.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(comment))
    throw new RangeError(
      'the key comment (after the key data) contains control characters: remove them',
    );

  const reader = new BlobReader(blob, type);
  let embedded: string;
  try {
    embedded = reader.string('key type').toString('latin1');
  } catch {
    throw new RangeError(
      `the key data does not start with a key type, so it is not an SSH public key: ${COPY_WHOLE_LINE}`,
    );
  }
  if (embedded !== type) {
    const shown = quoted(embedded);
    throw new RangeError(
      shown === undefined
        ? `the key data is not a ${type} key (it does not name a key type): ${COPY_WHOLE_LINE}`
        : `the key data says ${shown} but the line says "${type}": the line was edited or pieced together; ${COPY_WHOLE_LINE}`,
    );
  }
  const bits = checkKeyFields(type, reader);
  return { type, blob, comment, fingerprint: fingerprintOf(blob), bits };
}

/** `parsePublicKey` as a zod schema, for request bodies: its RangeError becomes the issue. */
export const SshPublicKeySchema = z.string().transform((line, ctx): ParsedPublicKey => {
  try {
    return parsePublicKey(line);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message });
    return z.NEVER;
  }
});

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
