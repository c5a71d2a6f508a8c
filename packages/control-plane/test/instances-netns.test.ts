import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import ssh2 from 'ssh2';
import { z } from 'zod';
import { createNetnsBackend, type NetnsBackend } from '@cloudplane/devcloud';
import {
  addKey,
  addUser,
  admin,
  anOffer,
  cloudInstances,
  json,
  launch,
  waitForState,
  type Caller,
  type InstanceBody,
} from './helpers/instances.js';
import { startPlane, type Plane } from './helpers/plane.js';

/**
 * End to end on real machines (devcloud's netns backend: a network namespace with its own sshd
 * per instance; needs root): launch through the API, log in over SSH with the launching user's
 * key while another user's key is refused, stop and start, terminate; nothing is left behind.
 */

const run = promisify(execFile);

function ssh(
  target: NonNullable<InstanceBody['ssh']>,
  privateKey: string,
  command: string,
): Promise<string> {
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
        host: target.host,
        port: target.port,
        username: target.user,
        privateKey,
        readyTimeout: 10_000,
      });
  });
}

async function namespaces(): Promise<string[]> {
  const { stdout } = await run('ip', ['netns', 'list']);
  return stdout.split('\n').filter((l) => l.trim() !== '');
}

describe('instances on real machines (netns)', () => {
  let backend: NetnsBackend;
  let plane: Plane;
  let root: Caller;
  let before_: string[];

  before(async () => {
    before_ = await namespaces();
    backend = await createNetnsBackend();
    plane = await startPlane(undefined, undefined, {
      devcloud: {
        backend,
        timings: { bootStepMs: 100, stopMs: 100, startMs: 100, terminateMs: 100 },
      },
    });
    root = admin(plane);
  });
  after(async () => {
    await plane.close();
    assert.deepEqual(await backend.leftovers(), [], 'no namespace, veth or process is left');
    assert.deepEqual(await namespaces(), before_);
  });

  it('reaches the launching user only, through stop, start and terminate', async () => {
    const offerId = await anOffer(plane, '&gpuCount=1');
    const alice = await addUser(plane, 'alice');
    const bob = await addUser(plane, 'bob');
    const aliceKey = await addKey(alice, 'alice-laptop');
    const bobKey = await addKey(bob, 'bob-laptop');
    const made = z
      .object({ id: z.string(), refId: z.string() })
      .parse(
        await json(
          await launch(alice, { offerId, name: 'gpu-box', sshKeyIds: [aliceKey.id] }),
          202,
        ),
      );
    const up = await waitForState(plane, alice, made.id, 'running');
    assert.ok(up.ssh, 'a running machine says how to reach it');
    assert.equal((await ssh(up.ssh, aliceKey.pair.privateKey, 'id -un')).trim(), up.ssh.user);
    await assert.rejects(
      ssh(up.ssh, bobKey.pair.privateKey, 'true'),
      /authentication/i,
      "another user's key is refused",
    );

    if (up.actions.includes('stop')) {
      await json(await alice.call(`/v1/instances/${made.id}/stop`, { method: 'POST' }), 202);
      await waitForState(plane, alice, made.id, 'stopped');
      await json(await alice.call(`/v1/instances/${made.id}/start`, { method: 'POST' }), 202);
      const again = await waitForState(plane, alice, made.id, 'running');
      assert.ok(again.ssh);
      assert.equal((await ssh(again.ssh, aliceKey.pair.privateKey, 'echo back')).trim(), 'back');
    } else {
      assert.fail('the offer picked should be stoppable');
    }

    await json(await alice.call(`/v1/instances/${made.id}/terminate`, { method: 'POST' }), 202);
    await waitForState(plane, alice, made.id, 'terminated');
    const truth = await cloudInstances(plane, made.refId);
    assert.ok(truth.every((i) => i.status === 'terminated'));
    const live = z
      .object({ instances: z.array(z.object({ state: z.string() })) })
      .parse(await json(await root.call('/v1/instances'), 200))
      .instances.filter((i) => i.state !== 'terminated');
    assert.deepEqual(live, [], 'no live row is left');
  });
});
