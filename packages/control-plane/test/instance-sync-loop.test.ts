import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { silentLogger } from '@cloudplane/sdk';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { openStorage, type Db, type Storage } from '../src/db/open.js';
import { announceSyncSoon, EventBell } from '../src/instances/events.js';
import { InstanceSyncLoop, INSTANCE_SYNC_KEY } from '../src/instances/sync-loop.js';
import { JobLeases } from '../src/jobs/leases.js';
import { ENGINES, freshStorage, freshTarget, stopClusterAfterAll } from './helpers/storage.js';
import { startPlane } from './helpers/plane.js';
import { until } from './helpers/until.js';

/**
 * The instance syncs' schedule across nodes: each credential synced by one node at a time, the
 * credentials shared out as nodes come and go, a dead node's taken over after its lease, a sync
 * asked for on any node run by the owner, and no writes per sync.
 */

stopClusterAfterAll();

const CREDENTIALS = Array.from({ length: 10 }, (_, i) => ({ id: `cred-${i}`, provider: 'p' }));
const FAST = { leaseMs: 1_500, claimEveryMs: 100, roundMs: 20 };

/** Every sync any node ran, and a check that no credential ever had two at once. */
class Syncs {
  readonly done = new Map<string, number>();
  private readonly running = new Set<string>();
  overlaps = 0;

  async run(credentialId: string): Promise<void> {
    if (this.running.has(credentialId)) this.overlaps++;
    this.running.add(credentialId);
    await sleep(5);
    this.running.delete(credentialId);
    this.done.set(credentialId, (this.done.get(credentialId) ?? 0) + 1);
  }

  count(credentialId: string): number {
    return this.done.get(credentialId) ?? 0;
  }
}

/** `until`, for a check that needs no query. */
function soon(check: () => boolean, what: string, ms?: number): Promise<void> {
  return until(() => Promise.resolve(check()), what, ms);
}

/** A node: its own lease holder, on the shared database. */
function node(
  db: Db,
  syncs: Syncs,
  options: {
    intervalMs?: number;
    announce?: (id: string) => Promise<void>;
    leaseMs?: number;
    credentials?: typeof CREDENTIALS;
  } = {},
): InstanceSyncLoop {
  return new InstanceSyncLoop({
    db,
    leases: new JobLeases(db, silentLogger),
    logger: silentLogger,
    credentials: () => Promise.resolve(options.credentials ?? CREDENTIALS),
    intervalOf: () => options.intervalMs ?? 50,
    sync: (id) => syncs.run(id),
    announce: options.announce,
    timings: { ...FAST, ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }) },
  });
}

/** `db`, with every statement that writes recorded. */
function recordingWrites(db: Db): { db: Db; writes: string[]; failWrites: { on: boolean } } {
  const writes: string[] = [];
  const failWrites = { on: false };
  const dialect = new PgDialect();
  const recorded = new Proxy(db, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== 'execute' || typeof value !== 'function') return value;
      return (query: Parameters<Db['execute']>[0]) => {
        const text = (
          typeof query === 'string' ? query : dialect.sqlToQuery(query.getSQL()).sql
        ).trim();
        if (/^(INSERT|UPDATE|DELETE)/i.test(text)) {
          writes.push(text.split(/\s+/)[0] ?? '');
          if (failWrites.on) return Promise.reject(new Error('connection terminated (test)'));
        }
        return target.execute(query);
      };
    },
  });
  return { db: recorded, writes, failWrites };
}

async function withStorage(engine: (typeof ENGINES)[number], body: (s: Storage) => Promise<void>) {
  const storage = await freshStorage(engine);
  try {
    await body(storage);
  } finally {
    await storage.close();
  }
}

function owners(loops: readonly InstanceSyncLoop[]): string[][] {
  return loops.map((loop) => loop.ownedIds().sort());
}

