import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createNetnsBackend, type NetnsBackend } from '@cloudplane/devcloud';
import { generateSshKeyPair } from '@cloudplane/sdk';
import {
  addKey,
  runCli as cli,
  startTestPlane,
  waitForOffer,
  type TestPlaneOnDevcloud,
} from './helpers/cli.js';

/**
 * `cloudplane instances ssh` with the real OpenSSH client against a real machine (devcloud's
 * netns backend: a namespace with its own sshd; root): the user's key from ~/.ssh logs in, the
 * host key is pinned in cloudplane's known_hosts on first contact, and a changed host key is
 * refused.
 */

describe('cloudplane instances ssh on a real machine (netns)', () => {
  let backend: NetnsBackend;
  let stack: TestPlaneOnDevcloud;
  const home = mkdtempSync(join(tmpdir(), 'cloudplane-home-'));
  const keys = generateSshKeyPair('me@laptop');
  let env: NodeJS.ProcessEnv;

  before(async () => {
    backend = await createNetnsBackend();
    stack = await startTestPlane({
      devcloud: { backend, catalogSize: 10, timings: { bootStepMs: 100 } },
    });
    mkdirSync(join(home, '.ssh'), { mode: 0o700 });
    writeFileSync(join(home, '.ssh', 'id_ed25519'), keys.privateKey, { mode: 0o600 });
    writeFileSync(join(home, '.ssh', 'id_ed25519.pub'), `${keys.publicKey}\n`);
    env = { HOME: home, XDG_STATE_HOME: join(home, '.local', 'state'), ...stack.env };
  });
  after(async () => {
    await stack.close();
    assert.deepEqual(await backend.leftovers(), [], 'no namespace, veth or process is left');
    rmSync(home, { recursive: true, force: true });
  });

  it('logs in with the key from ~/.ssh and pins the host key', async () => {
    await addKey(env, 'laptop', join(home, '.ssh', 'id_ed25519.pub'));
    const offerId = await waitForOffer(stack.plane.url, stack.token);
    assert.ok(offerId, 'an offer');
    const launched = await cli(env, [
      'instances',
      'launch',
      '--offer',
      offerId,
      '--name',
      'box',
      '--key',
      'laptop',
      '--wait',
      '--timeout',
      '2m',
    ]);
    assert.equal(launched.code, 0, launched.stderr);

    const first = await cli(env, ['instances', 'ssh', 'box', '--', 'id', '-un']);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.trim(), 'root');
    const knownHosts = join(home, '.local', 'state', 'cloudplane', 'known_hosts');
    const pinned = readFileSync(knownHosts, 'utf8');
    assert.equal(pinned.trim().split('\n').length, 1, 'one host key pinned on first contact');

    const again = await cli(env, ['instances', 'ssh', 'box', '--', 'echo', 'again']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.trim(), 'again');

    // Another key for the same address: ssh must refuse to talk to it.
    const [host, type] = pinned.trim().split(' ');
    const impostor = generateSshKeyPair().publicKey.split(' ')[1] ?? '';
    writeFileSync(
      knownHosts,
      `${host ?? ''} ${type === 'ssh-ed25519' ? type : 'ssh-ed25519'} ${impostor}\n`,
    );
    const refused = await cli(env, ['instances', 'ssh', 'box', '--', 'true']);
    assert.notEqual(refused.code, 0, 'a changed host key is refused');
    assert.match(refused.stderr, /host key|HOST IDENTIFICATION/i);

    const ended = await cli(env, ['instances', 'terminate', 'box', '--wait', '--timeout', '2m']);
    assert.equal(ended.code, 0, ended.stderr);
  });
});
