import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { generateSshKeyPair } from '@cloudplane/sdk';
import { SshEndpoint, findIdentity, knownHostsFile, sshArgs } from '../src/ssh-command.js';

describe('instances ssh: the ssh command line', () => {
  it('puts port, identity, pinned known hosts and the destination before extra arguments', () => {
    assert.deepEqual(
      sshArgs({
        endpoint: { user: 'ubuntu', host: '10.0.0.7', port: 2222 },
        identity: '/home/me/.ssh/id_ed25519',
        knownHosts: knownHostsFile('/state/cloudplane'),
        extra: ['-L', '8888:localhost:8888', 'nvidia-smi'],
      }),
      [
        '-p',
        '2222',
        '-i',
        '/home/me/.ssh/id_ed25519',
        '-o',
        'UserKnownHostsFile=/state/cloudplane/known_hosts',
        '-o',
        'StrictHostKeyChecking=accept-new',
        '-o',
        'IdentitiesOnly=yes',
        'ubuntu@10.0.0.7',
        '-L',
        '8888:localhost:8888',
        'nvidia-smi',
      ],
    );
  });

  it('ends with the destination when there is nothing extra', () => {
    const args = sshArgs({
      endpoint: { user: 'root', host: 'gpu-1.example.net', port: 22 },
      identity: 'k',
      knownHosts: 'kh',
    });
    assert.equal(args.at(-1), 'root@gpu-1.example.net');
    assert.equal(args.length, 11);
  });

  it('refuses an address that ssh would read as an option or that is not an address', () => {
    assert.equal(
      SshEndpoint.safeParse({ user: 'u', host: '-oProxyCommand=x', port: 22 }).success,
      false,
    );
    assert.equal(SshEndpoint.safeParse({ user: '-l', host: 'h', port: 22 }).success, false);
    assert.equal(SshEndpoint.safeParse({ user: 'u', host: 'a b', port: 22 }).success, false);
    assert.equal(SshEndpoint.safeParse({ user: 'u', host: 'h', port: 0 }).success, false);
    assert.equal(
      SshEndpoint.safeParse({ user: 'ubuntu', host: 'fd00::7', port: 22 }).success,
      true,
    );
  });
});

describe('instances ssh: the default identity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cloudplane-ssh-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const mine = generateSshKeyPair('me@laptop');
  const other = generateSshKeyPair('other');
  const lonely = generateSshKeyPair('no private half');
  writeFileSync(join(dir, 'id_other'), other.privateKey);
  writeFileSync(join(dir, 'id_other.pub'), other.publicKey);
  writeFileSync(join(dir, 'work_ed25519'), mine.privateKey);
  writeFileSync(join(dir, 'work_ed25519.pub'), `${mine.publicKey}\n`);
  writeFileSync(join(dir, 'lonely.pub'), lonely.publicKey);
  writeFileSync(join(dir, 'garbage.pub'), 'not a key at all\n');
  writeFileSync(join(dir, 'known_hosts'), 'x');

  it('is the private key beside the .pub whose fingerprint the instance has', async () => {
    assert.equal(await findIdentity(dir, new Set([mine.fingerprint])), join(dir, 'work_ed25519'));
  });

  it('is null when no key matches, when only the public half exists, or without a directory', async () => {
    assert.equal(await findIdentity(dir, new Set(['SHA256:nothing'])), null);
    assert.equal(await findIdentity(dir, new Set([lonely.fingerprint])), null);
    assert.equal(await findIdentity(join(dir, 'missing'), new Set([mine.fingerprint])), null);
  });
});
