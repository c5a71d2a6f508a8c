import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { makeLogger, startControlPlane, type ControlPlane } from '@cloudplane/control-plane';
import {
  createNetnsBackend,
  startDevcloud,
  type Devcloud,
  type NetnsBackend,
} from '@cloudplane/devcloud';
import { generateSshKeyPair } from '@cloudplane/sdk';
import { fastProviders } from './helpers/fast-providers.js';
import { MAIN } from './helpers/serve-process.js';

/**
 * `cloudplane instances ssh` with the real OpenSSH client against a real machine (devcloud's
 * netns backend: a namespace with its own sshd; root): the user's key from ~/.ssh logs in, the
 * host key is pinned in cloudplane's known_hosts on first contact, and a changed host key is
 * refused.
 */

function cli(
  env: NodeJS.ProcessEnv,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

describe('cloudplane instances ssh on a real machine (netns)', () => {
  let backend: NetnsBackend;
  let cloud: Devcloud;
  let plane: ControlPlane;
  const home = mkdtempSync(join(tmpdir(), 'cloudplane-home-'));
  const keys = generateSshKeyPair('me@laptop');
  let env: NodeJS.ProcessEnv;

  before(async () => {
    backend = await createNetnsBackend();
    cloud = await startDevcloud({ backend, catalogSize: 10, timings: { bootStepMs: 100 } });
    plane = await startControlPlane({
      storage: { kind: 'pglite', dataDir: 'memory' },
      masterKey: randomBytes(32),
      logger: makeLogger({ level: 'silent' }),
      jobPollingIntervalSeconds: 0.5,
      providers: fastProviders(),
    });
    mkdirSync(join(home, '.ssh'), { mode: 0o700 });
    writeFileSync(join(home, '.ssh', 'id_ed25519'), keys.privateKey, { mode: 0o600 });
    writeFileSync(join(home, '.ssh', 'id_ed25519.pub'), `${keys.publicKey}\n`);
    env = {
      HOME: home,
      XDG_STATE_HOME: join(home, '.local', 'state'),
      CLOUDPLANE_URL: plane.url,
      CLOUDPLANE_TOKEN: plane.firstToken?.token ?? '',
    };
    const added = await fetch(`${plane.url}/v1/credentials`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${env.CLOUDPLANE_TOKEN ?? ''}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        provider: 'devcloud',
        name: 'dev',
        credential: { apiKey: cloud.apiKey, baseUrl: cloud.url },
      }),
    });
    assert.equal(added.status, 201);
  });
  after(async () => {
    await plane.close();
    await cloud.close();
    assert.deepEqual(await backend.leftovers(), [], 'no namespace, veth or process is left');
    rmSync(home, { recursive: true, force: true });
  });

  it('logs in with the key from ~/.ssh and pins the host key', async () => {
    const keyAdd = await cli(env, [
      'keys',
      'add',
      '--name',
      'laptop',
      join(home, '.ssh', 'id_ed25519.pub'),
    ]);
    assert.equal(keyAdd.code, 0, keyAdd.stderr);
    let offerId: string | undefined;
    for (let i = 0; i < 100 && offerId === undefined; i++) {
      const page = z.object({ offers: z.array(z.object({ id: z.string() })) }).parse(
        await (
          await fetch(`${plane.url}/v1/offers?available=true&limit=1`, {
            headers: { authorization: `Bearer ${env.CLOUDPLANE_TOKEN ?? ''}` },
          })
        ).json(),
      );
      offerId = page.offers[0]?.id;
      if (offerId === undefined) await new Promise((r) => setTimeout(r, 200));
    }
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
