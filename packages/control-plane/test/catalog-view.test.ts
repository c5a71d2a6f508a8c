import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CloudError } from '@cloudplane/sdk';
import fc from 'fast-check';
import { z } from 'zod';
import {
  OfferQuerySchema,
  offerPageFromDatabase,
  offerRegions,
  type OfferQuery,
} from '../src/catalog/query.js';
import { trimDecimal } from '../src/api/dto.js';
import { CatalogView } from '../src/catalog/view.js';
import { startControlPlane, type ControlPlane } from '../src/control-plane.js';
import { offers } from '../src/db/schema.js';
import { StoreVersions } from '../src/db/versions.js';
import { CapacityMemory } from '../src/instances/capacity.js';
import { makeLogger } from '../src/logger.js';
import { fastRegistry, startPlane, type Plane } from './helpers/plane.js';
import { ENGINES, freshTarget, stopClusterAfterAll } from './helpers/storage.js';
import { makeWorld, type World } from './helpers/world.js';

/**
 * The catalog view answers every search as the database does (filters, both sorts, cursors,
 * capacity marks, gone offers), and follows every change at once: a sync, a capacity mark, a
 * credential removed. On PGlite and on PostgreSQL; and across two nodes on one PostgreSQL, where
 * a node answers with what the other committed just before, tokens revoked included.
 */

stopClusterAfterAll();

/** The view's page, parsed, beside the database's. */
async function bothPages(
  world: World,
  view: CatalogView,
  versions: StoreVersions,
  capacity: CapacityMemory,
  query: OfferQuery,
) {
  const fromView = await view.page(query, await versions.current());
  assert.ok(fromView, 'the view has loaded');
  const viewPage = {
    offers: fromView.offers.map((parts) => JSON.parse(Buffer.concat(parts).toString()) as unknown),
    nextCursor: fromView.nextCursor,
  };
  // Through JSON, as the API sends it.
  const dbPage = JSON.parse(
    JSON.stringify(await offerPageFromDatabase(world.storage.db, capacity, query)),
  ) as unknown;
  return { viewPage, dbPage };
}

/** Every page of `input` from both, following each one's own cursor. */
async function assertSameWalk(
  world: World,
  view: CatalogView,
  versions: StoreVersions,
  capacity: CapacityMemory,
  input: Record<string, string>,
  maxPages = 4,
): Promise<void> {
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const query = OfferQuerySchema.parse({ ...input, ...(cursor ? { cursor } : {}) });
    const { viewPage, dbPage } = await bothPages(world, view, versions, capacity, query);
    assert.deepEqual(viewPage, dbPage, `page ${String(page + 1)} of ${JSON.stringify(input)}`);
    cursor = viewPage.nextCursor ?? undefined;
    if (cursor === undefined) return;
  }
}