for (const engine of ENGINES) {
  describe(`instance sync loop on ${engine}`, () => {
    it('shares the credentials out between nodes, one sync at a time per credential', async () => {
      await withStorage(engine, async (storage) => {
        const syncs = new Syncs();
        const a = node(storage.db, syncs);
        await a.start();
        await soon(() => a.ownedIds().length === 10, 'the first node owns every credential');
        const b = node(storage.db, syncs);
        await b.start();
        try {
          // A credential handed back is owned by nobody until the other node's next claim
          // round: wait for a round in which every one is owned again.
          const everyOne = CREDENTIALS.map((c) => c.id).sort();
          await soon(
            () =>
              b.ownedIds().length >= 4 &&
              [...a.ownedIds(), ...b.ownedIds()].sort().join() === everyOne.join(),
            'the second node to take about half, and every credential to be owned',
          );
          const [ofA = [], ofB = []] = owners([a, b]);
          assert.ok(ofA.length <= 6, `the first node handed back its extra ones: ${ofA.join()}`);
          assert.deepEqual([...ofA, ...ofB].sort(), everyOne, 'each credential has one owner');
          const before = CREDENTIALS.map((c) => syncs.count(c.id));
          await soon(
            () => CREDENTIALS.every((c, i) => syncs.count(c.id) >= (before[i] ?? 0) + 3),
            'every credential keeps being synced',
          );
          assert.equal(syncs.overlaps, 0, 'no credential was ever synced twice at once');
        } finally {
          await Promise.all([a.stop(), b.stop()]);
        }
      });
    });

    it('writes one renewal per lease period, however many syncs run', async () => {
      await withStorage(engine, async (storage) => {
        const syncs = new Syncs();
        const { db, writes } = recordingWrites(storage.db);
        const loop = node(db, syncs, { intervalMs: 10 });
        await loop.start();
        try {
          await soon(() => loop.ownedIds().length === 10, 'the node owns every credential');
          await sleep(FAST.leaseMs); // settled
          writes.length = 0;
          const syncsBefore = [...syncs.done.values()].reduce((a, b) => a + b, 0);
          const from = Date.now();
          await sleep(FAST.leaseMs * 2);
          const elapsed = Date.now() - from;
          const synced = [...syncs.done.values()].reduce((a, b) => a + b, 0) - syncsBefore;
          assert.ok(synced >= 100, `syncs ran meanwhile (${synced})`);
          // One renewal per third of the lease, give or take one.
          const renewals = Math.ceil(elapsed / (FAST.leaseMs / 3)) + 1;
          assert.ok(writes.length <= renewals, `${writes.length} writes: ${writes.join(', ')}`);
          assert.ok(
            writes.every((w) => w === 'UPDATE'),
            writes.join(', '),
          );
        } finally {
          await loop.stop();
        }
      });
    });

    it('keeps what it owns below its share: an uneven split stays put', async () => {
      await withStorage(engine, async (storage) => {
        // 7 credentials on 2 nodes: a share of 4, so one node owns 3, one fewer than its share.
        const seven = CREDENTIALS.slice(0, 7);
        const syncs = new Syncs();
        const { db, writes } = recordingWrites(storage.db);
        const a = node(db, syncs, { credentials: seven });
        await a.start();
        await soon(() => a.ownedIds().length === 7, 'the first node owns every credential');
        const b = node(db, syncs, { credentials: seven });
        await b.start();
        try {
          await soon(
            () => a.ownedIds().length === 4 && b.ownedIds().length === 3,
            'a split of 4 and 3',
          );
          writes.length = 0;
          await sleep(FAST.leaseMs * 2);
          assert.deepEqual(
            owners([a, b]).map((ids) => ids.length),
            [4, 3],
          );
          // Only renewals: no credential was handed back and taken again.
          assert.ok(
            writes.every((w) => w === 'UPDATE'),
            writes.join(', '),
          );
        } finally {
          await Promise.all([a.stop(), b.stop()]);
        }
      });
    });

    it("takes a dead node's credentials once its leases lapse, and a stopped node's at once", async () => {
      await withStorage(engine, async (storage) => {
        const lapseAt = Date.now() + 1_200;
        for (const { id } of CREDENTIALS) {
          await storage.db.execute(
            sql`INSERT INTO job_leases (key, holder, expires_at)
                VALUES (${`${INSTANCE_SYNC_KEY}:${id}`}, 'a-node-that-died', now() + interval '1200 milliseconds')`,
          );
        }
        const syncs = new Syncs();
        // Leases far longer than the test's bounds: a handback seen in time is the stop's own.
        const b = node(storage.db, syncs, { leaseMs: 60_000 });
        await b.start();
        const c = node(storage.db, syncs, { leaseMs: 60_000 });
        try {
          await soon(() => b.ownedIds().length === 10, 'the live node takes them over', 10_000);
          assert.ok(Date.now() >= lapseAt - 50, 'not before the dead holder lapsed');
          await soon(() => CREDENTIALS.every((cred) => syncs.count(cred.id) > 0), 'all synced');

          await c.start();
          await soon(() => c.ownedIds().length >= 4, 'a new node takes its share');
          const handedBack = Date.now();
          await b.stop();
          await soon(() => c.ownedIds().length === 10, 'the stopped node’s share moves');
          assert.ok(
            Date.now() - handedBack < 30_000,
            'handed back at the stop, not left to lapse (60 s)',
          );
        } finally {
          await Promise.all([b.stop(), c.stop()]);
        }
      });
    });

    // NTP may step the wall clock back meanwhile (by more than a lease: further back, code on
    // the wall clock would find nothing due and pass anyway); the leases still end when the
    // database says.
    for (const stepBackMs of [0, FAST.leaseMs * 1.2]) {
      it(`starts no sync once it cannot renew its leases, and resumes when it can (clock set back ${String(stepBackMs)} ms)`, async () => {
        await withStorage(engine, async (storage) => {
          const syncs = new Syncs();
          const total = () => [...syncs.done.values()].reduce((a, b) => a + b, 0);
          const { db, failWrites } = recordingWrites(storage.db);
          const loop = node(db, syncs, { intervalMs: 10 });
          await loop.start();
          const wallClock = Date.now.bind(Date);
          try {
            await soon(() => CREDENTIALS.every((c) => syncs.count(c.id) > 2), 'syncs run');
            failWrites.on = true;
            Date.now = () => wallClock() - stepBackMs;
            // Its last renewal holds for at most 5/6 of the lease; then nothing starts.
            await sleep(FAST.leaseMs);
            const stalled = total();
            await sleep(FAST.leaseMs / 2);
            const after = total();
            assert.equal(after, stalled, 'no sync ran while the leases could not be renewed');
            failWrites.on = false;
            await soon(() => total() > after + 10, 'syncs resume once the database takes writes');
          } finally {
            Date.now = wallClock;
            failWrites.on = false;
            await loop.stop();
          }
        });
      });
    }

    it('runs a sync asked for on another node at once, on the node that owns it', async () => {
      await withStorage(engine, async (storage) => {
        const syncs = new Syncs();
        const owner = node(storage.db, syncs, { intervalMs: 60_000 });
        await owner.start();
        const other = node(storage.db, syncs, {
          intervalMs: 60_000,
          announce: (id) => Promise.resolve(void owner.heard(id)),
        });
        try {
          await soon(() => owner.ownedIds().length === 10, 'the first node owns everything');
          await soon(() => syncs.count('cred-3') === 1, 'the first sync ran');
          await other.start();
          await soon(() => other.ownedIds().length >= 4, 'the second node took its share');
          const ofOwner = owner.ownedIds()[0];
          assert.ok(ofOwner !== undefined);
          const before = syncs.count(ofOwner);
          await other.syncSoon(ofOwner);
          await soon(() => syncs.count(ofOwner) === before + 1, 'the owner synced it at once');
        } finally {
          await Promise.all([owner.stop(), other.stop()]);
        }
      });
    });
  });
}

