import { randomBytes } from 'node:crypto';
import { generateSshKeyPair } from '@cloudplane/sdk';
import { and, count, isNotNull, like } from 'drizzle-orm';
import { z } from 'zod';
import { InstanceDto } from '../src/api/instance-dto.js';
import { startControlPlane, type ControlPlane } from '../src/control-plane.js';
import type { StorageTarget } from '../src/db/open.js';
import { instances } from '../src/db/schema.js';
import { onEachEngine } from './engines.js';
import { makeLogger } from '../src/logger.js';
import { BUILT_IN_PROVIDERS, providerRegistry } from '../src/providers.js';
import {
  recordingCloud,
  RECORDING_CLOUD,
  type RecordingCloud,
} from '../test/helpers/recording-cloud.js';

/**
 * The create path: what one control plane node adds to a launch beyond the provider's own
 * latency, on embedded PGlite and on PostgreSQL. An in-process provider answers createInstance
 * after a known latency and records when it was entered and when it returned; the bench
 * launches over HTTP with a real token and measures, per launch:
 *
 * - accept: POST /v1/instances sent until its 202;
 * - dispatch: POST sent until the provider's createInstance is entered;
 * - settle: the provider returned until GET /v1/instances/:id shows its cloudId;
 * - overhead: POST sent until recorded, minus the provider's own latency.
 *
 * First sequential launches at each provider latency (p50/p99), then many launches at once
 * from concurrent clients: launches accepted per second, and how long until all reached the
 * provider and were recorded. Prints figures; asserts nothing about time.
 *
 * BENCH_ENGINES=pglite narrows the engines; BENCH_LATENCIES (ms, comma-separated) sets the
 * provider's latencies of the sequential runs, BENCH_CONCURRENT_LATENCY that of the concurrent
 * one; BENCH_SEQUENTIAL, BENCH_LAUNCHES and BENCH_CONCURRENCY size the runs; BENCH_POLLING_S
 * sets the job workers' polling interval (default: the control plane's, 1 s).
 */

