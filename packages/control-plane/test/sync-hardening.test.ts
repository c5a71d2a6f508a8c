import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { CatalogSyncer } from '../src/catalog/syncer.js';
import { credentials, syncs } from '../src/db/schema.js';
import { startDevcloud } from '@cloudplane/devcloud';
import { memoryLogger } from '@cloudplane/sdk';
import { CredentialStore } from '../src/credentials/store.js';
import { openStorage } from '../src/db/open.js';
import { ControlPlaneError } from '../src/errors.js';
import { Metrics } from '../src/metrics.js';
import { BUILT_IN_PROVIDERS, providerRegistry } from '../src/providers.js';
import { Vault } from '../src/vault/index.js';
import { ENGINES, stopClusterAfterAll } from './helpers/storage.js';
import { until } from './helpers/until.js';
import { makeWorld, type World } from './helpers/world.js';

stopClusterAfterAll();

/**
 * The sync's edges: one deadline over everything the provider is asked, retries included; a
 * shutdown that stops a sync quietly; a database that cannot take the write; a price an operator
 * accepted and the provider then reverted.
 */

/** A cloud that answers every request its own way and counts them. */
interface StubCloud {
  readonly url: string;
  readonly requests: () => number;
  close(): Promise<void>;
}

async function stubCloud(answer: (res: ServerResponse) => void): Promise<StubCloud> {
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests++;
    answer(res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => {
        server.close(() => {
          done();
        });
      });
    },
  };
}

/** Never answers: the request hangs until the connection is closed. */
const silent = () => stubCloud(() => undefined);

const unavailable = (retryAfterSeconds?: number) =>
  stubCloud((res) => {
    res.writeHead(503, {
      'content-type': 'application/json',
      ...(retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) }),
    });
    res.end(JSON.stringify({ error: { code: 'unavailable', message: 'try later' } }));
  });

async function addFor(world: World, cloud: StubCloud, name = 'stub'): Promise<string> {
  const added = await world.store.add({
    provider: 'devcloud',
    name,
    credential: { apiKey: 'dc_test_key_0000', baseUrl: cloud.url },
  });
  return added.id;
}

/**
 * V8's collector, for putting pressure on signals only weakly held (AbortSignal.timeout inside
 * AbortSignal.any stops firing once collected on Node 20).
 */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return z.custom<() => void>((v) => typeof v === 'function').parse(runInNewContext('gc'));
}

async function errorsByCode(metrics: Metrics): Promise<Record<string, number>> {
  const metric = await metrics.syncErrors.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.code), v.value]));
}

