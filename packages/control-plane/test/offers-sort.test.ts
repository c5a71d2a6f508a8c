import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  OfferQuerySchema,
  offerPageQuery,
  searchOffers,
  type OfferRecord,
  type OfferSort,
} from '../src/catalog/query.js';
import { ControlPlaneError } from '../src/errors.js';
import type { Db } from '../src/db/open.js';
import { startPlane, type Plane } from './helpers/plane.js';
import { ENGINES, stopClusterAfterAll } from './helpers/storage.js';
import { makeWorld, type World } from './helpers/world.js';

/**
 * `GET /v1/offers?sort=price|pricePerGpu`: each sort's keyset cursor walks every offer once in
 * order, ties included, whatever the page size; a cursor of one sort is refused under the other;
 * price searches are served by their indexes, on PGlite and on PostgreSQL. The per-GPU order has
 * no index: the database path serves only while a node's catalog view loads.
 */

stopClusterAfterAll();

const MICRO = 1_000_000n;

/** A decimal with at most six places, in millionths (exact, unlike a float). */
function micros(decimal: string): bigint {
  const [whole = '0', fraction = ''] = decimal.split('.');
  return BigInt(whole) * MICRO + BigInt(fraction.padEnd(6, '0').slice(0, 6));
}

/** The per-GPU key as the index defines it: price / GPUs, rounded half up to six places. */
function perGpuMicros(offer: OfferRecord): bigint {
  const price = micros(offer.price);
  const gpus = BigInt(offer.gpuCount);
  return gpus > 0n ? (2n * price + gpus) / (2n * gpus) : price;
}

function keyOf(sort: OfferSort, offer: OfferRecord): bigint {
  return sort === 'price' ? micros(offer.price) : perGpuMicros(offer);
}

const idOf = (o: OfferRecord) => `${o.credentialId}/${o.typeId}`;

/** Every live offer, page by page with `limit`, following nextCursor. */
async function walk(db: Db, sort: OfferSort, limit: number): Promise<OfferRecord[]> {
  const seen: OfferRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await searchOffers(
      db,
      OfferQuerySchema.parse({ sort, limit: String(limit), cursor }),
    );
    assert.ok(page.offers.length <= limit);
    seen.push(...page.offers);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return seen;
}

/** How many offers share their sort key with the offer before them. */
function tiesIn(sort: OfferSort, list: readonly OfferRecord[]): number {
  return list.filter((o, i) => i > 0 && keyOf(sort, o) === keyOf(sort, list[i - 1] as OfferRecord))
    .length;
}

/** What EXPLAIN answers, on pg and PGlite alike: one text row per plan line. */
const Plan = z.object({ rows: z.array(z.object({ 'QUERY PLAN': z.string() })) });

for (const engine of ENGINES) {
  describe(`offer sorts on ${engine}`, () => {
    let world: World;
    let total = 0;

    before(async () => {
      world = await makeWorld(engine);
      // Two credentials on one cloud list the same types at the same prices: exact ties, broken
      // by credential. Repricing three types to 2.00 per GPU ties them across GPU counts.
      const first = await world.addDevcloud('dev-a');
      const second = await world.addDevcloud('dev-b');
      const types = world.cloud.cloud.offers;
      const byGpus = (n: number) => types.find((o) => o.gpuCount === n);
      const tied = [byGpus(1), byGpus(2), byGpus(8)].filter((o) => o !== undefined);
      assert.equal(tied.length, 3, 'devcloud has 1-, 2- and 8-GPU types');
      await world.setPrices(
        tied.map((o) => ({ name: o.name, price_per_hour: (2 * o.gpuCount).toFixed(2) })),
      );
      for (const id of [first, second]) assert.equal((await world.syncer.sync(id)).outcome, 'ok');
      total = 2 * types.length;
    });

    after(async () => {
      await world.close();
    });

    for (const sort of ['price', 'pricePerGpu'] as const) {
      it(`sort=${sort}: every offer once, in order, the same for any page size`, async () => {
        const whole = await walk(world.storage.db, sort, 500);
        assert.equal(whole.length, total);
        assert.equal(new Set(whole.map(idOf)).size, total, 'no offer twice');
        for (let i = 1; i < whole.length; i++) {
          const [a, b] = [whole[i - 1] as OfferRecord, whole[i] as OfferRecord];
          assert.ok(keyOf(sort, a) <= keyOf(sort, b), `${idOf(a)} before ${idOf(b)}`);
        }
        assert.ok(tiesIn(sort, whole) >= total / 2, 'the data has ties to break');
        for (const limit of [1, 3, 7]) {
          const paged = await walk(world.storage.db, sort, limit);
          assert.deepEqual(paged.map(idOf), whole.map(idOf), `pages of ${String(limit)}`);
        }
      });
    }

    it('puts the offers tied at 2.00 per GPU together, whatever their GPU count', async () => {
      const whole = await walk(world.storage.db, 'pricePerGpu', 500);
      const counts = whole.filter((o) => perGpuMicros(o) === 2n * MICRO).map((o) => o.gpuCount);
      for (const n of [1, 2, 8]) assert.ok(counts.includes(n), `${String(n)}-GPU type at 2.00`);
    });

    it('refuses a cursor of one sort under the other, naming the sort it pages', async () => {
      const db = world.storage.db;
      for (const [from, to] of [
        ['price', 'pricePerGpu'],
        ['pricePerGpu', 'price'],
      ] as const) {
        const page = await searchOffers(db, OfferQuerySchema.parse({ sort: from, limit: '5' }));
        assert.ok(page.nextCursor);
        const query = OfferQuerySchema.parse({ sort: to, cursor: page.nextCursor });
        await assert.rejects(searchOffers(db, query), (err: unknown) => {
          assert.ok(err instanceof ControlPlaneError);
          assert.equal(err.status, 400);
          assert.equal(err.code, 'request/bad-cursor');
          assert.match(err.message, new RegExp(`sorted by ${from}.*sort=${from}`));
          return true;
        });
      }
    });

    it('reads a cursor issued before sorts existed as a price cursor', async () => {
      const db = world.storage.db;
      const [third] = (await walk(db, 'price', 500)).slice(2, 3);
      assert.ok(third);
      const old = Buffer.from(
        JSON.stringify({ p: third.price, c: third.credentialId, t: third.typeId }),
      ).toString('base64url');
      const page = await searchOffers(db, OfferQuerySchema.parse({ cursor: old, limit: '500' }));
      assert.equal(page.offers.length, total - 3);
    });

    it('serves price searches, with and without a GPU, from their indexes', async () => {
      const cases = [
        [{}, 'offers_search_price_idx'],
        [{ gpu: 'H100' }, 'offers_gpu_price_idx'],
      ] as const;
      for (const [query, index] of cases) {
        const plan = await world.storage.db.transaction(async (tx) => {
          // Tiny tables are cheaper to scan; forbidding that shows whether the index can serve.
          await tx.execute(sql`SET LOCAL enable_seqscan = off`);
          const page = offerPageQuery(tx, OfferQuerySchema.parse(query));
          const result = await tx.execute(sql`EXPLAIN ${page}`);
          return Plan.parse(result).rows.map((r) => r['QUERY PLAN']);
        });
        const text = plan.join('\n');
        assert.match(text, new RegExp(index), text);
        assert.doesNotMatch(text, /\bSort\b/, `no sort step:\n${text}`);
      }
    });
  });
}

