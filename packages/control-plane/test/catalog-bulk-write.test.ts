import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Offer } from '@cloudplane/devcloud';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { bulkTable, rowJson } from '../src/catalog/bulk.js';
import { catalogChanges, offers } from '../src/db/schema.js';
import { ENGINES, stopClusterAfterAll } from './helpers/storage.js';
import { makeWorld } from './helpers/world.js';

/**
 * The sync's bulk writes: rows serialised by hand as JSON (rowJson), new and returning types
 * written by one upsert in the same sync, and the statistics refresh after a large first sync.
 */

stopClusterAfterAll();

describe('rowJson', () => {
  const CHANGES = bulkTable(catalogChanges, ['id']);

  it('writes every column under its SQL name, with the JSON.stringify encoding of its value', () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    const row = {
      syncId: 7,
      credentialId: 'cred "quoted" \\ back\nslash \u2028 ünïcode',
      typeId: 'eu/zone/type',
      kind: 'price' as const,
      before: { price: '1.500000', currency: 'USD' },
      after: null,
      at,
    };
    assert.deepEqual(JSON.parse(rowJson(CHANGES, row)), {
      sync_id: 7,
      credential_id: row.credentialId,
      type_id: 'eu/zone/type',
      kind: 'price',
      before: { price: '1.500000', currency: 'USD' },
      after: null,
      at: '2026-03-04T05:06:07.089Z',
    });
  });

  it('encodes each instant as itself, however many rows share one', () => {
    const first = new Date('2026-01-01T00:00:00.000Z');
    const second = new Date('2026-01-01T00:00:00.001Z');
    const row = (at: Date) => ({
      syncId: 1,
      credentialId: 'c',
      typeId: 't',
      kind: 'added' as const,
      at,
    });
    const stamps = [first, first, second, first].map(
      (at) => (JSON.parse(rowJson(CHANGES, row(at))) as { at: string }).at,
    );
    assert.deepEqual(stamps, [
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.001Z',
      '2026-01-01T00:00:00.000Z',
    ]);
  });

  it('splices JSON the caller already has, and writes a missing or non-finite value as null', () => {
    const json = rowJson(
      CHANGES,
      { syncId: Number.NaN, credentialId: 'c', typeId: 't', kind: 'spec', at: new Date(0) },
      { after: '{"kept":[1,2,"as is"]}' },
    );
    const parsed = JSON.parse(json) as Record<string, unknown>;
    assert.deepEqual(parsed.after, { kept: [1, 2, 'as is'] });
    assert.equal(parsed.before, null, 'an absent column is null');
    assert.equal(parsed.sync_id, null, 'NaN is not JSON: null, as JSON.stringify writes it');
  });
});

for (const engine of ENGINES) {
  describe(`catalog bulk writes on ${engine}`, () => {
    it('writes new and returning types in one sync, keeping when each was first seen', async () => {
      const world = await makeWorld(engine);
      try {
        const id = await world.addDevcloud();
        const offersNow = world.cloud.cloud.offers;
        // Held back from the first sync: they are new in the third.
        const late = offersNow.splice(0, 2);
        const first = await world.syncer.sync(id);
        assert.equal(first.counts.added, 38);
        const firstSeen = await firstSeenByType(id);
        // Gone in the second sync, back in the third alongside the late ones.
        const gone = offersNow.splice(0, 3);
        const second = await world.syncer.sync(id);
        assert.equal(second.counts.removed, 3);
        offersNow.unshift(...late, ...gone);

        const third = await world.syncer.sync(id);
        assert.equal(third.outcome, 'ok');
        assert.equal(third.counts.added, 5, 'two new types and three returning ones');
        assert.equal(third.counts.rowsWritten, 5);
        const rows = await world.storage.db
          .select()
          .from(offers)
          .where(eq(offers.credentialId, id));
        assert.equal(rows.length, 40);
        const rowOf = (offer: Offer) => {
          const row = rows.find(
            (r) =>
              r.type === offer.name &&
              r.location === offer.region &&
              (r.record.subLocation ?? null) === offer.zone,
          );
          assert.ok(row, `${offer.name} in ${offer.region} is stored`);
          return row;
        };
        for (const offer of [...late, ...gone]) {
          const row = rowOf(offer);
          assert.equal(row.goneAt, null, `${offer.name} is live again`);
          assert.equal(Number(row.price), Number(offer.pricePerHour));
        }
        for (const offer of gone) {
          const row = rowOf(offer);
          assert.equal(
            row.firstSeenAt.getTime(),
            firstSeen.get(row.typeId)?.getTime(),
            `${offer.name} keeps when it was first seen`,
          );
        }
        const firstSyncAt = Math.max(...[...firstSeen.values()].map((d) => d.getTime()));
        for (const offer of late) {
          const row = rowOf(offer);
          assert.equal(firstSeen.has(row.typeId), false, `${offer.name} was not in the first sync`);
          assert.ok(row.firstSeenAt.getTime() > firstSyncAt, `${offer.name} is first seen now`);
        }
        const feed = await world.storage.db
          .select({ kind: catalogChanges.kind })
          .from(catalogChanges)
          .where(eq(catalogChanges.syncId, third.syncId));
        assert.deepEqual(
          feed.map((c) => c.kind),
          ['added', 'added', 'added', 'added', 'added'],
        );
      } finally {
        await world.close();
      }

      async function firstSeenByType(credentialId: string): Promise<Map<string, Date>> {
        const rows = await world.storage.db
          .select({ typeId: offers.typeId, firstSeenAt: offers.firstSeenAt })
          .from(offers)
          .where(eq(offers.credentialId, credentialId));
        return new Map(rows.map((r) => [r.typeId, r.firstSeenAt]));
      }
    });

    it('refreshes the statistics of the searched columns only', async () => {
      // 1,000 rows is where a sync starts refreshing the planner's statistics.
      const world = await makeWorld(engine, { devcloud: { catalogSize: 1_200 } });
      try {
        const id = await world.addDevcloud();
        const first = await world.syncer.sync(id);
        assert.equal(first.counts.rowsWritten, 1_200);
        const result = await world.storage.db.execute(
          sql`SELECT attname FROM pg_stats WHERE schemaname = 'public' AND tablename = 'offers'`,
        );
        const measured = new Set(StatsRows.parse(result).rows.map((r) => r.attname));
        for (const column of ['price', 'gpu_name', 'gpu_count', 'credential_id', 'type_id']) {
          assert.ok(measured.has(column), `${column} has statistics`);
        }
        for (const column of ['record', 'fingerprint', 'type', 'first_seen_at', 'updated_at']) {
          assert.equal(measured.has(column), false, `${column}, which no search reads, is not`);
        }
        const [stored] = await world.storage.db
          .select({ n: sql<number>`count(*)::int` })
          .from(offers)
          .where(eq(offers.credentialId, id));
        assert.equal(stored?.n, 1_200);
      } finally {
        await world.close();
      }
    });
  });
}

const StatsRows = z.object({ rows: z.array(z.object({ attname: z.string() })) });