for (const engine of ENGINES) {
  describe(`the sync deadline on ${engine}`, () => {
    it('ends a sync against a provider that never answers at the deadline, even under GC', async () => {
      const world = await makeWorld(engine);
      const cloud = await silent();
      const metrics = new Metrics(world.storage.db);
      const syncer = new CatalogSyncer({
        db: world.storage.db,
        credentials: world.store,
        logger: world.logger,
        metrics,
        timeoutMs: 1_000,
      });
      const gc = collector();
      const pressure = setInterval(gc, 20);
      try {
        const id = await addFor(world, cloud);
        const started = Date.now();
        const result = await syncer.sync(id);
        const took = Date.now() - started;
        clearInterval(pressure);
        // The adapter's own per-request timeout is 15 s: only the deadline ends it this early.
        assert.ok(took < 5_000, `the sync took ${took} ms`);
        assert.equal(result.outcome, 'failed');
        assert.equal(result.reason, 'the provider did not answer within 1000 ms');
        const [cred] = await world.storage.db
          .select()
          .from(credentials)
          .where(eq(credentials.id, id));
        assert.equal(cred?.syncState, 'degraded');
        assert.equal(cred.syncReason, 'the provider did not answer within 1000 ms');
        assert.deepEqual(await errorsByCode(metrics), { timeout: 1 });
      } finally {
        clearInterval(pressure);
        await cloud.close();
        await world.close();
      }
    });

    it('covers the adapter retries and their Retry-After waits, and adds none of its own', async () => {
      // The deadline leaves the adapter's four quick attempts room on a loaded machine, and is
      // far shorter than one Retry-After wait of the second cloud.
      const world = await makeWorld(engine, { syncer: { timeoutMs: 4_000 } });
      const failing = await unavailable();
      const slowToRetry = await unavailable(10);
      try {
        // The devcloud adapter makes 4 attempts; the syncer must not multiply them.
        const failed = await world.syncer.sync(await addFor(world, failing, 'failing'));
        assert.equal(failed.outcome, 'failed');
        assert.match(failed.reason ?? '', /SERVICE_UNAVAILABLE/);
        assert.equal(failing.requests(), 4);

        // Retry-After 10 s between attempts: the deadline ends the sync during the first wait.
        const started = Date.now();
        const waited = await world.syncer.sync(await addFor(world, slowToRetry, 'slow'));
        assert.ok(Date.now() - started < 8_000, 'the deadline does not wait out the retries');
        assert.equal(waited.reason, 'the provider did not answer within 4000 ms');
        assert.equal(slowToRetry.requests(), 1);
      } finally {
        await failing.close();
        await slowToRetry.close();
        await world.close();
      }
    });
  });

  describe(`shutdown during a sync on ${engine}`, () => {
    it('stops the job as a normal stop, with no error logged', async () => {
      const shutdown = new AbortController();
      const world = await makeWorld(engine, { syncer: { signal: shutdown.signal } });
      const cloud = await silent();
      const scheduler = world.scheduler();
      try {
        await addFor(world, cloud);
        await scheduler.start();
        await until(() => Promise.resolve(cloud.requests() > 0), 'the sync to reach the cloud');
        shutdown.abort();
        await scheduler.stop();
        const errors = world.logger.entries.filter((e) => e.level === 'error');
        assert.deepEqual(errors, []);
        assert.ok(
          world.logger.entries.some((e) => e.msg === 'catalog sync stopped by shutdown'),
          'the stop is logged as one',
        );
        const rows = await world.storage.db.select().from(syncs);
        assert.deepEqual(rows, [], 'an aborted sync writes nothing');
      } finally {
        await cloud.close();
        await world.close();
      }
    });
  });

  describe(`a database that cannot take the write on ${engine}`, () => {
    let world: World;
    before(async () => {
      world = await makeWorld(engine);
      // What PostgreSQL and PGlite raise on a full disk (SQLSTATE 53100, disk_full).
      await world.storage.db.execute(
        sql.raw(`CREATE FUNCTION test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            RAISE EXCEPTION 'could not extend file "base/5/16384": No space left on device'
              USING ERRCODE = 'disk_full';
          END $$`),
      );
    });
    after(async () => {
      await world.close();
    });

    it('says so on the credential, and logs no SQL or parameters', async () => {
      const id = await world.addDevcloud();
      for (const table of ['offers', 'syncs']) {
        await world.storage.db.execute(
          sql.raw(
            `CREATE TRIGGER test_disk_full BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION test_disk_full()`,
          ),
        );
      }
      const scheduler = world.scheduler({ failureBackoffMs: 60_000 });
      try {
        await assert.rejects(
          world.syncer.sync(id),
          (err: unknown) =>
            err instanceof ControlPlaneError &&
            err.code === 'storage/disk-full' &&
            !/insert|params/i.test(err.message),
        );
        const [cred] = await world.storage.db
          .select()
          .from(credentials)
          .where(eq(credentials.id, id));
        assert.equal(cred?.syncState, 'degraded');
        assert.match(
          cred.syncReason ?? '',
          /^the database disk is full \(ENOSPC\): free space on .+ and the next sync retries$/,
        );

        // The job's own log line: short, with no statement or parameter in it.
        await scheduler.start();
        await until(
          () => Promise.resolve(world.logger.entries.some((e) => e.level === 'error')),
          'the job to fail',
        );
        const logged = JSON.stringify(world.logger.entries);
        assert.doesNotMatch(logged, /insert into|params:|dc\.h100/i);
        const failed = world.logger.entries.find((e) => e.msg === 'catalog sync job failed');
        assert.equal(failed?.obj.code, 'storage/disk-full');
        assert.ok(logged.length < 20_000, `${logged.length} characters of log`);
      } finally {
        await scheduler.stop();
        for (const table of ['offers', 'syncs']) {
          await world.storage.db.execute(
            sql.raw(`DROP TRIGGER IF EXISTS test_disk_full ON ${table}`),
          );
        }
      }
    });
  });

  describe(`a price accepted and then reverted on ${engine}`, () => {
    it('takes the provider back to the price it had before', async () => {
      const world = await makeWorld(engine);
      try {
        const id = await world.addDevcloud();
        await world.syncer.sync(id);
        const target = world.cloud.cloud.offers[0];
        assert.ok(target);
        const before = target.pricePerHour;
        const wrong = (Number(before) * 50).toFixed(3);
        await world.setPrices([{ name: target.name, price_per_hour: wrong }]);
        assert.equal((await world.syncer.sync(id)).outcome, 'implausible');
        const accepted = await world.syncer.sync(id, { acceptImplausible: true });
        assert.equal(accepted.outcome, 'ok');

        // The provider fixes its mistake: the revert is not refused as implausible.
        await world.setPrices([{ name: target.name, price_per_hour: before }]);
        const reverted = await world.syncer.sync(id);
        assert.equal(reverted.outcome, 'ok', reverted.reason ?? '');
        assert.equal(reverted.counts.priceChanged, 1);

        // Any other jump is still refused.
        await world.setPrices([
          { name: target.name, price_per_hour: (Number(before) * 70).toFixed(3) },
        ]);
        assert.equal((await world.syncer.sync(id)).outcome, 'implausible');
      } finally {
        await world.close();
      }
    });
  });
}

