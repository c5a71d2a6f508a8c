import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { startDevcloud } from '@cloudplane/devcloud';
import { provider as devcloud } from '@cloudplane/provider-devcloud';
import { defineProvider, type Provider } from '@cloudplane/sdk';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { OfferQuerySchema, offerPageQuery } from '../src/catalog/query.js';
import { startControlPlane, type ControlPlane } from '../src/control-plane.js';
import type { StorageTarget } from '../src/db/open.js';
import { makeLogger } from '../src/logger.js';
import { BUILT_IN_PROVIDERS, providerRegistry } from '../src/providers.js';
import { startThrowawayPostgres } from '../test/helpers/postgres.js';

/**
 * `GET /v1/offers` over HTTP at 100,000 offers across 50 credentials, on embedded PGlite and on
 * PostgreSQL: sequential requests with typical filters and keyset-cursor follow-ups, p50 and p99
 * per filter and overall; then 2,000 requests at once (throughput, p99, errors, RSS); then the
 * plan (EXPLAIN ANALYZE) of each filter's query. The target is p99 <= 10 ms on one node. Prints
 * figures; asserts nothing about time.
 *
 * BENCH_ENGINES=pglite narrows the run; BENCH_CREDENTIALS and BENCH_TYPES size the catalog.
 */

const ENGINES = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',');
const CREDENTIALS = Number(process.env.BENCH_CREDENTIALS ?? 50);
const TYPES = Number(process.env.BENCH_TYPES ?? 2_000);
const ROUNDS = 30;
const TARGET_P99_MS = 10;
/** Requests sent at once in the load phase. */
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 2_000);

/** Typical searches: what a user narrows by, cheapest first. */
const SHAPES: Record<string, string> = {
  'no filter': '',
  'gpu=H100': 'gpu=H100',
  'gpu + count': 'gpu=H100&gpuCount=8',
  'region + available': 'region=eu-central-1&available=true',
  'max price + available': 'maxPrice=3&available=true',
  'gpu + min count + price + available': 'gpu=A100&minGpuCount=2&maxPrice=20&available=true',
  'per-GPU sort, gpu': 'sort=pricePerGpu&gpu=H100',
};

/** Nobody polls during the measurement: syncs are run by the bench, instances are never listed. */
const quietDevcloud = defineProvider({
  ...devcloud,
  pollIntervals: { instanceTypesMs: 86_400_000, instancesMs: 86_400_000 },
}) as Provider;

const Page = z.object({ offers: z.array(z.unknown()), nextCursor: z.string().nullable() });

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function populate(plane: ControlPlane): Promise<void> {
  const cloud = await startDevcloud({ catalogSize: TYPES, seed: 19 });
  try {
    const basePrices = cloud.cloud.offers.map((o) => Number(o.pricePerHour));
    for (let c = 0; c < CREDENTIALS; c++) {
      // Each credential sees its own prices, so that the 50 catalogs interleave when sorted.
      cloud.cloud.offers.forEach((offer, i) => {
        const jitter = 0.8 + (((i * 7919 + c * 104_729) % 1000) / 1000) * 0.4;
        offer.pricePerHour = ((basePrices[i] ?? 1) * jitter).toFixed(3);
      });
      const { id } = await plane.credentials.add({
        provider: 'devcloud',
        name: `bench-${c}`,
        credential: { apiKey: cloud.apiKey, baseUrl: cloud.url },
      });
      const result = await plane.syncer.sync(id);
      if (result.outcome !== 'ok') throw new Error(`sync ${result.outcome}: ${result.reason}`);
    }
  } finally {
    await cloud.close();
  }
}

