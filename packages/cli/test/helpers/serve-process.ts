import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** `cloudplane serve` as a real child process, for tests that stop, kill and restart it. */

export const MAIN = resolve(import.meta.dirname, '../../src/main.ts');

export interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  readonly banner: string;
  readonly exited: Promise<number | null>;
}

export function serve(
  dataDir: string,
  extra: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Served> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      MAIN,
      'serve',
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--log-level',
      'warn',
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env },
  );
  const exited = new Promise<number | null>((done) => {
    child.once('exit', (code) => {
      done(code);
    });
  });
  return new Promise((done, fail) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url && out.includes('Ctrl-C')) done({ child, url, banner: out, exited });
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    void exited.then((code) => {
      fail(new Error(`serve exited ${String(code)}: ${err}`));
    });
  });
}

/** kill -9, and wait until the process is gone. */
export async function killHard(served: Served): Promise<void> {
  served.child.kill('SIGKILL');
  await served.exited;
}
