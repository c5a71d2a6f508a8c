import { randomBytes } from 'node:crypto';
import { startDevcloud, type Devcloud } from '@cloudplane/devcloud';
import { silentLogger } from '@cloudplane/sdk';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { CatalogSyncer, type SyncResult } from '../src/catalog/syncer.js';
import { CredentialStore } from '../src/credentials/store.js';
import { openStorage, type Storage, type StorageTarget } from '../src/db/open.js';
import { BUILT_IN_PROVIDERS, providerRegistry } from '../src/providers.js';
import { Vault } from '../src/vault/index.js';
import { onEachEngine } from './engines.js';
import { cpuMsOfProcesses } from './proc-cpu.js';

/**
 * Catalog sync of a devcloud of 10,000 and of 100,000 instance types, on embedded PGlite and on
 * PostgreSQL: a first sync into an empty store, unchanged re-syncs, re-syncs with 1% of prices
 * changed, and an unchanged re-sync by a node that did not run the last sync (it reads the
 * stored fingerprints). Each is set against a floor: fetching the same pages (500 types each)
 * and JSON-parsing them, which any sync must at least do, measured just before. Prints figures,
 * ratios and the issue's targets; asserts nothing about time.
 *
 * Each line also gives CPU time and its ratio to the floor's CPU time: this process's (the
 * devcloud server runs in it, and so does PGlite) plus, on PostgreSQL, the server processes'.
 * On a shared machine wall times swing two- or threefold from run to run; CPU times much less.
 *
 * BENCH_SIZES=10000 and BENCH_ENGINES=pglite narrow the run.
 */

const SIZES = listFromEnv('BENCH_SIZES', ['10000', '100000']).map(Number);
const PAGE = 500;
/** Target ratios to the floor (issue 19). */
const TARGET = { first: 5, resync: 1.3 } as const;

function listFromEnv(name: string, fallback: string[]): string[] {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value.split(',');
}