async function benchOne(engine: string, target: StorageTarget): Promise<void> {
  const plane = await startControlPlane({
    storage: target,
    masterKey: randomBytes(32),
    logger: makeLogger({
      level: 'error',
      destination: new Writable({
        write: (_c, _e, d) => {
          d();
        },
      }),
    }),
    providers: providerRegistry([
      quietDevcloud,
      ...BUILT_IN_PROVIDERS.filter((p) => p.id !== 'devcloud'),
    ]),
  });
  try {
    const t0 = performance.now();
    await populate(plane);
    const offers = CREDENTIALS * TYPES;
    console.log(
      `\n${offers} offers across ${CREDENTIALS} credentials, ${engine} (loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
    const token = plane.firstToken?.token ?? '';
    const get = async (query: string) => {
      const started = performance.now();
      const response = await fetch(`${plane.url}/v1/offers?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}: ${(await response.text()).slice(0, 60)}`);
      }
      const page = Page.parse(await response.json());
      return { ms: performance.now() - started, page };
    };
    for (const query of Object.values(SHAPES)) await get(query); // warm-up
    const all: number[] = [];
    const perShape = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [shape, query] of Object.entries(SHAPES)) {
        const first = await get(query);
        const times = [first.ms];
        // The next page, through the keyset cursor.
        if (first.page.nextCursor !== null) {
          const next = await get(`${query}&cursor=${encodeURIComponent(first.page.nextCursor)}`);
          times.push(next.ms);
        }
        perShape.set(shape, [...(perShape.get(shape) ?? []), ...times]);
        all.push(...times);
      }
    }
    for (const [shape, times] of perShape) {
      console.log(
        `  ${shape.padEnd(38)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms  p99 ${percentile(times, 99).toFixed(1).padStart(6)} ms`,
      );
    }
    const p99 = percentile(all, 99);
    console.log(
      `  ${`all ${all.length} sequential requests`.padEnd(38)} p50 ${percentile(all, 50).toFixed(1).padStart(6)} ms  p99 ${p99.toFixed(1).padStart(6)} ms  target p99 <= ${TARGET_P99_MS} ms: ${p99 <= TARGET_P99_MS ? 'met' : 'MISSED'}`,
    );
    await underLoad(get);
    await explain(plane);
  } finally {
    await plane.close();
  }
}

/**
 * CONCURRENT requests at once, at the default page size, over the shapes in turn: throughput,
 * latency, errors, and the process's RSS before and after (the control plane runs in this
 * process, so that is the server's memory plus the bench's).
 */
async function underLoad(
  get: (query: string) => Promise<{ ms: number; page: z.infer<typeof Page> }>,
): Promise<void> {
  const queries = Object.values(SHAPES);
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const outcomes = await Promise.allSettled(
    Array.from({ length: CONCURRENT }, (_, i) => get(queries[i % queries.length] ?? '')),
  );
  const wall = performance.now() - t0;
  const times = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.ms] : []));
  const errors = outcomes.length - times.length;
  const reasons = new Map<string, number>();
  for (const o of outcomes) {
    if (o.status === 'fulfilled') continue;
    const reason: unknown = o.reason;
    const cause: unknown = reason instanceof Error ? reason.cause : undefined;
    const text =
      reason instanceof Error
        ? `${reason.name}: ${reason.message}${cause instanceof Error ? ` (${cause.message})` : ''}`
        : String(reason);
    reasons.set(text.slice(0, 120), (reasons.get(text.slice(0, 120)) ?? 0) + 1);
  }
  const rssAfter = process.memoryUsage().rss;
  console.log(
    `  ${`${CONCURRENT} concurrent requests`.padEnd(38)} ${(CONCURRENT / (wall / 1000)).toFixed(0)} req/s  p50 ${percentile(times, 50).toFixed(0)} ms  p99 ${percentile(times, 99).toFixed(0)} ms  errors ${errors}  rss ${(rssBefore / 2 ** 20).toFixed(0)} -> ${(rssAfter / 2 ** 20).toFixed(0)} MiB`,
  );
  for (const [reason, n] of reasons) console.log(`    ${n} x ${reason}`);
}

/** The plan of each shape's query, as the database runs it now (indexes named in the plan). */
async function explain(plane: ControlPlane): Promise<void> {
  const db = plane.storage.db;
  for (const [shape, query] of Object.entries(SHAPES)) {
    const parsed = OfferQuerySchema.parse(Object.fromEntries(new URLSearchParams(query)));
    const plan = Plan.parse(
      await db.execute(sql`EXPLAIN (ANALYZE, COSTS OFF) ${offerPageQuery(db, parsed).getSQL()}`),
    );
    console.log(`  plan, ${shape}:`);
    for (const row of plan.rows) console.log(`    ${row['QUERY PLAN']}`);
  }
}

const Plan = z.object({ rows: z.array(z.object({ 'QUERY PLAN': z.string() })) });

console.log(
  `GET /v1/offers: latency over HTTP, ${ROUNDS} rounds of ${Object.keys(SHAPES).length} filters, each with its next page`,
);
for (const engine of ENGINES) {
  const postgres = engine === 'postgres' ? await startThrowawayPostgres() : null;
  try {
    await benchOne(
      engine,
      postgres ? { kind: 'postgres', url: postgres.url } : { kind: 'pglite', dataDir: 'memory' },
    );
  } finally {
    await postgres?.stop();
  }
}
