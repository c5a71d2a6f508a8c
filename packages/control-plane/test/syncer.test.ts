import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { CatalogSyncer } from '../src/catalog/syncer.js';
import { catalogChanges, credentials, offers, syncs } from '../src/db/schema.js';
import { ENGINES, stopClusterAfterAll } from './helpers/storage.js';
import { makeWorld } from './helpers/world.js';

stopClusterAfterAll();

for (const engine of ENGINES) {
  describe(`catalog syncer on ${engine}`, () => {
    it('stores the catalog on the first sync and writes nothing when nothing changed', async () => {
      const world = await makeWorld(engine);
      try {
        const id = await world.addDevcloud();
        const first = await world.syncer.sync(id);
        assert.equal(first.outcome, 'ok');
        assert.equal(first.counts.fetched, 40);
        assert.equal(first.counts.added, 40);
        assert.equal(first.counts.rowsWritten, 40);
        const rows = await world.storage.db
          .select()
          .from(offers)
          .where(eq(offers.credentialId, id));
        assert.equal(rows.length, 40);
        const h100 = rows.find((r) => r.type === 'dc.h100x8.sxm');
        assert.ok(h100, 'the 8x H100 type is stored');
        assert.equal(h100.gpuName, 'H100');
        assert.equal(h100.gpuCount, 8);
        assert.equal(h100.gpuMemoryGiB, 80);
        assert.equal(h100.provider, 'devcloud');

        const before = rows.map((r) => [r.typeId, r.updatedAt.getTime()]);
        const second = await world.syncer.sync(id);
        assert.equal(second.outcome, 'ok');
        assert.equal(second.counts.rowsWritten, 0);
        assert.equal(second.counts.added + second.counts.removed, 0);
        const after = await world.storage.db
          .select()
          .from(offers)
          .where(eq(offers.credentialId, id));
        assert.deepEqual(after.map((r) => [r.typeId, r.updatedAt.getTime()]).sort(), before.sort());
        const [cred] = await world.storage.db
          .select()
          .from(credentials)
          .where(eq(credentials.id, id));
        assert.equal(cred?.syncState, 'ok');
        assert.ok(cred.lastGoodSyncAt);
      } finally {
        await world.close();
      }
    });

    it('records price and availability changes in the feed and updates only those rows', async () => {
      const world = await makeWorld(engine);
      try {
        const id = await world.addDevcloud();
        await world.syncer.sync(id);
        const target = world.cloud.cloud.offers[0];
        assert.ok(target);
        const oldPrice = target.pricePerHour;
        const newPrice = (Number(oldPrice) * 1.5).toFixed(3);
        await world.setPrices([{ name: target.name, price_per_hour: newPrice }]);
        const result = await world.syncer.sync(id);
        assert.equal(result.outcome, 'ok');
        assert.equal(result.counts.priceChanged, 1);
        assert.equal(result.counts.rowsWritten, 1);
        const changes = await world.storage.db
          .select()
          .from(catalogChanges)
          .where(eq(catalogChanges.syncId, result.syncId));
        assert.equal(changes.length, 1);
        assert.equal(changes[0]?.kind, 'price');
        assert.equal(Number(changes[0].before?.price), Number(oldPrice));
        assert.equal(Number(changes[0].after?.price), Number(newPrice));
      } finally {
        await world.close();
      }
    });

    it('finds every change between unchanged re-syncs, whose fetched list it knows by identity', async () => {
      const world = await makeWorld(engine);
      try {
        const id = await world.addDevcloud();
        await world.syncer.sync(id);
        const quiet = async (types = 40) => {
          const result = await world.syncer.sync(id);
          assert.equal(result.outcome, 'ok');
          const { fetched, added, removed, priceChanged, availabilityChanged, otherChanged } =
            result.counts;
          assert.equal(fetched, types);
          assert.equal(added + removed + priceChanged + availabilityChanged + otherChanged, 0);
          assert.equal(result.counts.rowsWritten, 0);
        };
        await quiet();
        const target = world.cloud.cloud.offers[3];
        assert.ok(target && target.capacity > 0);
        const capacity = target.capacity;
        target.capacity = 0;
        const drained = await world.syncer.sync(id);
        assert.equal(drained.counts.availabilityChanged, 1);
        assert.equal(drained.counts.rowsWritten, 1);
        await quiet();
        target.capacity = capacity;
        assert.equal((await world.syncer.sync(id)).counts.availabilityChanged, 1);
        await quiet();
        const gone = world.cloud.cloud.offers.pop();
        assert.ok(gone);
        assert.equal((await world.syncer.sync(id)).counts.removed, 1);
        await quiet(39);
        world.cloud.cloud.offers.push(gone);
        assert.equal((await world.syncer.sync(id)).counts.added, 1);
        const back = (
          await world.storage.db.select().from(offers).where(eq(offers.credentialId, id))
        ).filter((row) => row.type === gone.name && row.location === gone.region);
        assert.equal(back.filter((row) => row.goneAt === null).length, back.length);
        await quiet();
      } finally {
        await world.close();
      }
    });

    it('keeps a type that disappears, unavailable with a timestamp', async () => {
      const world = await makeWorld(engine);
      try {
        const id = await world.addDevcloud();
        await world.syncer.sync(id);
        const removed = world.cloud.cloud.offers.splice(0, 3);
        const result = await world.syncer.sync(id);
        assert.equal(result.outcome, 'ok');
        assert.equal(result.counts.removed, 3);
        const rows = await world.storage.db
          .select()
          .from(offers)
          .where(eq(offers.credentialId, id));
        assert.equal(rows.length, 40, 'no row is deleted');
        for (const offer of removed) {
          const row = rows.find((r) => r.type === offer.name);
          assert.ok(row?.goneAt instanceof Date, `${offer.name} has gone_at`);
          assert.equal(row.available, false);
        }
        world.cloud.cloud.offers.unshift(...removed);
        const back = await world.syncer.sync(id);
        assert.equal(back.counts.added, 3, 'returning types are added again');
      } finally {
        await world.close();
      }
    });

    it('refuses an implausible sync and keeps the last good catalog', async () => {
      const world = await makeWorld(engine);
      try {
        const id = await world.addDevcloud();
        await world.syncer.sync(id);
        const kept = world.cloud.cloud.offers.splice(0, 30);
        const vanished = await world.syncer.sync(id);
        assert.equal(vanished.outcome, 'implausible');
        assert.match(vanished.reason ?? '', /30 of 40 instance types vanished/);
        const live = await world.storage.db
          .select()
          .from(offers)
          .where(eq(offers.credentialId, id));
        assert.equal(live.filter((r) => r.goneAt === null).length, 40);
        const [cred] = await world.storage.db
          .select()
          .from(credentials)
          .where(eq(credentials.id, id));
        assert.equal(cred?.syncState, 'degraded');
        assert.match(cred.syncReason ?? '', /vanished/);
        world.cloud.cloud.offers.unshift(...kept);

        const target = world.cloud.cloud.offers[0];
        assert.ok(target);
        await world.setPrices([
          { name: target.name, price_per_hour: (Number(target.pricePerHour) * 50).toFixed(3) },
        ]);
        const jump = await world.syncer.sync(id);
        assert.equal(jump.outcome, 'implausible');
        assert.match(jump.reason ?? '', /moved from .* \(more than 10x\)/);

        // The operator confirms the provider really did it: the change is applied.
        const accepted = await world.syncer.sync(id, { acceptImplausible: true });
        assert.equal(accepted.outcome, 'ok');
        assert.equal(accepted.counts.priceChanged, 1);
        const [healed] = await world.storage.db
          .select()
          .from(credentials)
          .where(eq(credentials.id, id));
        assert.equal(healed?.syncState, 'ok');
      } finally {
        await world.close();
      }
    });

    it('marks the credential degraded when the provider fails, and recovers', async () => {
      const world = await makeWorld(engine);
      try {
        const id = await world.addDevcloud();
        await world.syncer.sync(id);
        world.cloud.faults.replace({
          rules: [{ endpoint: 'listInstanceTypes', kind: 'error', status: 503 }],
        });
        const failed = await world.syncer.sync(id);
        assert.equal(failed.outcome, 'failed');
        assert.match(failed.reason ?? '', /SERVICE_UNAVAILABLE/);
        const [cred] = await world.storage.db
          .select()
          .from(credentials)
          .where(eq(credentials.id, id));
        assert.equal(cred?.syncState, 'degraded');
        const rows = await world.storage.db.select().from(syncs).where(eq(syncs.credentialId, id));
        assert.deepEqual(
          rows.map((r) => r.outcome),
          ['ok', 'failed'],
        );
        world.cloud.faults.replace({ rules: [] });
        const ok = await world.syncer.sync(id);
        assert.equal(ok.outcome, 'ok');
        const [healed] = await world.storage.db
          .select()
          .from(credentials)
          .where(eq(credentials.id, id));
        assert.equal(healed?.syncState, 'ok');
        assert.equal(healed.syncReason, null);
      } finally {
        await world.close();
      }
    });

    it('waits out a rate limit (Retry-After) and gives up on a provider that does not answer', async () => {
      const world = await makeWorld(engine, { syncer: { timeoutMs: 1_500 } });
      try {
        const id = await world.addDevcloud();
        world.cloud.faults.replace({
          rules: [
            { endpoint: 'listInstanceTypes', kind: 'rate-limit', retryAfterSeconds: 1, times: 1 },
          ],
        });
        const limited = await world.syncer.sync(id);
        assert.equal(limited.outcome, 'ok', 'the sync succeeds after the Retry-After');
        assert.equal(limited.counts.added, 40);

        world.cloud.faults.replace({
          rules: [{ endpoint: 'listInstanceTypes', kind: 'latency', latencyMs: 5_000 }],
        });
        const slow = await world.syncer.sync(id);
        assert.equal(slow.outcome, 'failed');
        assert.match(slow.reason ?? '', /1500 ms|SERVICE_UNAVAILABLE/);
        const live = await world.storage.db
          .select()
          .from(offers)
          .where(eq(offers.credentialId, id));
        assert.equal(live.filter((r) => r.goneAt === null).length, 40, 'the catalog is kept');
      } finally {
        await world.close();
      }
    });

    it('diffs against what another node last wrote, not what this node remembers', async () => {
      const world = await makeWorld(engine);
      try {
        const id = await world.addDevcloud();
        const otherNode = new CatalogSyncer({
          db: world.storage.db,
          credentials: world.store,
          logger: world.logger,
        });
        await world.syncer.sync(id);
        const target = world.cloud.cloud.offers[0];
        assert.ok(target);
        const first = target.pricePerHour;
        const second = (Number(first) * 1.5).toFixed(3);
        await world.setPrices([{ name: target.name, price_per_hour: second }]);
        assert.equal((await otherNode.sync(id)).counts.priceChanged, 1);
        // Back to the first price: this node last saw it, but the other node changed it since.
        await world.setPrices([{ name: target.name, price_per_hour: first }]);
        const back = await world.syncer.sync(id);
        assert.equal(back.counts.priceChanged, 1);
        const [change] = await world.storage.db
          .select()
          .from(catalogChanges)
          .where(eq(catalogChanges.syncId, back.syncId));
        assert.equal(Number(change?.before?.price), Number(second));
        // Remembered and read prices are one text: the feed reads the same either way.
        await world.setPrices([{ name: target.name, price_per_hour: second }]);
        const again = await world.syncer.sync(id);
        const [remembered] = await world.storage.db
          .select()
          .from(catalogChanges)
          .where(eq(catalogChanges.syncId, again.syncId));
        assert.equal(remembered?.before?.price, Number(first).toFixed(6));
      } finally {
        await world.close();
      }
    });

    it('records a change once when two syncs of a credential run at once', async () => {
      const world = await makeWorld(engine);
      try {
        const id = await world.addDevcloud();
        await world.syncer.sync(id);
        const target = world.cloud.cloud.offers[0];
        assert.ok(target);
        const price = (Number(target.pricePerHour) * 2).toFixed(3);
        await world.setPrices([{ name: target.name, price_per_hour: price }]);
        const both = await Promise.all([world.syncer.sync(id), world.syncer.sync(id)]);
        assert.deepEqual(
          both.map((r) => r.outcome),
          ['ok', 'ok'],
        );
        const changes = await world.storage.db
          .select()
          .from(catalogChanges)
          .where(eq(catalogChanges.credentialId, id));
        assert.equal(changes.filter((c) => c.kind === 'price').length, 1);
      } finally {
        await world.close();
      }
    });
  });
}
