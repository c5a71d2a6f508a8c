import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A throw-away PostgreSQL cluster from the Debian package: initdb into a temporary directory,
 * started on a free loopback port, stopped by the postmaster's PID. As root, the cluster runs as
 * the `postgres` user (initdb refuses root). A missing server is an error, never a skip: CI
 * installs the `postgresql` package.
 */

const run = promisify(execFile);

export interface ThrowawayPostgres {
  readonly url: string;
  stop(): Promise<void>;
  /** Stops the server, keeping its data, as a restart or an outage would. */
  pause(): Promise<void>;
  /** Starts it again, on the same port with the same data. */
  resume(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))[0]
    : undefined;
  if (version === undefined) {
    throw new Error(
      'PostgreSQL server binaries not found under /usr/lib/postgresql; install them: apt-get install -y postgresql',
    );
  }
  return join(root, version, 'bin');
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

const asRoot = process.getuid?.() === 0;

async function asPostgres(command: string, args: string[]): Promise<void> {
  if (asRoot) await run('runuser', ['-u', 'postgres', '--', command, ...args]);
  else await run(command, args);
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'cloudplane-pg-'));
  const data = join(dir, 'data');
  if (asRoot) chownSync(dir, Number(await idOf('-u')), Number(await idOf('-g')));
  const port = await freePort();
  await asPostgres(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  const start = async () => {
    await asPostgres(join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
      'start',
    ]);
    return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  };
  /** The postmaster's PID while it runs (a paused cluster has none to signal). */
  let pid: number | undefined = await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async pause() {
      await asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      pid = undefined;
    },
    async resume() {
      pid = await start();
    },
    async stop() {
      if (pid !== undefined) await endPostmaster(pid);
      rmSync(dir, { recursive: true, force: true, maxRetries: 10 });
    },
  };
}

/**
 * Immediate shutdown (SIGQUIT). A loaded machine can take a while to end the backends, and files
 * they write meanwhile would make the removal of the data fail, and with it the test file: wait,
 * then insist.
 */
async function endPostmaster(pid: number): Promise<void> {
  for (const signal of ['SIGQUIT', 'SIGKILL'] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // gone already
    }
    for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    if (!alive(pid)) return;
  }
}

async function idOf(flag: '-u' | '-g'): Promise<string> {
  return (await run('id', [flag, 'postgres'])).stdout.trim();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
