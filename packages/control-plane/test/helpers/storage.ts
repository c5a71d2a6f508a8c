import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
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

/** What a template depends on: the PGlite release and every migration file. */
function templateKey(): string {
  const hash = createHash('sha256');
  // The package's entry is dist/index.*; its package.json (not exported) names the release.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  hash.update(readFileSync(join(dirname(entry), '..', 'package.json')));
  for (const path of filesUnder(MIGRATIONS_FOLDER)) hash.update(path).update(readFileSync(path));
  return hash.digest('hex').slice(0, 16);
}

let template: Promise<Blob> | undefined;

/**
 * The migrated template every in-memory test database starts from: a fresh PGlite runs initdb
 * (about 4 s and twice that in CPU here), a copy of the template does not. Made once per
 * machine and kept in the temp directory under a key of what it depends on, so test files
 * running at once share it; files racing to make it each write a whole one and rename it.
 */
function migratedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const path = join(tmpdir(), `cloudplane-pglite-template-${templateKey()}.tar`);
    try {
      return new Blob([readFileSync(path)]);
    } catch {
      const made = await pgliteTemplate();
      const partial = `${path}.${String(process.pid)}`;
      writeFileSync(partial, Buffer.from(await made.arrayBuffer()));
      renameSync(partial, path);
      return made;
    }
  })();
  return template;
}

let dataDirTemplate: Promise<string> | undefined;

/**
 * The on-disk twin of the template above, for `serve --data-dir`: a PGlite data directory with
 * every migration run, made once per machine (a fresh one costs `serve` about 8 s of CPU) under
 * the same key. Files racing to make it each make a whole one and rename it into place; the
 * loser's copy is removed.
 */
function migratedDataDir(): Promise<string> {
  dataDirTemplate ??= (async () => {
    const path = join(tmpdir(), `cloudplane-pglite-datadir-${templateKey()}`);
    if (existsSync(path)) return path;
    const partial = mkdtempSync(`${path}.`);
    const storage = await openStorage({ kind: 'pglite', dataDir: partial });
    await storage.close();
    try {
      renameSync(partial, path);
    } catch {
      rmSync(partial, { recursive: true, force: true });
    }
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
