import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { openStorage, type Storage } from '@cloudplane/control-plane';
import { startThrowawayPostgres } from '../../../control-plane/test/helpers/postgres.js';
import type { Caller } from '../../../control-plane/test/helpers/instances.js';
import { killHard, serve, type Served } from './serve-process.js';

/**
 * Several `cloudplane serve` processes on one throw-away PostgreSQL 15 cluster: one control
 * plane. Every process and the cluster are registered with a `Cleanups` as soon as they exist,
 * so a test that fails half way still leaves nothing running.
 */

/** Undo steps, run newest first; each runs even when an earlier one throws. */
export class Cleanups {
  private readonly steps: (() => Promise<void>)[] = [];
  private readonly pids = new Set<number>();
  private readonly onExit = () => {
    // The last resort when the test process exits without running `run` (a hard failure):
    // no child outlives it. The cluster's postmaster is left to `run`; it is not our child.
    for (const pid of this.pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };

  constructor() {
    process.once('exit', this.onExit);
  }

  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  /** A child process to SIGKILL if the test process exits before `run`. */
  watch(pid: number | undefined): void {
    if (pid !== undefined) this.pids.add(pid);
  }

  async run(): Promise<void> {
    const failures: unknown[] = [];
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        failures.push(err);
      }
    }
    process.off('exit', this.onExit);
    if (failures.length > 0) throw new AggregateError(failures, 'cleanup failed');
  }
}

/** One node: a serve process, its API and an admin caller of it. */
export interface PlaneNode {
  /** 1-based, as the test's prose names them. */
  readonly index: number;
  readonly served: Served;
  readonly url: string;
  readonly pid: number;
  readonly caller: Caller;
  alive: boolean;
}

export interface NodeCluster {
  readonly nodes: readonly PlaneNode[];
  /** The same database, for reading tables (syncs, job_leases) the API does not show. */
  readonly storage: Storage;
  /** kill -9 the node, and wait until it is gone. */
  kill(node: PlaneNode): Promise<void>;
  /** The node whose process is `pid`. */
  nodeOf(pid: number | null): PlaneNode | undefined;
}

const Me = z.object({ id: z.string() });

/**
 * A fresh PostgreSQL cluster and `count` serve nodes on it (`--no-devcloud`, one master key),
 * node 1 first (it migrates the database and makes the admin token), then the rest together.
 */
export async function startNodeCluster(
  count: number,
  workDir: string,
  cleanups: Cleanups,
): Promise<NodeCluster> {
  const pg = await startThrowawayPostgres();
  cleanups.add(() => pg.stop());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: pg.url,
    CLOUDPLANE_MASTER_KEY: randomBytes(32).toString('base64'),
  };
  const tokenFile = join(workDir, 'token');
  const start = async (index: number): Promise<Served> => {
    const dataDir = join(workDir, `node-${String(index)}`);
    mkdirSync(dataDir, { recursive: true });
    const extra = ['--no-devcloud', ...(index === 1 ? ['--token-out', tokenFile] : [])];
    const served = await serve(dataDir, extra, env);
    cleanups.watch(served.child.pid);
    cleanups.add(() => killHard(served));
    return served;
  };
  const first = await start(1);
  const rest = await Promise.all(Array.from({ length: count - 1 }, (_, i) => start(i + 2)));
  const token = readFileSync(tokenFile, 'utf8').trim();
  const storage = await openStorage({ kind: 'postgres', url: pg.url });
  cleanups.add(() => storage.close());
  const nodes: PlaneNode[] = [];
  for (const [i, served] of [first, ...rest].entries()) {
    const url = served.url;
    const call = (path: string, init: RequestInit = {}) =>
      fetch(`${url}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      });
    const me = Me.parse(await (await call('/v1/users/me')).json());
    nodes.push({
      index: i + 1,
      served,
      url,
      pid: served.child.pid ?? -1,
      caller: { token, userId: me.id, call },
      alive: true,
    });
  }
  return {
    nodes,
    storage,
    async kill(node) {
      node.alive = false;
      await killHard(node.served);
    },
    nodeOf: (pid) => nodes.find((n) => n.pid === pid),
  };
}

/** A request to `node` that must answer 2xx; the body parsed with `schema`. */
export async function callOk<T>(
  node: PlaneNode,
  schema: z.ZodType<T>,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const answer = await node.caller.call(path, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await answer.text();
  if (!answer.ok) {
    throw new Error(
      `node ${String(node.index)}: ${method} ${path}: HTTP ${String(answer.status)} ${text}`,
    );
  }
  return schema.parse(text === '' ? {} : JSON.parse(text));
}

/** Polls `probe` every half second until it answers a value, or fails after `ms`. */
export async function eventually<T>(
  what: string,
  ms: number,
  probe: () => Promise<T | undefined>,
  /** What was seen instead, for the failure message. */
  seen: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${String(ms / 1000)} s ${seen()}`.trim());
    await new Promise((r) => setTimeout(r, 500));
  }
}
