import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startDevcloud } from '@cloudplane/devcloud';
import { provider as devcloud } from '@cloudplane/provider-devcloud';
import { defineProvider, type Provider } from '@cloudplane/sdk';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { OfferQuerySchema, offerPageQuery } from '../src/catalog/query.js';
import { CatalogView } from '../src/catalog/view.js';
import { startControlPlane, type ControlPlane } from '../src/control-plane.js';
import { StoreVersions } from '../src/db/versions.js';
import type { StorageTarget } from '../src/db/open.js';
import { startFrontProxy, type FrontProxy } from '../test/helpers/haproxy.js';
import { onEachEngine } from './engines.js';
import { cpuMsOfProcesses } from './proc-cpu.js';
import { makeLogger } from '../src/logger.js';
import { BUILT_IN_PROVIDERS, providerRegistry } from '../src/providers.js';

/**
 * `GET /v1/offers` over HTTP at 100,000 offers across 50 credentials, on embedded PGlite and on
 * PostgreSQL: how long a cold node's catalog view takes to load; sequential requests with typical
 * filters and keyset-cursor follow-ups, p50 and p99 per filter and overall (target p99 <= 10 ms);
 * then 2,000 requests in flight at once from a client process (target: 2,000 req/s, p99 under
 * 1 s, no errors); then the plan (EXPLAIN ANALYZE) of each filter's query on the database path,
 * which serves while a node's view loads. Prints figures; asserts nothing about time.
 *
 * BENCH_ENGINES=pglite narrows the run; BENCH_CREDENTIALS and BENCH_TYPES size the catalog.
 */

const CREDENTIALS = Number(process.env.BENCH_CREDENTIALS ?? 50);
const TYPES = Number(process.env.BENCH_TYPES ?? 2_000);
const ROUNDS = 30;
const TARGET_P99_MS = 10;
/** Requests in flight at once in the load phase, and how many each connection sends. */
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 2_000);
const LOAD_ROUNDS = Number(process.env.BENCH_LOAD_ROUNDS ?? 10);

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
    logger: makeLogger({ level: 'silent' }),
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
    await coldLoad(plane);
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
    // The first burst is the node's first of concurrent connections; the second, a warm one;
    // the third goes through deploy/haproxy.cfg, which caps the requests the node serves.
    await underLoad(plane, token, 'cold');
    await underLoad(plane, token, 'warm');
    await throughProxy(plane, token);
    await explain(plane);
  } finally {
    await plane.close();
  }
}

/** How long a node that starts now takes to load its view, and what the view holds. */
async function coldLoad(plane: ControlPlane): Promise<void> {
  global.gc?.();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const cold = new CatalogView(plane.storage.db, makeLogger({ level: 'silent' }));
  const store = await StoreVersions.open(plane.storage);
  await cold.warm(await store.versions.current());
  await store.close();
  const seconds = (performance.now() - t0) / 1000;
  global.gc?.();
  const after = process.memoryUsage();
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  console.log(
    `  catalog view, cold load of ${cold.size} offers: ${seconds.toFixed(2)} s, heap +${mib(after.heapUsed - before.heapUsed)} MiB, outside the heap +${mib(after.arrayBuffers - before.arrayBuffers)} MiB`,
  );
}

/**
 * CONCURRENT requests in flight at once, at the default page size, over the shapes in turn,
 * from a client in its own process (load-client.ts, autocannon): throughput, latency, errors,
 * and this process's RSS and CPU before and after (this process is the server).
 */
