import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import pRetry from 'p-retry';
import { CONNECT_FAILED_CODES, POOL_CHECKOUT_TIMED_OUT } from '../storage-errors.js';
import { schema } from './schema.js';

/**
 * One way to reach storage, whichever engine is behind it: PGlite (embedded, a data directory,
 * one process) or PostgreSQL (`DATABASE_URL`, shared by many nodes). Both get the same drizzle
 * schema and the same generated migrations, applied here before anything else runs.
 */

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction on `Db`, as `db.transaction` hands it to its callback. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** What pg-boss needs from the database: on PostgreSQL it opens its own pool instead. */
export interface JobDb {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export type StorageTarget =
  /**
   * `dataDir: 'memory'` keeps the database in memory (tests, benchmarks). `template`: a data
   * directory to start from instead of an empty one (`pgliteTemplate()`), which skips PGlite's
   * initdb (several seconds of CPU) and every migration the template has already run.
   */
  | { readonly kind: 'pglite'; readonly dataDir: string; readonly template?: Blob }
  | { readonly kind: 'postgres'; readonly url: string };

export interface Storage {
  readonly kind: StorageTarget['kind'];
  readonly db: Db;
  /** pg-boss's connection: an adapter over PGlite, or its own pool on PostgreSQL. */
  readonly jobs: { readonly db: JobDb };
  /**
   * PGlite only: calls `onNotify` for each notification on `channel`. The process is the
   * database, so a transaction's notification arrives before its commit's promise resolves.
   * Returns the function that stops listening.
   */
  readonly listenInProcess?: (
    channel: string,
    onNotify: () => void,
  ) => Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** The migrations, in drizzle-kit's folder (a PGlite template is current while they are). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * How long a query waits for a free pooled connection before it fails (as the database being
 * unavailable). Without a limit, a query queued when its pool closes waits for ever: pg-pool
 * serves no queued request once it is ending, and a node stopping while a job worker's poll was
 * queued never exits. pg-boss's pool gets the same limit.
 */
export const POOL_CHECKOUT_TIMEOUT_MS = 5_000;

/**
 * TCP keepalive on every pooled connection: a connection left half-open by a server failover or
 * a dropped network path is found dead by the kernel's probes instead of holding its query (and
 * the credential whose sync waits on it) until TCP's retransmissions give up, many minutes on.
 */
const TCP_KEEPALIVE = { keepAlive: true, keepAliveInitialDelayMillis: 10_000 } as const;

/** Any two nodes starting at once take turns at the migrations. */
const MIGRATION_LOCK = 7_262_431;

export async function openStorage(
  target: StorageTarget,
  onIdleError: (err: Error) => void = () => undefined,
): Promise<Storage> {
  return target.kind === 'pglite'
    ? openPglite(target.dataDir, target.template)
    : openPostgres(target.url, onIdleError);
}

/**
 * An empty database with every migration run, as a PGlite data directory tarball: what a
 * `memory` target's `template` starts from. Made once, it serves any number of databases.
 */
export async function pgliteTemplate(): Promise<Blob> {
  const client = await PGlite.create('memory://');
  try {
    await migratePglite(drizzlePglite({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
    return await client.dumpDataDir('none');
  } finally {
    await client.close();
  }
}

async function openPglite(dataDir: string, template: Blob | undefined): Promise<Storage> {
  const client = await PGlite.create(
    dataDir === 'memory' ? 'memory://' : dataDir,
    template === undefined ? {} : { loadDataDir: template },
  );
  try {
    const db = drizzlePglite({ client, schema });
    await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
    return {
      kind: 'pglite',
      db,
      jobs: { db: pgliteJobDb(client) },
      listenInProcess: (channel, onNotify) => client.listen(channel, onNotify),
      close: () => client.close(),
    };
  } catch (err) {
    await client.close();
    throw err;
  }
}

/**
 * pg-boss sends parameterised single statements and parameterless multi-statement scripts
 * (its schema and its transactions); PGlite takes the first through `query`, the second
 * through `exec`, whose last result is what a pg pool would have returned.
 */
function pgliteJobDb(client: PGlite): JobDb {
  return {
    async executeSql(text, values) {
      if (values !== undefined && values.length > 0) return client.query(text, values);
      const results = await client.exec(text);
      return results.at(-1) ?? { rows: [] };
    },
  };
}

async function openPostgres(url: string, onIdleError: (err: Error) => void): Promise<Storage> {
  await migrateWithLock(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: POOL_CHECKOUT_TIMEOUT_MS,
    ...TCP_KEEPALIVE,
  });
  const jobPool = new pg.Pool({
    connectionString: url,
    max: 4,
    connectionTimeoutMillis: POOL_CHECKOUT_TIMEOUT_MS,
    application_name: 'pgboss',
    ...TCP_KEEPALIVE,
  });
  // An idle connection dropped by a server restart or failover must not crash the process;
  // the pool replaces it on the next query.
  pool.on('error', onIdleError);
  jobPool.on('error', onIdleError);
  let closing = false;
  return {
    kind: 'postgres',
    db: drizzlePg({ client: pool, schema }),
    jobs: { db: postgresJobDb(jobPool, () => closing) },
    close: async () => {
      closing = true;
      await Promise.all([pool.end(), jobPool.end()]);
    },
  };
}

/** How long pg-boss's statements wait for a server that cannot be reached. */
export const JOB_DB_REACH_MS = 60_000;

/**
 * pg-boss's connection on PostgreSQL: its own pool of 4, as pg-boss would open, but a statement
 * that could not reach the server is sent again until it can, for up to `JOB_DB_REACH_MS`.
 * pg-boss 10 records a finished job (complete or fail) without awaiting the write, so a write
 * that fails while the database restarts is an unhandled rejection, and Node ends the process.
 * Only a statement that never reached the server is sent again: it surely did not run.
 */
function postgresJobDb(jobPool: pg.Pool, closing: () => boolean): JobDb {
  return {
    executeSql: (text, values) =>
      pRetry(() => jobPool.query(text, values), {
        retries: 1_000,
        minTimeout: 250,
        maxTimeout: 5_000,
        maxRetryTime: JOB_DB_REACH_MS,
        shouldRetry: ({ error }) => !closing() && neverReachedServer(error),
      }),
  };
}

/** No connection at all, or one the server refused: starting or shutting down, or full. */
const CONNECT_CODES = new Set([...CONNECT_FAILED_CODES, '57P03', '53300']);

function neverReachedServer(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code: unknown = Reflect.get(err, 'code');
  if (typeof code === 'string' && CONNECT_CODES.has(code)) return true;
  return POOL_CHECKOUT_TIMED_OUT.test(err.message);
}

async function migrateWithLock(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.end();
  }
}