const LATENCIES = (process.env.BENCH_LATENCIES ?? '0,200').split(',').map(Number);
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 100);
const LAUNCHES = Number(process.env.BENCH_LAUNCHES ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
/** The provider's latency in the concurrent phase. */
const CONCURRENT_LATENCY_MS = Number(process.env.BENCH_CONCURRENT_LATENCY ?? 200);
const POLLING_S =
  process.env.BENCH_POLLING_S === undefined ? undefined : Number(process.env.BENCH_POLLING_S);
const TARGET_OVERHEAD_MS = 5;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function ms(value: number): string {
  return `${value.toFixed(1).padStart(7)} ms`;
}

function line(label: string, values: readonly number[]): string {
  return `    ${label.padEnd(34)} p50 ${ms(percentile(values, 50))}  p99 ${ms(percentile(values, 99))}`;
}

const Launched = InstanceDto.pick({ id: true, refId: true, cloudId: true });
const Offers = z.object({ offers: z.array(z.object({ id: z.string() })) });

/** One node's API as its first admin, and the provider behind it. */
interface Node {
  readonly plane: ControlPlane;
  readonly cloud: RecordingCloud;
  readonly sshKeyId: string;
  post(path: string, body: unknown): Promise<Response>;
  get(path: string): Promise<Response>;
}

async function expectJson(response: Response, status: number): Promise<unknown> {
  const text = await response.text();
  if (response.status !== status) {
    throw new Error(`expected HTTP ${String(status)}, got ${String(response.status)}: ${text}`);
  }
  return JSON.parse(text) as unknown;
}

async function startNode(target: StorageTarget): Promise<Node> {
  const cloud = recordingCloud();
  const plane = await startControlPlane({
    storage: target,
    masterKey: randomBytes(32),
    logger: makeLogger({ level: 'silent' }),
    providers: providerRegistry([cloud.provider, ...BUILT_IN_PROVIDERS]),
    ...(POLLING_S === undefined ? {} : { jobPollingIntervalSeconds: POLLING_S }),
  });
  const token = plane.firstToken?.token;
  if (token === undefined) throw new Error('a fresh control plane creates a first token');
  const headers = { authorization: `Bearer ${token}` };
  const post = (path: string, body: unknown) =>
    fetch(`${plane.url}${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const key = z.object({ id: z.string() }).parse(
    await expectJson(
      await post('/v1/users/me/ssh-keys', {
        name: 'bench',
        publicKey: generateSshKeyPair('bench').publicKey,
      }),
      201,
    ),
  );
  return {
    plane,
    cloud,
    sshKeyId: key.id,
    post,
    get: (path) => fetch(`${plane.url}${path}`, { headers }),
  };
}

/** A credential whose createInstance takes `latencyMs`, its catalog synced; its offer id. */
async function offerWithLatency(node: Node, latencyMs: number, name: string): Promise<string> {
  const { id } = await node.plane.credentials.add({
    provider: RECORDING_CLOUD,
    name,
    credential: { latencyMs },
  });
  const synced = await node.plane.syncer.sync(id);
  if (synced.outcome !== 'ok') throw new Error(`catalog sync ${synced.outcome}`);
  const page = Offers.parse(await expectJson(await node.get('/v1/offers?limit=500'), 200));
  const offer = page.offers.find((o) => o.id.startsWith(`${id}:`));
  if (!offer) throw new Error('the synced offer is not listed');
  return offer.id;
}

async function launch(node: Node, offerId: string, name: string) {
  return Launched.parse(
    await expectJson(
      await node.post('/v1/instances', { offerId, name, sshKeyIds: [node.sshKeyId] }),
      202,
    ),
  );
}

/**
 * When GET /v1/instances/:id first shows a cloudId, polled back to back (one request in
 * flight), so the figure is late by at most one GET.
 */
async function recordedAt(node: Node, id: string): Promise<number> {
  for (;;) {
    const row = Launched.parse(await expectJson(await node.get(`/v1/instances/${id}`), 200));
    if (row.cloudId !== null) return performance.now();
  }
}

async function waitFor(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  // Generous: on a busy machine the last launch may wait behind every other one.
  const deadline = Date.now() + 10 * 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function sequential(node: Node, latencyMs: number): Promise<void> {
  const offerId = await offerWithLatency(node, latencyMs, `sequential-${String(latencyMs)}`);
  const accept: number[] = [];
  const dispatch: number[] = [];
  const settle: number[] = [];
  const overhead: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const sent = performance.now();
    const made = await launch(node, offerId, `s${String(latencyMs)}-${String(i)}`);
    accept.push(performance.now() - sent);
    // The provider is watched in memory, not through the API, so no read competes with the
    // create job for the database; only the settle is observed over HTTP, from the moment the
    // provider answers.
    const call = await node.cloud.returned(made.refId);
    const recorded = await recordedAt(node, made.id);
    const returned = call.returned ?? NaN;
    const entered = call.entered;
    dispatch.push(entered - sent);
    settle.push(recorded - returned);
    overhead.push(recorded - sent - (returned - entered));
  }
  const p50 = percentile(overhead, 50);
  console.log(
    `  ${String(SEQUENTIAL)} sequential launches, provider latency ${String(latencyMs)} ms:`,
  );
  console.log(line('accept (POST -> 202)', accept));
  console.log(line('dispatch (POST -> provider called)', dispatch));
  console.log(line('settle (provider -> recorded)', settle));
  console.log(
    `${line('control-plane overhead', overhead)}  goal p50 <= ${String(TARGET_OVERHEAD_MS)} ms: ${p50 <= TARGET_OVERHEAD_MS ? 'met' : 'MISSED'}`,
  );
}

/** How many launches named `prefix…` have a cloudId, read from the database directly. */
async function recordedCount(plane: ControlPlane, prefix: string): Promise<number> {
  const [row] = await plane.storage.db
    .select({ n: count() })
    .from(instances)
    .where(and(like(instances.name, `${prefix}%`), isNotNull(instances.cloudId)));
  return row?.n ?? 0;
}

async function concurrent(node: Node, latencyMs: number): Promise<void> {
  const offerId = await offerWithLatency(node, latencyMs, `concurrent-${String(latencyMs)}`);
  const prefix = `c${String(latencyMs)}-`;
  const accept: number[] = [];
  const sentAt = new Map<string, number>();
  let next = 0;
  const t0 = performance.now();
  const client = async () => {
    while (next < LAUNCHES) {
      const name = `${prefix}${String(next++)}`;
      const sent = performance.now();
      const made = await launch(node, offerId, name);
      accept.push(performance.now() - sent);
      sentAt.set(made.refId, sent);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  const accepted = performance.now() - t0;
  const refIds = [...sentAt.keys()];
  await waitFor(
    () => refIds.every((r) => node.cloud.calls.has(r)),
    'every launch to reach the provider',
  );
  const entered = refIds.map((r) => node.cloud.calls.get(r)?.entered ?? NaN);
  const reached = Math.max(...entered) - t0;
  await waitFor(
    async () => (await recordedCount(node.plane, prefix)) === LAUNCHES,
    'every launch to be recorded',
  );
  const recorded = performance.now() - t0;
  const dispatch = refIds.map((r, i) => (entered[i] ?? NaN) - (sentAt.get(r) ?? NaN));
  console.log(
    `  ${String(LAUNCHES)} launches from ${String(CONCURRENCY)} concurrent clients, provider latency ${String(latencyMs)} ms:`,
  );
  console.log(
    `    all accepted after ${ms(accepted)}: ${(LAUNCHES / (accepted / 1000)).toFixed(0)} launches/s accepted on one node`,
  );
  console.log(line('accept (POST -> 202)', accept));
  console.log(line('dispatch (POST -> provider called)', dispatch));
  console.log(
    `    all reached the provider after ${ms(reached)} (${(LAUNCHES / (reached / 1000)).toFixed(0)}/s); all recorded after ${ms(recorded)}`,
  );
}

async function benchOne(engine: string, target: StorageTarget): Promise<void> {
  const node = await startNode(target);
  try {
    console.log(`\n${engine}`);
    for (const latencyMs of LATENCIES) await sequential(node, latencyMs);
    await concurrent(node, CONCURRENT_LATENCY_MS);
  } finally {
    await node.plane.close();
  }
}

console.log(
  `POST /v1/instances to the provider and back, over HTTP; job polling ${POLLING_S === undefined ? 'default (1 s)' : `${String(POLLING_S)} s`}`,
);
await onEachEngine(benchOne);
