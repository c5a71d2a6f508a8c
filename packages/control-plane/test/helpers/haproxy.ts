import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from './postgres.js';
import { until } from './until.js';

/**
 * `deploy/haproxy.cfg`, the documented TLS proxy, run as it ships (HAProxy from the `haproxy`
 * package) in front of one node, with a throw-away self-signed certificate for 127.0.0.1.
 */

export const HAPROXY_CONFIG = fileURLToPath(
  new URL('../../../../deploy/haproxy.cfg', import.meta.url),
);

export interface FrontProxy {
  /** https://127.0.0.1:<port> */
  readonly url: string;
  /** The certificate clients must trust, PEM, and the file that holds it. */
  readonly ca: string;
  readonly caFile: string;
  /** HAProxy's process, for its CPU time. */
  readonly pid: number;
  stop(): Promise<void>;
}

export interface ProxyResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One HTTPS request through the proxy, trusting only its certificate. */
export function proxyRequest(
  proxy: FrontProxy,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<ProxyResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${proxy.url}${path}`, {
      method: init.method ?? 'GET',
      headers: init.headers,
      ca: proxy.ca,
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        });
      });
    });
    req.end(init.body);
  });
}

export async function startFrontProxy(nodeUrl: string): Promise<FrontProxy> {
  const dir = await mkdtemp(join(tmpdir(), 'cloudplane-haproxy-'));
  try {
    const caFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      caFile,
    ]);
    const ca = await readFile(caFile, 'utf8');
    const pemFile = join(dir, 'proxy.pem');
    await writeFile(pemFile, ca + (await readFile(keyFile, 'utf8')));
    const port = await freePort();
    const child = spawn('haproxy', ['-db', '-f', HAPROXY_CONFIG], {
      env: {
        ...process.env,
        CLOUDPLANE_PROXY_BIND: `127.0.0.1:${String(port)}`,
        CLOUDPLANE_PROXY_PEM: pemFile,
        CLOUDPLANE_NODE: new URL(nodeUrl).host,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [spawnError] = await Promise.race([
      once(child, 'spawn').then(() => [null] as const),
      once(child, 'error') as Promise<[Error]>,
    ]);
    if (spawnError) {
      throw new Error(
        `could not start haproxy (${spawnError.message}); install it: apt-get install haproxy`,
      );
    }
    const exited = once(child, 'exit');
    const proxy: FrontProxy = {
      url: `https://127.0.0.1:${String(port)}`,
      ca,
      caFile,
      pid: child.pid ?? 0,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const killLater = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(killLater);
        }
        await rm(dir, { recursive: true, force: true });
      },
    };
    await untilReady(proxy, () =>
      child.exitCode === null && child.signalCode === null ? null : stderr,
    );
    return proxy;
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Until `/healthz` answers 200 through the proxy (it is listening and sees the node up). */
async function untilReady(proxy: FrontProxy, exitedWith: () => string | null): Promise<void> {
  let last = 0;
  try {
    await until(
      async () => {
        const exited = exitedWith();
        if (exited !== null) throw new Error(`haproxy exited: ${exited.trim()}`);
        last = await proxyRequest(proxy, '/healthz').then(
          (response) => response.status,
          () => 0,
        );
        return last === 200;
      },
      'haproxy to answer /healthz with 200',
      15_000,
    );
  } catch (err) {
    await proxy.stop();
    throw new Error(
      `${err instanceof Error ? err.message : String(err)} (last status ${String(last)})`,
    );
  }
}
