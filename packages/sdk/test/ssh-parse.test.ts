import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  fingerprintOf,
  MIN_RSA_KEY_BITS,
  parsePublicKey,
  SSH_KEY_TYPES,
  SshPublicKeySchema,
} from '../src/index.js';

/**
 * parsePublicKey against keys made by the real ssh-keygen: every accepted type must parse with
 * ssh-keygen's own fingerprint and size, every refused one must say why without echoing secrets.
 */

let dir = '';

function sshKeygen(...args: string[]): string {
  const run = spawnSync('ssh-keygen', args, { encoding: 'utf8' });
  if (run.error) throw new Error(`ssh-keygen is missing (apt-get install -y openssh-client)`);
  assert.equal(run.status, 0, `ssh-keygen ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

/** Makes a key pair in the temp dir; answers the path of the private key. */
function keygen(name: string, ...args: string[]): string {
  const path = join(dir, name);
  sshKeygen('-q', ...args, '-N', '', '-C', `${name}@test host`, '-f', path);
  return path;
}

const pub = (path: string) => readFileSync(`${path}.pub`, 'utf8');

/** `ssh-keygen -lf`: "<bits> SHA256:... comment (TYPE)". */
function keygenFingerprint(path: string): { bits: number; fingerprint: string } {
  const [bits, fingerprint] = sshKeygen('-lf', path).split(' ');
  assert.ok(bits !== undefined && fingerprint !== undefined);
  return { bits: Number(bits), fingerprint };
}

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

/** The fields of a real key's blob, to rebuild it with one thing wrong. */
function fields(line: string): Buffer[] {
  const blob = Buffer.from(line.split(' ')[1] ?? '', 'base64');
  const out: Buffer[] = [];
  for (let at = 0; at < blob.length;) {
    const length = blob.readUInt32BE(at);
    out.push(blob.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return out;
}

const lineOf = (type: string, blob: Buffer) => `${type} ${blob.toString('base64')} test`;

function refuses(line: string, message: RegExp): RangeError {
  let thrown: unknown;
  try {
    parsePublicKey(line);
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown instanceof RangeError, `expected a RangeError, got ${String(thrown)}`);
  assert.match(thrown.message, message);
  return thrown;
}

const ACCEPTED = [
  { name: 'ed25519', args: ['-t', 'ed25519'], type: 'ssh-ed25519', bits: 256 },
  { name: 'ecdsa256', args: ['-t', 'ecdsa', '-b', '256'], type: 'ecdsa-sha2-nistp256', bits: 256 },
  { name: 'ecdsa384', args: ['-t', 'ecdsa', '-b', '384'], type: 'ecdsa-sha2-nistp384', bits: 384 },
  { name: 'ecdsa521', args: ['-t', 'ecdsa', '-b', '521'], type: 'ecdsa-sha2-nistp521', bits: 521 },
  { name: 'rsa3072', args: ['-t', 'rsa', '-b', '3072'], type: 'ssh-rsa', bits: 3072 },
  { name: 'rsa4096', args: ['-t', 'rsa', '-b', '4096'], type: 'ssh-rsa', bits: 4096 },
] as const;

describe('parsePublicKey with keys from ssh-keygen', () => {
  const keys = new Map<string, string>();

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cp-ssh-parse-'));
    for (const k of ACCEPTED) keys.set(k.name, keygen(k.name, ...k.args));
    keys.set('rsa2048', keygen('rsa2048', '-t', 'rsa', '-b', '2048'));
    // The old PEM private-key format, which people still paste.
    keys.set('pem', keygen('pem', '-t', 'rsa', '-b', '3072', '-m', 'PEM'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const key = (name: string): string => {
    const path = keys.get(name);
    assert.ok(path !== undefined, name);
    return path;
  };

  for (const k of ACCEPTED) {
    it(`accepts ${k.type} (${k.bits} bits) with ssh-keygen's fingerprint and size`, () => {
      const parsed = parsePublicKey(pub(key(k.name)));
      const truth = keygenFingerprint(`${key(k.name)}.pub`);
      assert.equal(parsed.type, k.type);
      assert.equal(parsed.bits, k.bits);
      assert.equal(parsed.bits, truth.bits);
      assert.equal(parsed.fingerprint, truth.fingerprint);
      assert.equal(parsed.comment, `${k.name}@test host`, 'the comment keeps its spaces');
    });
  }

  it('covers every accepted type', () => {
    assert.deepEqual(new Set(ACCEPTED.map((k) => k.type)), new Set(SSH_KEY_TYPES));
  });

  it('takes surrounding whitespace, a CRLF ending, tabs between words, and no comment', () => {
    const [type, data] = pub(key('ed25519')).split(' ');
    const line = `${type ?? ''} ${data ?? ''}`;
    const expected = parsePublicKey(line).fingerprint;
    assert.equal(parsePublicKey(`  ${line} me\r\n`).fingerprint, expected);
    assert.equal(parsePublicKey(`${type ?? ''}\t${data ?? ''}\tme`).comment, 'me');
    assert.equal(parsePublicKey(line).comment, '');
  });

  it('refuses RSA below 3072 bits, saying how many it has and what to do', () => {
    refuses(
      pub(key('rsa2048')),
      /^RSA keys must have at least 3072 bits; this one has 2048: generate one with `ssh-keygen -t ed25519`$/,
    );
    assert.equal(MIN_RSA_KEY_BITS, 3072);
  });

  it('refuses DSA keys', () => {
    const made = spawnSync('ssh-keygen', ['-q', '-t', 'dsa', '-N', '', '-f', join(dir, 'dsa')]);
    // OpenSSH 10 cannot make DSA keys any more; then a hand-built blob stands in.
    const line =
      made.status === 0
        ? pub(join(dir, 'dsa'))
        : lineOf(
            'ssh-dss',
            Buffer.concat(
              ['ssh-dss', randomBytes(129), randomBytes(21), randomBytes(129)].map(sshString),
            ),
          );
    refuses(line, /DSA keys \(ssh-dss\) are refused.*ssh-keygen -t ed25519/);
  });

  it('refuses a pasted private key without echoing any of it', () => {
    const openssh = readFileSync(key('ed25519'), 'utf8');
    const pem = readFileSync(key('pem'), 'utf8');
    const body = openssh.split('\n')[1] ?? '';
    for (const secret of [openssh, pem, body, `ssh-ed25519 ${body}`]) {
      const err = refuses(secret, /this is a private SSH key, not a public one: never paste/);
      for (const part of secret.split(/\s+/).filter((p) => p.length > 8))
        assert.ok(!err.message.includes(part), 'no part of the private key is in the message');
    }
  });

  it('never echoes any single line of a private key file either', () => {
    for (const file of [key('ed25519'), key('rsa3072'), key('pem')]) {
      for (const line of readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.length > 8)) {
        const err = refuses(line, /./);
        assert.ok(!err.message.includes(line), 'the line is not in the message');
        assert.ok(!err.message.includes(line.slice(0, 16)), 'nor a piece of it');
      }
    }
  });

  it('refuses more than one line', () => {
    refuses(
      `${pub(key('ed25519'))}${pub(key('ecdsa256'))}`,
      /exactly one .* this input has 2 lines/,
    );
    refuses(`${pub(key('ed25519')).trim()}\rextra`, /this input has 2 lines/);
  });

  it('refuses other formats with the command that converts them', () => {
    const ssh2 = sshKeygen('-e', '-f', `${key('ed25519')}.pub`);
    refuses(ssh2, /SSH2 \(RFC 4716\).*ssh-keygen -i -f/);
    const pkcs8 = sshKeygen('-e', '-m', 'PKCS8', '-f', `${key('rsa3072')}.pub`);
    refuses(pkcs8, /PEM public key.*ssh-keygen -i -m PKCS8/);
  });

  it('refuses certificates, security keys, options in front and a missing type', () => {
    sshKeygen('-q', '-s', key('ed25519'), '-I', 'test', '-n', 'ubuntu', `${key('ecdsa256')}.pub`);
    refuses(readFileSync(`${key('ecdsa256')}-cert.pub`, 'utf8'), /certificates are refused/);
    refuses('sk-ssh-ed25519@openssh.com AAAA', /security-key \(FIDO\)/);
    refuses(`from="10.0.0.0/8" ${pub(key('ed25519'))}`, /something before the key type/);
    refuses(pub(key('ed25519')).split(' ').slice(1).join(' '), /key type is missing/);
    refuses('\u001b[31mhello there', /does not start with an SSH key type/);
  });

  it('refuses key data that is not the declared type', () => {
    const [, data] = pub(key('ecdsa256')).split(' ');
    refuses(
      `ecdsa-sha2-nistp384 ${data ?? ''}`,
      /the key data says "ecdsa-sha2-nistp256" but the line says "ecdsa-sha2-nistp384"/,
    );
    refuses(
      `ssh-ed25519 ${Buffer.from('not a key at all').toString('base64')}`,
      /not a ssh-ed25519 key|does not start with a key type/,
    );
    refuses(
      `ssh-rsa ${Buffer.from([0, 0, 0, 200]).toString('base64')}`,
      /does not start with a key type/,
    );
  });

  it('refuses ECDSA whose curve inside the blob differs from the type, or whose point is wrong', () => {
    const [type, , point] = fields(pub(key('ecdsa256')));
    assert.ok(type && point);
    refuses(
      lineOf('ecdsa-sha2-nistp256', Buffer.concat([type, 'nistp384', point].map(sshString))),
      /names the curve "nistp384" but the line says ecdsa-sha2-nistp256/,
    );
    const rebuilt = (p: Buffer) =>
      lineOf('ecdsa-sha2-nistp256', Buffer.concat([type, 'nistp256', p].map(sshString)));
    refuses(rebuilt(point.subarray(0, 64)), /point must be 65 bytes .* this one is 64 bytes/);
    refuses(rebuilt(Buffer.concat([point, Buffer.from([1])])), /this one is 66 bytes/);
    const compressed = Buffer.concat([Buffer.from([2]), point.subarray(1, 33)]);
    refuses(rebuilt(compressed), /this one is 33 bytes/);
    const notUncompressed = Buffer.from(point);
    notUncompressed[0] = 0x06;
    refuses(rebuilt(notUncompressed), /65 bytes but not uncompressed/);
    const offCurve = Buffer.from(point);
    offCurve[64] = (offCurve[64] ?? 0) ^ 1;
    refuses(rebuilt(offCurve), /not on the nistp256 curve/);
    // The 384 curve's point in a 521 key: both the curve name and the length are wrong.
    const [, , point384] = fields(pub(key('ecdsa384')));
    assert.ok(point384);
    refuses(
      lineOf(
        'ecdsa-sha2-nistp521',
        Buffer.concat(['ecdsa-sha2-nistp521', 'nistp521', point384].map(sshString)),
      ),
      /must be 133 bytes/,
    );
  });

  it('refuses trailing garbage, truncation and non-canonical encodings', () => {
    const line = pub(key('ed25519'));
    const blob = Buffer.from(line.split(' ')[1] ?? '', 'base64');
    refuses(
      lineOf('ssh-ed25519', Buffer.concat([blob, Buffer.from([0, 0])])),
      /2 bytes of trailing garbage/,
    );
    refuses(lineOf('ssh-ed25519', blob.subarray(0, blob.length - 1)), /ends before its public key/);
    refuses(
      lineOf('ssh-ed25519', Buffer.concat(['ssh-ed25519', randomBytes(31)].map(sshString))),
      /must hold 32 key bytes; this one holds 31/,
    );
    const data = line.split(' ')[1] ?? '';
    refuses(`ssh-ed25519 ${data}AB`, /not complete base64/);
    const padded = pub(key('ecdsa256')).split(' ')[1] ?? '';
    assert.ok(padded.endsWith('='));
    refuses(`ecdsa-sha2-nistp256 ${padded.replace(/=+$/, '')}`, /not complete base64/);
    refuses(`ssh-ed25519 ${data}!!`, /is not base64/);
    const [type, e, n] = fields(pub(key('rsa3072')));
    assert.ok(type && e && n);
    const rsa = (...parts: Buffer[]) =>
      lineOf('ssh-rsa', Buffer.concat([type, ...parts].map(sshString)));
    refuses(rsa(Buffer.concat([Buffer.from([0]), e]), n), /extra leading zero bytes/);
    refuses(rsa(Buffer.from([0x81]), n), /negative public exponent/);
    refuses(rsa(Buffer.from([2]), n), /odd number of at least 3/);
    const even = Buffer.from(n);
    even[even.length - 1] = (even[even.length - 1] ?? 0) & 0xfe;
    refuses(rsa(e, even), /modulus is even/);
    refuses(rsa(e, n, Buffer.from('x')), /trailing garbage/);
  });

  it('refuses empty input, control characters in the comment, and absurd lengths', () => {
    refuses('', /is empty/);
    refuses(' \t ', /is empty/);
    refuses('ssh-ed25519', /looks like "ssh-ed25519 AAAA... comment"/);
    refuses(`${pub(key('ed25519')).trim()} \u001b]0;owned\u0007`, /control characters/);
    refuses(`ssh-ed25519 ${'A'.repeat(20_000)}`, /far too long/);
  });

  it('is a zod schema too, with the same messages', () => {
    const ok = SshPublicKeySchema.safeParse(pub(key('ed25519')));
    assert.ok(ok.success);
    assert.equal(ok.data.type, 'ssh-ed25519');
    const bad = SshPublicKeySchema.safeParse(pub(key('rsa2048')));
    assert.ok(!bad.success);
    assert.match(bad.error.issues[0]?.message ?? '', /at least 3072 bits; this one has 2048/);
    assert.ok(!SshPublicKeySchema.safeParse(42).success);
  });
});

describe('parsePublicKey on arbitrary input', () => {
  /** Answers normally or with a RangeError; anything else fails the property. */
  function total(line: string): void {
    try {
      const parsed = parsePublicKey(line);
      assert.equal(parsed.fingerprint, fingerprintOf(parsed.blob));
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      assert.ok(err.message.length > 0);
    }
  }

  it('throws nothing but RangeError for random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), total), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ maxLength: 300 }), total), { numRuns: 2000 });
  });

  it('throws nothing but RangeError for random blobs under every type name', () => {
    const blob = fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      // A valid-looking type string first, so the parser gets past the first field.
      fc
        .tuple(
          fc.constantFrom(...SSH_KEY_TYPES),
          fc.array(fc.uint8Array({ maxLength: 140 }), { maxLength: 4 }),
        )
        .map(
          ([type, rest]) =>
            new Uint8Array(
              Buffer.concat([type, ...rest.map((r) => Buffer.from(r))].map(sshString)),
            ),
        ),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...SSH_KEY_TYPES, 'ssh-dss'),
        blob,
        fc.string(),
        (type, b, comment) => {
          total(`${type} ${Buffer.from(b).toString('base64')} ${comment}`);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