async function underLoad(
  plane: ControlPlane,
  token: string,
  server: string,
  proxy?: FrontProxy,
): Promise<void> {
  const paths = Object.values(SHAPES).map((q) => `/v1/offers${q === '' ? '' : `?${q}`}`);
  const job = {
    url: proxy?.url ?? plane.url,
    token,
    paths,
    connections: CONCURRENT,
    amount: CONCURRENT * LOAD_ROUNDS,
  };
  // The server's own share of each request (parsed until sent), and how long its event loop
  // was held up: what the client's latency includes besides queueing in the client and kernel.
  const inServer: number[] = [];
  const timeRequest = (_request: unknown, response: ServerResponse) => {
    const started = performance.now();
    response.once('finish', () => inServer.push(performance.now() - started));
  };
  // When the server took each connection from the kernel's queue: Node 20's libuv takes one
  // connection per turn of the event loop, so a busy loop leaves new connections waiting.
  const accepted: number[] = [];
  const timeAccept = () => accepted.push(performance.now());
  plane.api.server.on('request', timeRequest);
  plane.api.server.on('connection', timeAccept);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const rssBefore = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const proxyCpuBefore = proxy ? cpuMsOfProcesses([proxy.pid]) : 0;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./load-client.ts', import.meta.url)),
      JSON.stringify(job),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: proxy ? { ...process.env, NODE_EXTRA_CA_CERTS: proxy.caFile } : process.env,
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the load client exited with ${String(code)}`);
  const cpu = process.cpuUsage(cpuBefore);
  const proxyCpuMs = proxy ? cpuMsOfProcesses([proxy.pid]) - proxyCpuBefore : 0;
  loopDelay.disable();
  plane.api.server.off('request', timeRequest);
  plane.api.server.off('connection', timeAccept);
  const load = LoadResult.parse(JSON.parse(output.trim().split('\n').at(-1) ?? '{}'));
  const rssAfter = process.memoryUsage().rss;
  const serverCpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    `  ${`${CONCURRENT} concurrent, ${load.requests} requests (${server})`.padEnd(38)} ${load.perSecond.toFixed(0)} req/s  p50 ${load.p50.toFixed(0)} ms  p99 ${load.p99.toFixed(0)} ms  max ${load.max.toFixed(0)} ms  errors ${load.errors + load.timeouts + load.non2xx}  server rss ${(rssBefore / 2 ** 20).toFixed(0)} -> ${(rssAfter / 2 ** 20).toFixed(0)} MiB  server CPU ${(serverCpuMs / load.requests).toFixed(2)} ms/request (${(serverCpuMs / 10 / load.seconds).toFixed(0)}% of a core), client CPU ${((100 * load.clientCpuSeconds) / load.seconds).toFixed(0)}% of a core${proxy ? `, HAProxy CPU ${(proxyCpuMs / 10 / load.seconds).toFixed(0)}% of a core` : ''}  target >= 2000 req/s, p99 < 1000 ms, 0 errors: ${load.perSecond >= 2000 && load.p99 < 1000 && load.errors + load.timeouts + load.non2xx === 0 ? 'met' : 'MISSED'}`,
  );
  console.log(
    `  ${'  in the server'.padEnd(38)} p50 ${percentile(inServer, 50).toFixed(1)} ms  p99 ${percentile(inServer, 99).toFixed(1)} ms  event loop held up p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms; ${accepted.length} connections accepted over ${((accepted.at(-1) ?? 0) - (accepted[0] ?? 0)).toFixed(0)} ms`,
  );
}

/** The load again, through HAProxy with the repository's config; skipped when not installed. */
async function throughProxy(plane: ControlPlane, token: string): Promise<void> {
  let proxy: FrontProxy;
  try {
    proxy = await startFrontProxy(plane.url);
  } catch (err) {
    console.log(`  (no run through HAProxy: ${err instanceof Error ? err.message : String(err)})`);
    return;
  }
  try {
    await underLoad(plane, token, 'warm, through HAProxy', proxy);
  } finally {
    await proxy.stop();
  }
}

const LoadResult = z.object({
  requests: z.number(),
  seconds: z.number(),
  clientCpuSeconds: z.number(),
  perSecond: z.number(),
  p50: z.number(),
  p99: z.number(),
  max: z.number(),
  errors: z.number(),
  timeouts: z.number(),
  non2xx: z.number(),
});

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
await onEachEngine(benchOne);