describe('GET /v1/offers?sort and GET /v1/catalog/regions', () => {
  let p: Plane;
  const Page = z.object({
    offers: z.array(
      z.object({
        typeId: z.string(),
        provider: z.string(),
        region: z.string(),
        gpu: z.object({ count: z.number() }),
        price: z.object({ perHour: z.string() }),
      }),
    ),
    nextCursor: z.string().nullable(),
  });
  const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

  before(async () => {
    p = await startPlane();
    await p.until(
      async () => Page.parse(await (await p.call('/v1/offers?limit=1')).json()).offers.length > 0,
      'the first sync',
    );
  });
  after(async () => {
    await p.close();
  });

  it('pages by price per GPU and refuses the cursor under sort=price', async () => {
    const seen: z.infer<typeof Page>['offers'] = [];
    let cursor: string | null = null;
    let firstCursor: string | null = null;
    do {
      const response = await p.call(
        `/v1/offers?sort=pricePerGpu&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.equal(response.status, 200);
      const page = Page.parse(await response.json());
      seen.push(...page.offers);
      cursor = page.nextCursor;
      firstCursor ??= cursor;
    } while (cursor !== null);
    assert.equal(new Set(seen.map((o) => o.typeId)).size, 40);
    const perGpu = seen.map((o) => Number(o.price.perHour) / Math.max(1, o.gpu.count));
    for (let i = 1; i < perGpu.length; i++) {
      assert.ok((perGpu[i - 1] ?? 0) <= (perGpu[i] ?? 0) + 1e-6, `offer ${String(i)} in order`);
    }

    assert.ok(firstCursor);
    const refused = await p.call(`/v1/offers?sort=price&cursor=${firstCursor}`);
    assert.equal(refused.status, 400);
    const body = ErrorBody.parse(await refused.json());
    assert.equal(body.error.code, 'request/bad-cursor');
    assert.match(body.error.message, /sorted by pricePerGpu/);
    const unknown = await p.call('/v1/offers?sort=cheapest');
    assert.equal(unknown.status, 400);
    assert.equal(ErrorBody.parse(await unknown.json()).error.code, 'request/invalid');
  });

  it('lists each provider and region on offer, with their live offer counts', async () => {
    const response = await p.call('/v1/catalog/regions');
    assert.equal(response.status, 200);
    const { regions } = z
      .object({
        regions: z.array(
          z.object({ provider: z.string(), region: z.string(), offers: z.number() }),
        ),
      })
      .parse(await response.json());
    const all = Page.parse(await (await p.call('/v1/offers?limit=500')).json()).offers;
    const expected = new Map<string, number>();
    for (const o of all) {
      const key = `${o.provider}/${o.region}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    assert.deepEqual(
      new Map(regions.map((r) => [`${r.provider}/${r.region}`, r.offers])),
      expected,
    );
    assert.ok(regions.length > 1, 'devcloud offers more than one region');
  });
});