describe('an embedded database on a disk that is really full', () => {
  it('fails the sync with a short disk-full error (needs root: mounts a small tmpfs)', async () => {
    assert.equal(process.getuid?.(), 0, 'this test mounts a tmpfs and needs root');
    const mountPoint = mkdtempSync(join(tmpdir(), 'cloudplane-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96m', 'tmpfs', mountPoint]);
    const cloud = await startDevcloud({ catalogSize: 400 });
    try {
      const storage = await openStorage({ kind: 'pglite', dataDir: join(mountPoint, 'pglite') });
      const logger = memoryLogger();
      try {
        const store = new CredentialStore(
          storage.db,
          new Vault(randomBytes(32)),
          providerRegistry(BUILT_IN_PROVIDERS),
        );
        const syncer = new CatalogSyncer({ db: storage.db, credentials: store, logger });
        const { id } = await store.add({
          provider: 'devcloud',
          name: 'dev',
          credential: { apiKey: cloud.apiKey, baseUrl: cloud.url },
        });
        fill(mountPoint);
        await assert.rejects(
          syncer.sync(id),
          (err: unknown) =>
            err instanceof ControlPlaneError &&
            err.code === 'storage/disk-full' &&
            err.message.length < 300,
        );
        const text = JSON.stringify(logger.entries);
        assert.doesNotMatch(text, /insert into|params:/i);
        // The one-row update of the credential still fits where the catalog write did not.
        const summary = await store.get(id);
        assert.equal(summary?.sync.state, 'degraded');
        assert.match(
          summary.sync.reason ?? '',
          /^the database disk is full \(ENOSPC\): free space/,
        );
      } finally {
        await storage.close().catch(() => undefined);
      }
    } finally {
      await cloud.close();
      execFileSync('umount', ['-l', mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    }
  });
});

/** Writes a filler file until the file system answers ENOSPC. */
function fill(mountPoint: string): void {
  const fd = openSync(join(mountPoint, 'filler'), 'w');
  try {
    const chunk = Buffer.alloc(64 * 1024, 1);
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if (!(err instanceof Error && 'code' in err && err.code === 'ENOSPC')) throw err;
  } finally {
    closeSync(fd);
  }
}
