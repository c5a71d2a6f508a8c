import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { publicKeyLine } from '../src/commands/keys.js';
import { runCli as cli, startTestPlane, type TestPlane } from './helpers/cli.js';

/** `cloudplane keys`, as processes against a real control plane, with keys from ssh-keygen. */

const run = promisify(execFile);

async function keygen(dir: string, name: string, type: string, bits?: number): Promise<string> {
  const path = join(dir, name);
  await run('ssh-keygen', [
    '-q',
    '-t',
    type,
    ...(bits === undefined ? [] : ['-b', String(bits)]),
    '-N',
    '',
    '-C',
    `${name}@test`,
    '-f',
    path,
  ]);
  return path;
}

async function fingerprint(path: string): Promise<string> {
  const { stdout } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', path]);
  return stdout.split(' ')[1] ?? '';
}

describe('cloudplane keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cloudplane-keys-'));
  let stack: TestPlane;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    stack = await startTestPlane();
    env = stack.env;
  });
  after(async () => {
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds keys from a file and from stdin, lists them with ssh-keygen fingerprints, removes by name', async () => {
    const ed = await keygen(dir, 'laptop', 'ed25519');
    const rsa = await keygen(dir, 'desktop', 'rsa', 3072);

    const added = await cli(env, ['keys', 'add', '--name', 'laptop', `${ed}.pub`, '--json']);
    assert.equal(added.code, 0, added.stderr);
    const laptop = JSON.parse(added.stdout) as { id: string; fingerprint: string; type: string };
    assert.equal(laptop.fingerprint, await fingerprint(`${ed}.pub`));
    assert.equal(laptop.type, 'ssh-ed25519');

    const piped = await cli(
      env,
      ['keys', 'add', '--name', 'desktop', '-'],
      readFileSync(`${rsa}.pub`, 'utf8'),
    );
    assert.equal(piped.code, 0, piped.stderr);
    assert.match(piped.stdout, /^added desktop \([\w-]+\) SHA256:\S+\n$/);

    const listed = await cli(env, ['keys', 'list']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^ID +NAME +TYPE +BITS +FINGERPRINT +CREATED\n/);
    assert.ok(listed.stdout.includes(await fingerprint(`${rsa}.pub`)));
    assert.match(listed.stdout, /desktop +ssh-rsa +3072 /);

    const again = await cli(env, ['keys', 'add', '--name', 'other', `${ed}.pub`]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /cloudplane keys: ssh-key\/duplicate/);

    const removed = await cli(env, ['keys', 'remove', 'laptop']);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(removed.stdout, `removed laptop (${laptop.id})\n`);
    const left = await cli(env, ['keys', 'list', '--json']);
    assert.deepEqual(
      (JSON.parse(left.stdout) as { name: string }[]).map((k) => k.name),
      ['desktop'],
    );
    const gone = await cli(env, ['keys', 'remove', 'laptop']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /no SSH key with id or name "laptop" \(yours: desktop\)/);
  });

  it('refuses a private key before sending it, and a weak RSA key, saying why', async () => {
    const ed = await keygen(dir, 'secret', 'ed25519');
    const sent = await cli(env, ['keys', 'add', '--name', 'oops', ed]);
    assert.equal(sent.code, 1);
    assert.match(sent.stderr, /this is a private key; pass the public one/);

    const weak = await keygen(dir, 'weak', 'rsa', 2048);
    const refused = await cli(env, ['keys', 'add', '--name', 'weak', `${weak}.pub`]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /RSA keys must have at least 3072 bits; this one has 2048/);

    const missing = await cli(env, ['keys', 'add', '--name', 'x', join(dir, 'nope.pub')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read .*nope\.pub/);
  });
});

describe('keys add: the public key line', () => {
  it('takes the one key line of a .pub file, comments and blank lines aside', () => {
    assert.equal(
      publicKeyLine(
        '# mine\n\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me\n',
      ),
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me',
    );
  });

  it('refuses two keys, none, and what is not a key', () => {
    const line = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    assert.throws(() => publicKeyLine(`${line}\n${line}\n`), /exactly one OpenSSH public key line/);
    assert.throws(() => publicKeyLine(''), /exactly one/);
    assert.throws(() => publicKeyLine('hello world'), /unsupported SSH key type "hello"/);
  });
});
