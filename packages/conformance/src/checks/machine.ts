import { createConnection } from 'node:net';
import { createHash } from 'node:crypto';
import ssh2 from 'ssh2';
import { CheckFailure, CheckSkip, expect, within } from '../outcome.js';
import type { RunState } from '../run-state.js';
import { addressOf } from './lifecycle.js';

/** Runs one command over SSH with the run's key; records the host key fingerprint. */
function sshExec(state: RunState, command: string): Promise<string> {
  const instance = state.created;
  const keys = state.keys;
  if (!instance || !keys) throw new CheckSkip('no instance');
  const host = addressOf(state);
  return new Promise((resolve, reject) => {
    const conn = new ssh2.Client();
    let output = '';
    conn
      .on('ready', () => {
        conn.exec(command, (err, stream) => {
          if (err) {
            conn.end();
            reject(err);
            return;
          }
          stream
            .on('data', (d: Buffer) => (output += d.toString()))
            .on('close', () => {
              conn.end();
              resolve(output);
            });
          stream.stderr.on('data', () => undefined);
        });
      })
      .on('error', reject)
      .connect({
        host,
        port: instance.sshPort,
        username: instance.sshUser,
        privateKey: keys.privateKey,
        readyTimeout: 20_000,
        hostVerifier: (key: Buffer) => {
          state.facts.hostKey = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
          return true;
        },
      });
  });
}

export async function ssh(state: RunState): Promise<void> {
  const instance = state.created;
  if (!instance) throw new CheckSkip('no instance');
  addressOf(state);
  let user: string;
  try {
    user = (await within(sshExec(state, 'id -un'), state.timeouts.sshMs, 'SSH login')).trim();
  } catch (err) {
    throw new CheckFailure(
      `SSH as ${instance.sshUser} on port ${instance.sshPort} with the launch key failed: ${err instanceof Error ? err.message : String(err)}`,
      'login with CreateInstanceAttrs.publicKey',
      'refused',
    );
  }
  expect(user === instance.sshUser, 'SSH logged in as another user', instance.sshUser, user);
}

/** Connects to host:port; 'open' when a connection is accepted. */
function probe(
  host: string,
  port: number,
  timeoutMs = 3000,
): Promise<'open' | 'refused' | 'timeout'> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      resolve(err.code === 'ECONNREFUSED' ? 'refused' : 'timeout');
    });
  });
}

/** Starts listeners on both ports inside the instance, so that only the firewall decides. */
async function ensureListeners(state: RunState): Promise<void> {
  if (state.facts.listeners === 'started') return;
  const ports = [state.allowedPort, state.blockedPort];
  const script = ports
    // Detached from the SSH channel (all three fds), or the channel stays open until they exit.
    .map(
      (p) => `(python3 -m http.server ${p} || busybox nc -lk -p ${p}) </dev/null >/dev/null 2>&1 &`,
    )
    .join(' ');
  // Waits (up to 10 s) until both listen: a slow machine takes over a second to start python.
  const listening = ports
    .map((p) => `(ss -ltn 2>/dev/null || netstat -ltn 2>/dev/null) | grep -q ':${p} '`)
    .join(' && ');
  const wait = `for i in $(seq 100); do ${listening} && break; sleep 0.1; done;`;
  try {
    await within(
      sshExec(state, `${script} ${wait} echo started`),
      state.timeouts.sshMs,
      'starting listeners over SSH',
    );
  } catch (err) {
    throw new CheckSkip(
      `cannot start listeners without SSH (see lifecycle.ssh): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  state.facts.listeners = 'started';
}

export async function allowedPortOpen(state: RunState): Promise<void> {
  if (state.provider.firewallAtCreate === 'unsupported')
    throw new CheckSkip('the provider does not apply firewall rules');
  const host = addressOf(state);
  await ensureListeners(state);
  const result = await probe(host, state.allowedPort);
  expect(result === 'open', `allowed port ${state.allowedPort} is not reachable`, 'open', result);
}

export async function otherPortClosed(state: RunState): Promise<void> {
  if (state.provider.firewallAtCreate === 'unsupported')
    throw new CheckSkip('the provider does not apply firewall rules');
  const host = addressOf(state);
  await ensureListeners(state);
  const result = await probe(host, state.blockedPort);
  expect(
    result !== 'open',
    `port ${state.blockedPort}, not in the rules, is reachable`,
    'blocked',
    result,
  );
}

/**
 * Docker publishes ports through FORWARD, past INPUT rules: a container published on a port the
 * rules do not allow must still be unreachable. Runs only where the image has a working Docker.
 */
export async function dockerPublishedPort(state: RunState): Promise<void> {
  if (state.provider.firewallAtCreate === 'unsupported')
    throw new CheckSkip('the provider does not apply firewall rules');
  const host = addressOf(state);
  let hasDocker: string;
  try {
    hasDocker = await within(
      sshExec(
        state,
        'command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 && echo yes || echo no',
      ),
      state.timeouts.sshMs,
      'looking for Docker over SSH',
    );
  } catch (err) {
    throw new CheckSkip(
      `cannot look for Docker without SSH (see lifecycle.ssh): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (hasDocker.trim() !== 'yes') throw new CheckSkip('Docker is not on the image');
  const port = state.blockedPort + 1;
  await within(
    sshExec(
      state,
      `docker run -d --rm --name cp-conformance-${state.runId} -p ${port}:80 busybox httpd -f -p 80 >/dev/null 2>&1; sleep 3; echo ok`,
    ),
    state.timeouts.sshMs,
    'publishing a container port',
  );
  try {
    const result = await probe(host, port);
    expect(
      result !== 'open',
      `Docker-published port ${port}, not in the rules, is reachable`,
      'blocked',
      result,
    );
  } finally {
    await sshExec(state, `docker rm -f cp-conformance-${state.runId} >/dev/null 2>&1; true`).catch(
      () => undefined,
    );
  }
}
