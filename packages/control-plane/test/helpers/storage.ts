import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import {
  MIGRATIONS_FOLDER,
  openStorage,
  pgliteTemplate,
  type Storage,
  type StorageTarget,
} from '../../src/db/open.js';
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

/** Every file under `dir`, by path, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .sort();
}

let key: string | undefined;

/** What a template depends on: the PGlite release and every migration file (read once). */
function templateKey(): string {
  key ??= hashTemplateInputs();
  return key;
}

function hashTemplateInputs(): string {
  const hash = createHash('sha256');
  // The package's entry is dist/index.*; its package.json (not exported) names the release.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  hash.update(readFileSync(join(dirname(entry), '..', 'package.json')));
  for (const path of filesUnder(MIGRATIONS_FOLDER)) hash.update(path).update(readFileSync(path));
  return hash.digest('hex').slice(0, 16);
}

/** A maker's lock older than this is taken over even if its PID is alive (a reused PID). */
const STALE_LOCK_MS = 120_000;

/**
 * Makes `path` once per machine: the test file that creates `path.lock` (holding its PID) makes
 * it at a partial path and renames it into place whole, and files starting meanwhile wait for it
 * instead of spending the same seconds of CPU. A lock whose process is gone is taken over; if two
 * files still end up making it, the second finds it made and keeps the first.
 */
async function makeOncePerMachine(
  path: string,
  make: (partial: string) => Promise<void>,
): Promise<void> {
  const lock = `${path}.lock`;
  const mine = String(process.pid);
  while (!existsSync(path)) {
    if (!createFile(lock, mine)) {
      if (lockAbandoned(lock)) rmSync(lock, { force: true });
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    const partial = `${path}.${mine}`;
    try {
      if (existsSync(path)) return;
      await make(partial);
      try {
        renameSync(partial, path);
      } catch (err) {
        if (!existsSync(path)) throw err;
      }
    } finally {
      rmSync(partial, { recursive: true, force: true });
      if (readLock(lock) === mine) rmSync(lock, { force: true });
    }
  }
}

/** Creates `file` holding `content`; false when it exists already. */
function createFile(file: string, content: string): boolean {
  try {
    writeFileSync(file, content, { flag: 'wx' });
    return true;
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'EEXIST') return false;
    throw err;
  }
}

/** What a lock holds, or undefined when it is gone. */
function readLock(lock: string): string | undefined {
  try {
    return readFileSync(lock, 'utf8');
  } catch {
    return undefined;
  }
}

/** Whether a maker's lock was left behind: its process is gone, or it is too old to trust. */
function lockAbandoned(lock: string): boolean {
  const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
  if (since === undefined) return false;
  if (Date.now() - since > STALE_LOCK_MS) return true;
  const pid = Number(readLock(lock));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return err instanceof Error && 'code' in err && err.code === 'ESRCH';
  }
}

let template: Promise<Blob> | undefined;

/**
 * The migrated template every in-memory test database starts from: a fresh PGlite runs initdb
 * (about 4 s and twice that in CPU here), a copy of the template does not. Made once per
 * machine and kept in the temp directory under a key of what it depends on.
 */
export function migratedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const path = join(tmpdir(), `cloudplane-pglite-template-${templateKey()}.tar`);
    await makeOncePerMachine(path, async (partial) => {
      const made = await pgliteTemplate();
      writeFileSync(partial, Buffer.from(await made.arrayBuffer()));
    });
    return new Blob([readFileSync(path)]);
  })();
  return template;
}

let dataDirTemplate: Promise<string> | undefined;

/**
 * The on-disk twin of the template above, for `serve --data-dir`: a PGlite data directory with
 * every migration run (a fresh one costs `serve` about 8 s of CPU), made once per machine too.
 */
function migratedDataDir(): Promise<string> {
  dataDirTemplate ??= (async () => {
    const path = join(tmpdir(), `cloudplane-pglite-datadir-${templateKey()}`);
    await makeOncePerMachine(path, async (partial) => {
      await (await openStorage({ kind: 'pglite', dataDir: partial })).close();
    });
    return path;
  })();
  return dataDirTemplate;
}

/**
 * Puts a migrated embedded database where `serve --data-dir DIR` looks for it (DIR/pglite), so
 * a test whose subject is not the first start skips making one.
 */
export async function seedServeDataDir(dir: string): Promise<void> {
  cpSync(await migratedDataDir(), join(dir, 'pglite'), { recursive: true });
}

/** A fresh in-memory PGlite database with every migration run. */
export async function memoryTarget(): Promise<StorageTarget> {
  return { kind: 'pglite', dataDir: 'memory', template: await migratedTemplate() };
}

/** Where a fresh, empty database of this engine is (for a whole control plane). */
export async function freshTarget(engine: Engine): Promise<StorageTarget> {
  if (engine === 'pglite') return memoryTarget();
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
