import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import {
  VirtualBackend,
  setFaults,
  type MachineAddress,
  type MachineSpec,
} from '@cloudplane/devcloud';
import {
  addKey,
  runCli,
  startCli,
  startTestPlane,
  waitForOffer,
  type TestPlaneOnDevcloud,
} from './helpers/cli.js';

/**
 * `cloudplane instances`, as processes against a real control plane on a devcloud: launch and
 * wait, list, get, stop/start/reboot/terminate with --wait, events (--follow over SSE), and ssh
 * (the system `ssh` replaced by a script that records its arguments).
 */

const run = promisify(execFile);

/** Machines that "boot" at once and claim an SSH address (nothing listens there). */
class AddressedBackend extends VirtualBackend {
  override start(spec: MachineSpec): Promise<MachineAddress> {
    return Promise.resolve({
      publicIp: '127.0.0.1',
      privateIp: null,
      sshPort: 2222,
      sshUser: spec.sshUser,
    });
  }
}

interface Json {
  id: string;
  name: string;
  state: string;
  pendingAction: string | null;
  tags: Record<string, string>;
  ssh: { user: string; host: string; port: number } | null;
}

describe('cloudplane instances', () => {
  const home = mkdtempSync(join(tmpdir(), 'cloudplane-instances-'));
  let stack: TestPlaneOnDevcloud;
  let env: NodeJS.ProcessEnv;
  let offer: string;
  const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli({ ...env, ...extra }, args);
  /** `instances launch` of the offer as NAME with KEY, then MORE. */
  const launch = (name: string, more: string[] = [], key = 'laptop') => [
    'instances',
    'launch',
    '--offer',
    offer,
    '--name',
    name,
    '--key',
    key,
    ...more,
  ];

  before(async () => {
    stack = await startTestPlane({
      devcloud: { catalogSize: 10, timings: { bootStepMs: 50 }, backend: new AddressedBackend() },
    });
    offer = await waitForOffer(stack.plane.url, stack.token);
    // A home with an ssh-keygen key, a state dir for known_hosts, and an `ssh` that records.
    mkdirSync(join(home, '.ssh'), { mode: 0o700 });
    await run('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-f',
      join(home, '.ssh', 'id_ed25519'),
    ]);
    mkdirSync(join(home, 'bin'));
    writeFileSync(
      join(home, 'bin', 'ssh'),
      `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(home, 'ssh-args')}"\nexit 7\n`,
    );
    chmodSync(join(home, 'bin', 'ssh'), 0o755);
    env = {
      ...stack.env,
      HOME: home,
      CLOUDPLANE_DATA_DIR: join(home, 'state'),
      PATH: `${join(home, 'bin')}:${process.env.PATH ?? ''}`,
    };
    await addKey(env, 'laptop', join(home, '.ssh', 'id_ed25519.pub'));
  });

  after(async () => {
    await stack.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('launches and waits, lists, gets, ssh-es, stops, starts, reboots, follows events, terminates', async () => {
    const train = launch('train-1', [
      '--tag',
      'team=vision',
      '--idempotency-key',
      'launch-train-1',
    ]);
    const launched = await cli([...train, '--wait', '--timeout', '60s', '--json']);
    assert.equal(launched.code, 0, launched.stderr);
    const instance = JSON.parse(launched.stdout) as Json;
    assert.equal(instance.state, 'running');
    assert.equal(instance.pendingAction, null);
    assert.deepEqual(instance.tags, { team: 'vision' });
    assert.deepEqual(instance.ssh, { user: 'ubuntu', host: '127.0.0.1', port: 2222 });
    assert.match(launched.stderr, /^train-1: pending\n/);
    assert.match(launched.stderr, /-> running/);

    // The same idempotency key answers the same instance and launches nothing.
    const again = await cli([...train, '--json']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as Json).id, instance.id);

    const listed = await cli(['instances', 'list']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^ID +NAME +STATE +PROVIDER +REGION +TYPE +GPU +PRICE\/H +SSH\n/);
    assert.match(
      listed.stdout,
      new RegExp(`${instance.id} +train-1 +running +devcloud .* ubuntu@127\\.0\\.0\\.1:2222\\n`),
    );

    const got = await cli(['instances', 'get', 'train-1']);
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stdout, new RegExp(`^id: +${instance.id}\\n`));
    assert.match(got.stdout, /\nstate: +running\n/);
    assert.match(got.stdout, /\ntags: +team=vision\n/);

    // ssh: the key found by fingerprint in ~/.ssh, cloudplane's known_hosts, ssh's exit code.
    const ssh = await cli([
      'instances',
      'ssh',
      'train-1',
      '--',
      '-L',
      '8888:localhost:8888',
      'nvidia-smi',
    ]);
    assert.equal(ssh.code, 7, ssh.stderr);
    assert.deepEqual(readFileSync(join(home, 'ssh-args'), 'utf8').trim().split('\n'), [
      '-p',
      '2222',
      '-i',
      join(home, '.ssh', 'id_ed25519'),
      '-o',
      `UserKnownHostsFile=${join(home, 'state', 'known_hosts')}`,
      '-o',
      'StrictHostKeyChecking=accept-new',
      '-o',
      'IdentitiesOnly=yes',
      'ubuntu@127.0.0.1',
      '-L',
      '8888:localhost:8888',
      'nvidia-smi',
    ]);
    rmSync(join(home, '.ssh', 'id_ed25519'));
    const noKey = await cli(['instances', 'ssh', instance.id]);
    assert.equal(noKey.code, 1);
    assert.match(
      noKey.stderr,
      /none of the private keys in .*\.ssh matches laptop \(SHA256:\S+\); pass --identity FILE/,
    );
    const explicit = await cli(['instances', 'ssh', instance.id, '-i', join(home, 'elsewhere')]);
    assert.equal(explicit.code, 7, explicit.stderr);
    assert.ok(
      readFileSync(join(home, 'ssh-args'), 'utf8').includes(`\n${join(home, 'elsewhere')}\n`),
    );

    const stopped = await cli(['instances', 'stop', 'train-1', '--wait']);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal(
      stopped.stdout,
      `stop requested for train-1 (${instance.id})\ntrain-1 is stopped\n`,
    );
    assert.match(stopped.stderr, /-> stopped/);

    const unreachable = await cli(['instances', 'ssh', 'train-1']);
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /train-1 has no SSH address yet \(it is stopped\)/);

    const busy = await cli(['instances', 'stop', 'train-1']);
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /cloudplane instances: instance\/invalid-state/);

    const started = await cli(['instances', 'start', 'train-1', '--wait', '--json']);
    assert.equal(started.code, 0, started.stderr);
    assert.equal((JSON.parse(started.stdout) as Json).state, 'running');

    const rebooted = await cli(['instances', 'reboot', 'train-1', '--wait']);
    assert.equal(rebooted.code, 0, rebooted.stderr);
    assert.match(rebooted.stdout, /train-1 is running\n$/);

    // Follow the events while it is terminated; the follower ends with the instance.
    const follower = startCli(env, ['instances', 'events', 'train-1', '--follow', '--json']);
    await new Promise((r) => setTimeout(r, 4000));
    const terminated = await cli([
      'instances',
      'terminate',
      'train-1',
      '--wait',
      '--timeout',
      '60s',
    ]);
    assert.equal(terminated.code, 0, terminated.stderr);
    assert.match(terminated.stdout, /train-1 is terminated\n$/);
    const timer = setTimeout(() => follower.child.kill('SIGTERM'), 30_000);
    const followed = await follower.done;
    clearTimeout(timer);
    assert.equal(followed.code, 0, `${followed.stderr}\n${followed.stdout}`);
    const events = followed.stdout
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as { id: number; kind: string; to: string | null; instanceId: string },
      );
    assert.ok(events.every((e) => e.instanceId === instance.id));
    assert.deepEqual(
      events.map((e) => e.id),
      [...new Set(events.map((e) => e.id))].sort((a, b) => a - b),
      'each event once, in order',
    );
    assert.equal(events[0]?.kind, 'requested', 'the history comes first');
    assert.ok(events.some((e) => e.kind === 'state' && e.to === 'stopped'));
    assert.ok(
      events.some((e) => e.to === 'terminated'),
      'the stream brought the terminate',
    );

    const history = await cli(['instances', 'events', instance.id]);
    assert.equal(history.code, 0, history.stderr);
    assert.match(history.stdout, /requested +terminate requested by admin\n/);
    // A state line as the syncer saw it (it may catch `stopping`, or only `stopped`).
    assert.match(history.stdout, /state +running -> stopp(ing|ed) /);

    const live = await cli(['instances', 'list', '--json']);
    assert.deepEqual(JSON.parse(live.stdout), [], 'terminated instances are hidden');
    const all = await cli(['instances', 'list', '--all', '--json']);
    assert.deepEqual(
      (JSON.parse(all.stdout) as Json[]).map((i) => [i.name, i.state]),
      [['train-1', 'terminated']],
    );
  });

  it("fails --wait with the instance's last error, and on timeout", async () => {
    const early = await cli(launch('quick', ['--wait', '--timeout', '1ms']));
    assert.equal(early.code, 1);
    assert.match(
      early.stderr,
      /timed out after 1ms waiting for quick to be running; it is pending \(create pending\)/,
    );
    const ended = await cli(['instances', 'terminate', 'quick', '--wait', '--timeout', '60s']);
    assert.equal(ended.code, 0, ended.stderr);

    await setFaults(stack.cloud, { outOfCapacity: true });
    try {
      const full = await cli(launch('no-room', ['--wait', '--timeout', '60s']));
      assert.equal(full.code, 1, full.stderr);
      assert.match(
        full.stderr,
        /cloudplane instances: no-room failed, not running: INSUFFICIENT_CAPACITY: /,
      );
    } finally {
      await setFaults(stack.cloud, {});
    }
    // Capacity memory now marks that offer unavailable for 15 minutes: go on with another.
    const marked = offer;
    offer = await waitForOffer(stack.plane.url, stack.token);
    assert.notEqual(offer, marked);

    const invalid = await cli(launch('Bad_Name'));
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /--name: an instance name is 1-63/);
    const noKey = await cli(launch('x', [], 'desktop'));
    assert.equal(noKey.code, 1);
    assert.match(noKey.stderr, /you have no SSH key with id or name "desktop" \(yours: laptop\)/);
  });

  it('falls back to polling when the event stream cannot be opened', async () => {
    // A proxy that forwards everything but GET /v1/events, which it answers 404.
    const target = new URL(stack.plane.url);
    const proxy: Server = createServer((req, res) => {
      if (req.url?.startsWith('/v1/events') === true) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"route/not-found","message":"no such route"}}');
        return;
      }
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    try {
      const url = `http://127.0.0.1:${String((proxy.address() as AddressInfo).port)}`;
      const launched = await cli(launch('polled', ['--wait', '--timeout', '60s']), {
        CLOUDPLANE_URL: url,
      });
      assert.equal(launched.code, 0, launched.stderr);
      assert.match(launched.stdout, /polled is running; ssh: ubuntu@127\.0\.0\.1:2222\n$/);
      const ended = await cli(['instances', 'terminate', 'polled', '--wait', '--timeout', '60s'], {
        CLOUDPLANE_URL: url,
      });
      assert.equal(ended.code, 0, ended.stderr);
      assert.match(ended.stderr, /-> terminated/);
    } finally {
      await new Promise((done) => proxy.close(done));
    }
  });
});