/** Walks /v1/instance-types page by page and parses each body: the least a sync must do. */
async function floorOnce(cloud: Devcloud): Promise<number> {
  const t0 = performance.now();
  let cursor: string | null = null;
  do {
    const response = await fetch(
      `${cloud.url}/v1/instance-types?limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`,
      { headers: { authorization: `Bearer ${cloud.apiKey}` } },
    );
    const body = JSON.parse(await response.text()) as { next_cursor: string | null };
    cursor = body.next_cursor;
  } while (cursor !== null);
  return performance.now() - t0;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? NaN;

/** The floor's median wall time, and its CPU time per run. */
async function floorMs(cloud: Devcloud, clock: CpuClock): Promise<{ ms: number; cpu: number }> {
  const [runs, cpu] = await cpuOf(clock, async () => [
    await floorOnce(cloud),
    await floorOnce(cloud),
    await floorOnce(cloud),
  ]);
  return { ms: median(runs), cpu: cpu / runs.length };
}

/** Changes the price of every hundredth offer (a different hundredth each round). */
function changeOnePercent(cloud: Devcloud, round: number): number {
  let changed = 0;
  cloud.cloud.offers.forEach((offer, i) => {
    if (i % 100 !== round % 100) return;
    offer.pricePerHour = (Number(offer.pricePerHour) * 1.01 + 0.001).toFixed(3);
    changed++;
  });
  return changed;
}

/** CPU time spent so far by whatever does the work: this process and the database server. */
type CpuClock = () => Promise<number>;

function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

const BackendPids = z.object({ rows: z.array(z.object({ pid: z.number().int() })) });
/** This process's CPU time, plus every PostgreSQL backend's and helper's of this cluster. */
function cpuClock(storage: Storage): CpuClock {
  if (storage.kind === 'pglite') return () => Promise.resolve(processCpuMs());
  return async () => {
    const result = await storage.db.execute(sql`SELECT pid FROM pg_stat_activity`);
    const pids = BackendPids.parse(result).rows.map((row) => row.pid);
    return processCpuMs() + cpuMsOfProcesses(pids);
  };
}

async function cpuOf<T>(clock: CpuClock, run: () => Promise<T>): Promise<[T, number]> {
  const before = await clock();
  const value = await run();
  return [value, (await clock()) - before];
}

interface Row {
  readonly label: string;
  readonly ms: number;
  readonly floor: number;
  readonly cpu: number;
  readonly floorCpu: number;
  readonly target?: number;
  readonly result: SyncResult;
}

function print(row: Row): void {
  const ratio = row.ms / row.floor;
  const verdict =
    row.target === undefined
      ? ''
      : ratio <= row.target
        ? `  target <= ${row.target}x: met`
        : `  target <= ${row.target}x: MISSED`;
  const c = row.result.counts;
  console.log(
    `  ${row.label.padEnd(34)} ${row.ms.toFixed(0).padStart(7)} ms  floor ${row.floor.toFixed(0).padStart(5)} ms  ` +
      `ratio ${ratio.toFixed(2).padStart(6)}x  cpu ${row.cpu.toFixed(0).padStart(6)} / ${row.floorCpu.toFixed(0).padStart(4)} ms ` +
      `= ${(row.cpu / row.floorCpu).toFixed(2).padStart(6)}x  rows ${String(c.rowsWritten).padStart(6)} (+${c.added} ~${c.priceChanged} -${c.removed})${verdict}`,
  );
}

async function benchOne(engine: string, target: StorageTarget, types: number): Promise<void> {
  const cloud = await startDevcloud({ catalogSize: types });
  const storage: Storage = await openStorage(target);
  try {
    const store = new CredentialStore(
      storage.db,
      new Vault(randomBytes(32)),
      providerRegistry(BUILT_IN_PROVIDERS),
    );
    const syncer = new CatalogSyncer({ db: storage.db, credentials: store, logger: silentLogger });
    const { id } = await store.add({
      provider: 'devcloud',
      name: `bench-${types}`,
      credential: { apiKey: cloud.apiKey, baseUrl: cloud.url },
    });
    const clock = cpuClock(storage);
    const timed = async (label: string, run: () => Promise<SyncResult>, target?: number) => {
      const floor = await floorMs(cloud, clock);
      const t0 = performance.now();
      const [result, cpu] = await cpuOf(clock, run);
      const ms = performance.now() - t0;
      if (result.outcome !== 'ok') throw new Error(`${label}: ${result.outcome} ${result.reason}`);
      return {
        label,
        ms,
        floor: floor.ms,
        cpu,
        floorCpu: floor.cpu,
        result,
        ...(target === undefined ? {} : { target }),
      };
    };
    const rounds = types >= 100_000 ? 3 : 5;
    console.log(`\n${types} instance types, ${engine}`);
    print(await timed('first sync (empty store)', () => syncer.sync(id), TARGET.first));
    const unchanged: Row[] = [];
    for (let i = 0; i < rounds; i++) unchanged.push(await timed('', () => syncer.sync(id)));
    if (unchanged.some((r) => r.result.counts.rowsWritten !== 0)) {
      throw new Error('an unchanged re-sync wrote catalog rows');
    }
    print(medianRow(`unchanged re-sync (median of ${rounds})`, unchanged, TARGET.resync));
    const changed: Row[] = [];
    for (let i = 0; i < rounds; i++) {
      const n = changeOnePercent(cloud, i);
      const row = await timed('', () => syncer.sync(id));
      if (row.result.counts.priceChanged !== n) throw new Error(`expected ${n} price changes`);
      changed.push(row);
    }
    print(medianRow(`1% of prices changed (median of ${rounds})`, changed, TARGET.resync));
    // Another node's syncer: it did not run the last sync, so it reads the stored catalog.
    const otherNode = new CatalogSyncer({
      db: storage.db,
      credentials: store,
      logger: silentLogger,
    });
    print(await timed('unchanged, by another node', () => otherNode.sync(id)));
    const memory = process.memoryUsage();
    console.log(
      `  heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB, rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB`,
    );
  } finally {
    await storage.close();
    await cloud.close();
  }
}

function medianRow(label: string, rows: Row[], target: number): Row {
  const ratios = rows.map((r) => r.ms / r.floor);
  const middle = rows[ratios.indexOf(median(ratios))] ?? rows[0];
  if (!middle) throw new Error('no rounds');
  return { ...middle, label, target };
}

console.log(
  `catalog sync: time, and ratio to the floor (fetch ${PAGE}-type pages + JSON.parse); targets: first sync <= ${TARGET.first}x, re-syncs <= ${TARGET.resync}x`,
);
await onEachEngine(async (engine, target) => {
  for (const types of SIZES) {
    if (target.kind === 'postgres') await resetPostgres(target.url);
    await benchOne(engine, target, types);
  }
});

/** Each size starts from an empty database. */
async function resetPostgres(url: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public');
    await client.query('DROP SCHEMA IF EXISTS drizzle CASCADE');
  } finally {
    await client.end();
  }
}
