import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import ssh2 from 'ssh2';
import { provider } from '@cloudplane/provider-devcloud';
import {
  generateSshKeyPair,
  waitForStatus,
  type CloudClient,
  type Instance,
} from '@cloudplane/sdk';
import {
  createNetnsBackend,
  startDevcloud,
  type Devcloud,
  type NetnsBackend,
} from '../src/index.js';
import { FAST } from './helpers.js';

/** The netns backend end to end, through the server and the adapter, on real namespaces (root). */

function ssh(instance: Instance, privateKey: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = new ssh2.Client();
    conn
      .on('ready', () => {
        conn.exec(command, (err, stream) => {
          if (err) {
            reject(err);
            return;
          }
          let out = '';
          stream.on('data', (d: Buffer) => (out += d.toString()));
          stream.on('close', () => {
            conn.end();
            resolve(out);
          });
          stream.stderr.resume();
        });
      })
      .on('error', reject)
      .connect({
        host: instance.publicIp ?? '',
        port: instance.sshPort,
        username: instance.sshUser,
        privateKey,
        readyTimeout: 10_000,
      });
  });
}

function reach(host: string, port: number): Promise<'open' | 'blocked'> {
  return new Promise((resolve) => {
    const s = createConnection({ host, port, timeout: 2000 });
    s.once('connect', () => {
      s.destroy();
      resolve('open');
    });
    s.once('timeout', () => {
      s.destroy();
      resolve('blocked');
    });
    s.once('error', () => {
      resolve('blocked');
    });
  });
}

describe('devcloud netns backend', () => {
  let cloud: Devcloud;
  let backend: NetnsBackend;
  let client: CloudClient;
  const keys = generateSshKeyPair('alice');

  before(async () => {
    backend = await createNetnsBackend();
    cloud = await startDevcloud({ backend, timings: FAST });
    client = provider.makeClient({
      credential: { apiKey: cloud.apiKey, baseUrl: cloud.url, defects: [] },
      cloudCredRefId: 'cred-n',
    });
  });
  after(async () => {
    await cloud.close();
    assert.deepEqual(
      await backend.leftovers(),
      [],
      'no namespace, veth, bridge or process is left',
    );
  });

  it('launches a real machine: the launch key logs in, the firewall acts, stop stops, terminate removes', async () => {
    const [type] = (await client.getInstanceTypes()).filter((t) => t.stoppable);
    assert.ok(type);
    const created = await client.createInstance({
      refId: 'netns-1',
      publicKey: keys.publicKey,
      location: type.location,
      ...(type.subLocation ? { subLocation: type.subLocation } : {}),
      instanceType: type.type,
      firewallRules: {
        ingress: [{ protocol: 'tcp', fromPort: 8080, toPort: 8080, cidrs: ['0.0.0.0/0'] }],
        egress: [],
      },
    });
    const get = () => client.getInstance(created.cloudId);
    const running = await waitForStatus(get, 'running', { timeoutMs: 30_000, intervalMs: 100 });
    assert.ok(running?.publicIp);
    assert.equal((await ssh(running, keys.privateKey, 'id -un')).trim(), running.sshUser);
    await assert.rejects(
      ssh(running, generateSshKeyPair().privateKey, 'true'),
      /authentication/i,
      'any other key is refused',
    );

    await ssh(
      running,
      keys.privateKey,
      // Waits until both listen: on a loaded machine python takes more than a second to start.
      '(python3 -m http.server 8080) </dev/null >/dev/null 2>&1 & (python3 -m http.server 8081) </dev/null >/dev/null 2>&1 & ' +
        'for i in $(seq 100); do ss -ltn | grep -q ":8080 " && ss -ltn | grep -q ":8081 " && break; sleep 0.1; done',
    );
    assert.equal(await reach(running.publicIp, 8080), 'open');
    assert.equal(await reach(running.publicIp, 8081), 'blocked');

    await client.stopStart?.stopInstance(created.cloudId);
    await waitForStatus(get, 'stopped', { timeoutMs: 30_000, intervalMs: 100 });
    assert.equal(await reach(running.publicIp, 22), 'blocked', 'a stopped machine runs nothing');
    await client.stopStart?.startInstance(created.cloudId);
    const again = await waitForStatus(get, 'running', { timeoutMs: 30_000, intervalMs: 100 });
    assert.ok(again);
    assert.equal((await ssh(again, keys.privateKey, 'echo back')).trim(), 'back');

    await client.terminateInstance(created.cloudId);
    await waitForStatus(get, 'terminated', {
      timeoutMs: 30_000,
      intervalMs: 100,
      notFoundIsTerminated: true,
    });
    const left = (await backend.leftovers()).filter((l) => !l.includes(backend.bridge));
    assert.deepEqual(left, [], 'the terminated machine left nothing behind');
  });
});
