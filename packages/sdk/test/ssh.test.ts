import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { generateSshKeyPair, parsePublicKey } from '../src/index.js';

describe('SSH keys', () => {
  it('generates an ed25519 pair whose public line parses back with the same fingerprint', () => {
    const pair = generateSshKeyPair('alice@cloudplane');
    assert.match(
      pair.publicKey,
      /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]+=* alice@cloudplane$/,
    );
    const parsed = parsePublicKey(pair.publicKey);
    assert.equal(parsed.fingerprint, pair.fingerprint);
    assert.equal(parsed.comment, 'alice@cloudplane');
  });

  it('writes a private key that ssh2 loads and that matches the public key', () => {
    const pair = generateSshKeyPair();
    const key = ssh2.utils.parseKey(pair.privateKey);
    if (key instanceof Error) throw key;
    assert.equal(key.type, 'ssh-ed25519');
    assert.equal(key.getPublicSSH().toString('base64'), pair.publicKey.split(' ')[1]);
  });

  it('agrees with ssh-keygen on the fingerprint and the key format', () => {
    const which = spawnSync('which', ['ssh-keygen']);
    assert.equal(which.status, 0, 'ssh-keygen is missing: apt-get install openssh-client');
    const dir = mkdtempSync(join(tmpdir(), 'cp-ssh-'));
    try {
      const pair = generateSshKeyPair();
      writeFileSync(join(dir, 'k.pub'), `${pair.publicKey}\n`);
      writeFileSync(join(dir, 'k'), pair.privateKey, { mode: 0o600 });
      const fp = spawnSync('ssh-keygen', ['-lf', join(dir, 'k.pub')], { encoding: 'utf8' });
      assert.ok(fp.stdout.includes(pair.fingerprint), fp.stdout);
      const derived = spawnSync('ssh-keygen', ['-y', '-f', join(dir, 'k')], { encoding: 'utf8' });
      assert.equal(
        derived.stdout.trim().split(' ').slice(0, 2).join(' '),
        pair.publicKey.split(' ').slice(0, 2).join(' '),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains what is wrong with a bad public key', () => {
    assert.throws(() => parsePublicKey('ssh-ed25519'), /looks like/);
    assert.throws(() => parsePublicKey('ssh-dss AAAA'), /DSA keys \(ssh-dss\) are refused/);
    assert.throws(() => parsePublicKey('ssh-foo AAAA'), /unsupported SSH key type "ssh-foo"/);
    const pair = generateSshKeyPair();
    const [, data] = pair.publicKey.split(' ');
    assert.throws(() => parsePublicKey(`ssh-rsa ${data ?? ''}`), /says "ssh-ed25519"/);
    assert.throws(
      () => parsePublicKey(`ssh-ed25519 ${(data ?? '').slice(0, 40)}`),
      /truncated|base64/,
    );
  });
});