describe('sync-soon over PostgreSQL LISTEN/NOTIFY', () => {
  it('reaches a node listening on the database, with the credential id', async () => {
    const target = await freshTarget('postgres');
    assert.ok(target.kind === 'postgres');
    const storage = await openStorage(target);
    const bell = new EventBell();
    const heard: string[] = [];
    bell.on('sync-soon', (id: string) => heard.push(id));
    const stop = await bell.listen(target.url, silentLogger);
    try {
      await announceSyncSoon(storage.db, 'cred-7');
      await soon(() => heard.includes('cred-7'), 'the listener hears the request');
      assert.deepEqual(heard, ['cred-7']);
    } finally {
      await stop();
      await storage.close();
    }
  });
});

describe('a database an earlier version ran instance syncs as jobs on', () => {
  it(
    'starts, and removes the retired queue with the jobs it left',
    { timeout: 120_000 },
    async () => {
      const target = await freshTarget('postgres');
      assert.ok(target.kind === 'postgres');
      const { default: PgBoss } = await import('pg-boss');
      const old = new PgBoss({ connectionString: target.url, schema: 'pgboss', supervise: false });
      await old.start();
      await old.createQueue('instance-sync', { name: 'instance-sync', policy: 'short' });
      await old.send(
        'instance-sync',
        { credentialId: 'c1' },
        { singletonKey: 'c1', startAfter: 60 },
      );
      await old.stop({ graceful: false, wait: true });
      const p = await startPlane(target);
      try {
        const left = z.object({ rows: z.array(z.object({ n: z.coerce.number() })) }).parse(
          await p.plane.storage.db.execute(
            sql`SELECT (SELECT count(*) FROM pgboss.queue WHERE name = 'instance-sync')
                     + (SELECT count(*) FROM pgboss.job WHERE name = 'instance-sync') AS n`,
          ),
        );
        assert.equal(left.rows[0]?.n, 0);
      } finally {
        await p.close();
      }
    },
  );
});