for (const engine of ENGINES) {
  describe(`catalog view on ${engine}`, () => {
    let world: World;
    let view: CatalogView;
    let versions: StoreVersions;
    let stopListening: () => Promise<void>;
    let capacity: CapacityMemory;
    let credentialIds: string[];
    let values: { gpus: string[]; regions: string[]; formFactors: string[]; prices: string[] };

    before(async () => {
      world = await makeWorld(engine, { devcloud: { catalogSize: 90 } });
      capacity = new CapacityMemory(world.storage.db, 60_000);
      const store = await StoreVersions.open(world.storage);
      stopListening = store.close;
      versions = store.versions;
      view = new CatalogView(world.storage.db, world.logger);
      const catalog = world.cloud.cloud.offers;
      const base = catalog.map((o) => o.pricePerHour);
      credentialIds = [];
      // Three credentials: the same prices (ties across credentials), then other prices.
      for (const [c, factor] of [1, 1, 1.37].entries()) {
        catalog.forEach((o, i) => {
          o.pricePerHour = (Number(base[i]) * factor).toFixed(6);
        });
        const id = await world.addDevcloud(`dev-${String(c)}`);
        assert.equal((await world.syncer.sync(id)).outcome, 'ok');
        credentialIds.push(id);
      }
      // Some types gone from the last credential's catalog.
      const removed = catalog.splice(0, 7);
      const last = credentialIds[2] ?? '';
      assert.equal((await world.syncer.sync(last)).outcome, 'ok');
      catalog.unshift(...removed);
      // CPU-only offers (no GPU model, a count of 0), which devcloud's catalog has none of: the
      // view keeps them in no model's list, and `gpuCount=0` or `minGpuCount=0` must find them.
      const [template] = await world.storage.db.select().from(offers).limit(1);
      assert.ok(template);
      await world.storage.db.insert(offers).values(
        ['0.5', '1.25', '3'].map((price, i) => ({
          ...template,
          typeId: `cpu-only-${String(i)}`,
          gpuName: null,
          gpuCount: 0,
          gpuMemoryGiB: null,
          gpuFormFactor: null,
          price,
        })),
      );
      const rows = await world.storage.db.select().from(offers);
      values = {
        gpus: [...new Set(rows.map((r) => r.gpuName).filter((g) => g !== null))],
        regions: [...new Set(rows.map((r) => r.location))],
        formFactors: [...new Set(rows.map((r) => r.gpuFormFactor).filter((f) => f !== null))],
        // Bounds equal to a stored price find off-by-one comparisons.
        prices: rows.slice(0, 50).map((r) => r.price),
      };
      const [first, second] = rows;
      assert.ok(first && second);
      const refusal = (scope: 'offer' | 'location' | 'provider') =>
        new CloudError('INSUFFICIENT_CAPACITY', { message: 'sold out', scope });
      const labels = { provider: 'devcloud', gpu: null };
      await capacity.remember(first, refusal('offer'), 'sold out', labels);
      await capacity.remember(
        { ...second, credentialId: credentialIds[1] ?? '' },
        refusal('location'),
        'sold out',
        labels,
      );
      await view.warm(await versions.current());
    });

    after(async () => {
      await stopListening();
      await world.close();
    });

    it('answers any search as the database does, page after page', async () => {
      const decimal = fc.oneof(
        fc.constantFrom(...values.prices),
        fc
          .integer({ min: 0, max: 60_000_000 })
          .map((m) => (m / 1_000_000).toFixed(m % 3 === 0 ? 2 : 6)),
      );
      const filters = {
        gpu: fc.constantFrom(...values.gpus, 'h100', 'rtx 4090', 'NOPE9000'),
        gpuCount: fc.integer({ min: 0, max: 8 }).map(String),
        minGpuCount: fc.integer({ min: 0, max: 8 }).map(String),
        minGpuMemoryGiB: fc.integer({ min: 1, max: 100 }).map(String),
        formFactor: fc.constantFrom(...values.formFactors, 'sxm5', 'nope'),
        minVcpu: fc.integer({ min: 1, max: 128 }).map(String),
        minMemoryGiB: fc.integer({ min: 1, max: 1024 }).map(String),
        region: fc.constantFrom(...values.regions, 'nowhere-1'),
        provider: fc.constantFrom('devcloud', 'lambda'),
        currency: fc.constantFrom('USD', 'usd', 'EUR'),
        minPrice: decimal,
        maxPrice: decimal,
        available: fc.constantFrom('true', 'false'),
        includeGone: fc.constantFrom('true', 'false'),
        sort: fc.constantFrom('price', 'pricePerGpu'),
        // Short pages test the cursors; long ones reach the far end of the order.
        limit: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.constantFrom(100, 500)).map(String),
      };
      const search = fc.record(filters);
      // A few filters at a time, so that searches find rows and their edges.
      const narrowed = fc
        .tuple(search, fc.shuffledSubarray(Object.keys(filters), { maxLength: 4 }))
        .map(([all, keys]) =>
          Object.fromEntries(Object.entries(all).filter(([key]) => keys.includes(key))),
        );
      await fc.assert(
        fc.asyncProperty(narrowed, async (input) => {
          await assertSameWalk(world, view, versions, capacity, input);
        }),
        { numRuns: 150 },
      );
    });

    it('walks the whole catalog in both sorts, gone offers included, as the database does', async () => {
      for (const sort of ['price', 'pricePerGpu']) {
        for (const limit of ['1', '7', '500']) {
          await assertSameWalk(
            world,
            view,
            versions,
            capacity,
            { sort, limit, includeGone: 'true' },
            400,
          );
        }
      }
    });

    it("takes the other path's cursor", async () => {
      const query = OfferQuerySchema.parse({ limit: '5', sort: 'pricePerGpu' });
      const fromDb = await offerPageFromDatabase(world.storage.db, capacity, query);
      assert.ok(fromDb.nextCursor);
      const next = OfferQuerySchema.parse({
        limit: '5',
        sort: 'pricePerGpu',
        cursor: fromDb.nextCursor,
      });
      const { viewPage, dbPage } = await bothPages(world, view, versions, capacity, next);
      assert.deepEqual(viewPage, dbPage);
      assert.equal(viewPage.offers.length, 5);
    });

    it('follows a sync, a capacity mark and a removed credential at once', async () => {
      const everything = { limit: '500', includeGone: 'true' };
      const catalog = world.cloud.cloud.offers;
      for (const o of catalog.slice(0, 20))
        o.pricePerHour = (Number(o.pricePerHour) + 0.5).toFixed(6);
      const gone = catalog.splice(30, 5);
      const [first, second] = credentialIds;
      assert.ok(first && second);
      assert.equal((await world.syncer.sync(first)).outcome, 'ok');
      await assertSameWalk(world, view, versions, capacity, everything, 10);
      catalog.push(...gone);
      assert.equal((await world.syncer.sync(first)).outcome, 'ok');
      await assertSameWalk(world, view, versions, capacity, everything, 10);

      const [row] = await world.storage.db.select().from(offers);
      assert.ok(row);
      await capacity.remember(
        row,
        new CloudError('INSUFFICIENT_CAPACITY', { message: 'gone', scope: 'provider' }),
        'gone',
        {
          provider: 'devcloud',
          gpu: null,
        },
      );
      await assertSameWalk(
        world,
        view,
        versions,
        capacity,
        { available: 'false', limit: '500' },
        10,
      );
      await capacity.clear(row);
      await assertSameWalk(
        world,
        view,
        versions,
        capacity,
        { available: 'true', limit: '500' },
        10,
      );

      const sameRegions = async () => {
        assert.deepEqual(
          await view.regions(await versions.current()),
          await offerRegions(world.storage.db),
        );
      };
      await sameRegions();
      const before = view.size;
      await world.store.remove(second);
      await assertSameWalk(world, view, versions, capacity, everything, 10);
      assert.ok(view.size < before, 'the removed credential left the view');
      await sameRegions();
    });

    it('answers null until it has loaded, so that the database serves meanwhile', async () => {
      const cold = new CatalogView(world.storage.db, world.logger);
      const query = OfferQuerySchema.parse({});
      assert.equal(await cold.page(query, await versions.current()), null);
      await cold.warm(await versions.current());
      assert.ok(await cold.page(query, await versions.current()));
      assert.equal(cold.size, view.size);
    });
  });
}

