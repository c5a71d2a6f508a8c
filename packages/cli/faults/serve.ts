import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * `cloudplane serve` as a child process the campaign can kill -9 and start again on the same
 * data (directory or PostgreSQL database). Its port changes at every start (`--port 0`), so
 * callers ask `url()` at each request; `ready()` waits while it is down.
 */

const MAIN = resolve(import.meta.dirname, '../src/main.ts');
const START_TIMEOUT_MS = 120_000;

export interface ServeOptions {
  readonly dataDir: string;
  /** PostgreSQL: DATABASE_URL and CLOUDPLANE_MASTER_KEY. */
  readonly env: NodeJS.ProcessEnv;
  /** Where each start's stderr (pino logs) goes: `<logDir>/serve-<n>.log`. */
  readonly logDir: string;
}

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
  readonly log: WriteStream;
}

export class ServeProcess {
  private running: Running | undefined;
  private up: Promise<void> = Promise.resolve();
  private starts = 0;
  /** Exits the campaign did not cause (a crash): each is a finding. */
  readonly crashes: string[] = [];

  constructor(private readonly options: ServeOptions) {}

  /** The current URL; throws while serve is down (callers wait on `ready()` first). */
  url(): string {
    if (!this.running) throw new Error('serve is not running');
    return this.running.url;
  }

  /** Resolves once serve is up (at once while it is). */
  ready(): Promise<void> {
    return this.up;
  }

  get pid(): number | undefined {
    return this.running?.child.pid;
  }

  /** Starts serve; `tokenOut` only on the first start (later ones would replace that token). */
  start(tokenOut?: string): Promise<void> {
    this.up = this.spawn(tokenOut);
    return this.up;
  }

  /** kill -9, wait until the process is gone, and start it again. */
  async killAndRestart(): Promise<void> {
    let release: () => void = () => undefined;
    let failed: (err: unknown) => void = () => undefined;
    this.up = new Promise<void>((done, fail) => {
      release = done;
      failed = fail;
    });
    // A rejection nobody waits for yet must not crash the process.
    this.up.catch(() => undefined);
    try {
      const running = this.running;
      if (running) {
        this.running = undefined;
        running.child.kill('SIGKILL');
        await running.exited;
        running.log.end();
      }
      await this.spawn(undefined);
      release();
    } catch (err) {
      failed(err);
      throw err;
    }
  }

  /** SIGTERM (a clean shutdown), and wait until the process is gone. */
  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    running.child.kill('SIGTERM');
    const timer = setTimeout(() => running.child.kill('SIGKILL'), 30_000);
    await running.exited;
    clearTimeout(timer);
    running.log.end();
  }

  private spawn(tokenOut: string | undefined): Promise<void> {
    this.starts++;
    const log = createWriteStream(join(this.options.logDir, `serve-${String(this.starts)}.log`));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        MAIN,
        'serve',
        '--data-dir',
        this.options.dataDir,
        '--port',
        '0',
        '--no-devcloud',
        '--log-level',
        'warn',
        ...(tokenOut === undefined ? [] : ['--token-out', tokenOut]),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: this.options.env },
    );
    child.stderr.pipe(log);
    const exited = new Promise<number | null>((done) => {
      child.once('exit', (code) => {
        done(code);
      });
    });
    return new Promise<void>((done, fail) => {
      let out = '';
      let up = false;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(new Error(`serve did not start within ${String(START_TIMEOUT_MS)} ms`));
      }, START_TIMEOUT_MS);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
        if (url && out.includes('Ctrl-C') && !up) {
          up = true;
          clearTimeout(timer);
          this.running = { child, url, exited, log };
          done();
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        if (this.running?.child === child) {
          this.running = undefined;
          this.crashes.push(
            `serve (pid ${String(child.pid)}) exited on its own with code ${String(code)}`,
          );
        }
        fail(
          new Error(
            `serve exited with code ${String(code)}; its log: ${join(this.options.logDir, `serve-${String(this.starts)}.log`)}`,
          ),
        );
      });
    });
  }
}
