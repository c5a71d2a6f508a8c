import { after } from 'node:test';
import { openStorage, type Storage, type StorageTarget } from '../../src/db/open.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from './postgres.js';

/**
 * The storage engines every storage test runs on: embedded PGlite and a real PostgreSQL cluster.
 * `eachStorage` opens one fresh database per engine for a test file and closes it afterwards.
 */

export const ENGINES = ['pglite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

let cluster: Promise<ThrowawayPostgres> | undefined;
let databases = 0;

/** One cluster per test file, started on first use; each call gets its own database in it. */
export async function freshStorage(engine: Engine): Promise<Storage> {
  return openStorage(await freshTarget(engine));
}

/** Where a fresh, empty database of this engine is (for a whole control plane). */
export async function freshTarget(engine: Engine): Promise<StorageTarget> {
  if (engine === 'pglite') return { kind: 'pglite', dataDir: 'memory' };
  cluster ??= startThrowawayPostgres();
  const pg = await cluster;
  const name = `t${process.pid}_${++databases}`;
  const { default: Pg } = await import('pg');
  const admin = new Pg.Client({ connectionString: pg.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return { kind: 'postgres', url: pg.url.replace(/\/postgres$/, `/${name}`) };
}

/** Registers the cluster's shutdown once per file. */
export function stopClusterAfterAll(): void {
  after(async () => {
    if (cluster) await (await cluster).stop();
  });
}