describe('two nodes on one postgres: each answers with what the other just wrote', () => {
  let first: Plane;
  let second: ControlPlane;

  before(async () => {
    const target = await freshTarget('postgres');
    const masterKey = randomBytes(32);
    first = await startPlane(target, masterKey);
    second = await startControlPlane({
      storage: target,
      masterKey,
      logger: makeLogger({ level: 'silent' }),
      providers: fastRegistry(),
      jobPollingIntervalSeconds: 0.5,
    });
  });
  after(async () => {
    await second.close();
    await first.close();
  });

  const onSecond = (path: string, token: string) =>
    fetch(`${second.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const Page = z.object({
    offers: z.array(z.object({ price: z.object({ perHour: z.string() }) })),
  });
  const prices = async (token: string) =>
    Page.parse(await (await onSecond('/v1/offers?limit=500&sort=price', token)).json()).offers.map(
      (o) => o.price.perHour,
    );

  it("serves the first node's sync, and its removal of the credential, at once", async () => {
    assert.equal((await first.plane.syncer.sync(first.credentialId)).outcome, 'ok');
    const count = await first.plane.offerCount(first.credentialId);
    assert.ok(count > 0);
    assert.equal((await prices(first.token)).length, count);

    const cheapest = [...first.cloud.cloud.offers].sort(
      (a, b) => Number(a.pricePerHour) - Number(b.pricePerHour),
    )[0];
    assert.ok(cheapest);
    // A little cheaper still (a large drop would be refused as implausible).
    cheapest.pricePerHour = (Number(cheapest.pricePerHour) * 0.97).toFixed(6);
    assert.equal((await first.plane.syncer.sync(first.credentialId)).outcome, 'ok');
    assert.equal((await prices(first.token))[0], trimDecimal(cheapest.pricePerHour));

    await first.plane.credentials.remove(first.credentialId);
    assert.deepEqual(await prices(first.token), []);
  });

  it('refuses a token the first node revoked, on its next request', async () => {
    const made = await first.plane.tokens.create('short-lived', first.plane.firstAdmin.id);
    assert.equal((await onSecond('/v1/offers', made.token)).status, 200);
    assert.equal((await onSecond('/v1/offers', made.token)).status, 200); // now from memory
    await first.plane.tokens.revoke(made.id);
    assert.equal((await onSecond('/v1/offers', made.token)).status, 401);
    assert.equal((await onSecond('/v1/offers', first.token)).status, 200);
  });
});
