import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { openStorage, type Storage } from '@cloudplane/control-plane';
import {
  listAllInstances,
  startDevcloud,
  type AdminInstance,
  type Devcloud,
} from '@cloudplane/devcloud';
import { CRED_REF_ID_TAG, REF_ID_TAG } from '@cloudplane/provider-devcloud';
import { generateSshKeyPair } from '@cloudplane/sdk';
import { startThrowawayPostgres } from '../../control-plane/test/helpers/postgres.js';
import { Api, InstanceSchema, errorCode, type InstanceView } from './api.js';
import { Random } from './random.js';
import { nextEpoch } from './schedule.js';
import { ServeProcess } from './serve.js';

/**
 * One leg of the fault campaign: `cloudplane serve` (a child process, on PGlite or PostgreSQL)
 * against a devcloud in this process, under a seeded schedule of injected faults and kill -9s,
 * with a workload of launches, stops, starts and terminates through the REST API. Then all
 * faults stop, the leg waits until everything is quiet, and checks the control plane against
 * the devcloud's ground truth. docs/reliability.md describes it and its figures.
 */

export type Engine = 'pglite' | 'postgres';

export interface LegOptions {
  readonly seed: number;
  readonly engine: Engine;
  /** The workload runs until at least this many faults were injected ... */
  readonly minFaults: number;
  /** ... and serve was killed at least this many times, */
  readonly minKills: number;
  /** Kills stop after this many (the faults go on). */
  readonly maxKills: number;
  /** or this much time passed (the targets then count as missed). */
  readonly maxWorkloadMs: number;
  /** How long to wait for quiet once the faults stop. */
  readonly quietTimeoutMs: number;
  /** The workload keeps at most this many instances alive. */
  readonly maxLive: number;
  /** Concurrent workload loops. */
  readonly workers: number;
  /** Time between kills (after serve is back), drawn uniformly. */
  readonly killGapMs: readonly [number, number];
  /** Length of one fault epoch, drawn uniformly. */
  readonly epochMs: readonly [number, number];
  /** Foreign instances (no cloudplane tags) the devcloud holds from the start. */
  readonly foreignInstances: number;
  /** devcloud credentials (each its own sync loop and launch rate), all on the one devcloud. */
  readonly credentials: number;
  readonly workDir: string;
  readonly log: (line: string) => void;
}

export interface InvariantResult {
  readonly name: string;
  /** How many things were checked. */
  readonly checked: number;
  readonly violations: readonly string[];
}

export interface LegReport {
  readonly engine: Engine;
  readonly seed: number;
  readonly wallMs: number;
  readonly workloadMs: number;
  readonly quietMs: number;
  /** Injected faults, per endpoint and kind (`failPage` and `outOfCapacity` included). */
  readonly faults: Record<string, Record<string, number>>;
  readonly faultTotal: number;
  readonly requests: Record<string, number>;
  readonly kills: number;
  /** PostgreSQL: jobs of the killed node whose expiry was brought forward. */
  /** PostgreSQL: restarts after which a work queue's next job was held by a dead node's job. */
  readonly epochs: number;
  readonly workload: Record<string, number>;
  readonly cloudInstancesCreated: number;
  readonly rows: number;
  readonly apiResent: number;
  readonly invariants: readonly InvariantResult[];
  /** Jobs still queued after quiet whose instance has nothing left to do (not violations). */
  readonly leftoverJobs: readonly string[];
  /** Targets missed, crashes, setup trouble: anything that makes the leg fail besides invariants. */
  readonly problems: readonly string[];
}

const OfferPage = z.object({ offers: z.array(z.object({ id: z.string() })) });
const Created = z.object({ id: z.string() });
const JobRows = z.object({
  rows: z.array(
    z.object({
      name: z.string(),
      state: z.string(),
      instance: z.string().nullable(),
      retries: z.coerce.number(),
      next: z.string(),
    }),
  ),
});

/** The queues whose jobs must all be done once the campaign is quiet. */
const WORK_QUEUES = ['instance-create', 'instance-terminate', 'instance-action'] as const;
const STABLE_STATUSES = new Set(['running', 'stopped', 'terminated', 'boot_failed']);
const ENDED_STATES = new Set(['terminated', 'failed']);

interface Launched {
  readonly id: string;
  readonly refId: string;
  readonly body: unknown;
}

interface LaunchRecord {
  readonly id: string;
  readonly refId: string | undefined;
  readonly credRef: string | undefined;
}

/** What a leg must undo if the campaign is interrupted (SIGINT, SIGTERM): see main.ts. */
export const cleanups = new Set<() => Promise<void>>();

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runLeg(options: LegOptions): Promise<LegReport> {
  const started = Date.now();
  const { log, engine } = options;
  const dir = join(options.workDir, engine);
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const random = new Random(options.seed);
  const faultRandom = random.fork();
  const killRandom = random.fork();
  const opRandom = random.fork();
  const problems: string[] = [];
  const workload: Record<string, number> = {};
  const bump = (what: string) => {
    workload[what] = (workload[what] ?? 0) + 1;
  };

  const cloud = await startDevcloud({
    seed: options.seed,
    catalogSize: 40,
    capacityPerOffer: 1_000_000,
    instanceQuota: 1_000_000,
    seedInstances: options.foreignInstances,
    timings: {
      bootStepMs: 200,
      stopMs: 300,
      startMs: 300,
      rebootMs: 300,
      terminateMs: 300,
      // Gone soon after termination, so the syncer meets rows whose instance a list lacks and
      // confirms them with getInstance.
      terminatedRetentionMs: 300,
    },
  });
  const truth = watchCloud(cloud);
  let pg: Awaited<ReturnType<typeof startThrowawayPostgres>> | undefined;
  let jobsDb: Storage | undefined;
  let serve: ServeProcess | undefined;
  try {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.DATABASE_URL;
    if (engine === 'postgres') {
      const cluster = await startThrowawayPostgres();
      pg = cluster;
      cleanups.add(() => cluster.stop());
      env.DATABASE_URL = pg.url;
      env.CLOUDPLANE_MASTER_KEY = randomBytes(32).toString('base64');
    }
    const served = new ServeProcess({ dataDir, env, logDir: dir });
    serve = served;
    cleanups.add(() => served.stop());
    const tokenFile = join(dir, 'token');
    await served.start(tokenFile);
    const token = readFileSync(tokenFile, 'utf8').trim();
    const api = new Api(served, token);
    if (pg) jobsDb = await openStorage({ kind: 'postgres', url: pg.url });

    // Setup, with no faults: a devcloud credential with a short timeout, its catalog, a key.
    const credentialIds = new Set<string>();
    for (let i = 1; i <= options.credentials; i++) {
      const credential = await api.ok(Created, 'POST', '/v1/credentials', {
        body: {
          provider: 'devcloud',
          name: `faults-${String(i)}`,
          credential: { apiKey: cloud.apiKey, baseUrl: cloud.url, timeoutMs: 1000 },
        },
      });
      credentialIds.add(credential.id);
    }
    let offers: string[] = [];
    for (let waited = 0; offers.length < 40 * options.credentials; waited += 250) {
      if (waited > 90_000) throw new Error('the devcloud catalogs did not sync within 90 s');
      await sleep(250);
      offers = (await api.ok(OfferPage, 'GET', '/v1/offers?available=true&limit=500')).offers.map(
        (o) => o.id,
      );
    }
    const key = await api.ok(Created, 'POST', '/v1/users/me/ssh-keys', {
      body: { name: 'faults', publicKey: generateSshKeyPair().publicKey },
    });
    log(
      `${engine}: serve up (pid ${String(served.pid)}), ${String(offers.length)} offers, workload starts`,
    );

    // The workload, the fault epochs and the kills run until the targets are met.
    const workloadStart = Date.now();
    const run = { stopping: false };
    const stopped = () => run.stopping;
    let kills = 0;
    let epochs = 0;
    let rows = new Map<string, InstanceView>();
    const accepted = new Map<string, Launched>();
    const replayMismatches: string[] = [];
    let seq = 0;

    const refresh = async () => {
      rows = new Map((await api.instances()).map((r) => [r.id, r]));
    };
    await refresh();

    const snapshots = (async () => {
      while (!stopped()) {
        await refresh();
        await sleep(1000);
      }
    })();

    const faultLoop = (async () => {
      while (!stopped()) {
        const epoch = nextEpoch(faultRandom, {
          minEpochMs: options.epochMs[0],
          maxEpochMs: options.epochMs[1],
        });
        cloud.faults.replace(epoch.config);
        epochs++;
        const until = Date.now() + epoch.ms;
        while (!stopped() && Date.now() < until) await sleep(100);
      }
      cloud.faults.replace({});
    })();

    const killLoop = (async () => {
      const current = served;
      while (!stopped()) {
        const gap = killRandom.int(options.killGapMs[0], options.killGapMs[1]);
        const until = Date.now() + gap;
        while (!stopped() && Date.now() < until) await sleep(50);
        if (stopped() || kills >= options.maxKills) break;
        const killedAt = Date.now();
        // The dead node's jobs stay active; its leases lapse, and the new node takes the work
        // over and fails those jobs (nothing here helps it along).
        await current.killAndRestart();
        kills++;
        log(
          `${engine}: kill -9 #${String(kills)}, serve back after ${String(Date.now() - killedAt)} ms (pid ${String(current.pid)})`,
        );
      }
    })();

    const launch = async () => {
      seq++;
      const idempotencyKey = `faults-${String(options.seed)}-${engine}-${String(seq)}`;
      const body = { offerId: opRandom.pick(offers), name: `f${String(seq)}`, sshKeyIds: [key.id] };
      const answer = await api.request('POST', '/v1/instances', {
        body,
        headers: { 'idempotency-key': idempotencyKey },
      });
      if (answer.status === 200 || answer.status === 202) {
        const instance = InstanceSchema.parse(answer.body);
        accepted.set(idempotencyKey, { id: instance.id, refId: instance.refId, body });
        bump('launches accepted');
        if (answer.status === 200) bump('launches answered by an earlier request');
      } else {
        bump(`launches refused (${String(answer.status)} ${errorCode(answer) ?? '?'})`);
      }
    };
    const replay = async () => {
      const keys = [...accepted.keys()];
      const idempotencyKey = opRandom.pick(keys);
      const earlier = accepted.get(idempotencyKey);
      if (!earlier) return;
      const answer = await api.request('POST', '/v1/instances', {
        body: earlier.body,
        headers: { 'idempotency-key': idempotencyKey },
      });
      bump('launches sent again with their key');
      const parsed = InstanceSchema.safeParse(answer.body);
      if (answer.status !== 200 || !parsed.success || parsed.data.id !== earlier.id) {
        replayMismatches.push(
          `key ${idempotencyKey}: first answered ${earlier.id}, again HTTP ${String(answer.status)} ${parsed.success ? parsed.data.id : JSON.stringify(answer.body)}`,
        );
      }
    };
    const act = async (action: 'stop' | 'start' | 'terminate', candidates: InstanceView[]) => {
      const row = opRandom.pick(candidates);
      const answer = await api.request('POST', `/v1/instances/${row.id}/${action}`);
      if (answer.status === 202) bump(`${action} accepted`);
      else bump(`${action} refused (${String(answer.status)} ${errorCode(answer) ?? '?'})`);
    };

    const worker = async () => {
      while (!stopped()) {
        // The population: rows not ended. Launches wait while many are not launched yet (the
        // create lane does about one job per worker per second), so the queue stays short and
        // most launches reach the cloud; terminates go mostly to launched instances.
        const all = [...rows.values()].filter((r) => !ENDED_STATES.has(r.state));
        const unlaunched = all.filter((r) => r.cloudId === null);
        const launched = all.filter((r) => r.cloudId !== null && r.pendingAction !== 'terminate');
        const inFlight = unlaunched.filter((r) => r.pendingAction === 'create');
        const running = launched.filter((r) => r.actions.includes('stop'));
        const stopped = launched.filter((r) => r.actions.includes('start'));
        const choice = opRandom.weighted<string>([
          [
            'launch',
            all.length < options.maxLive && unlaunched.length < 4 * options.credentials ? 4 : 0.001,
          ],
          [
            'terminate',
            launched.length > options.maxLive * 0.7 ? 3 : launched.length > 0 ? 0.8 : 0.001,
          ],
          ['terminate-in-flight', inFlight.length > 0 ? 0.15 : 0.001],
          ['stop', running.length > 0 ? 1.5 : 0.001],
          ['start', stopped.length > 0 ? 1.5 : 0.001],
          ['replay', accepted.size > 0 ? 0.4 : 0.001],
          ['wait', 0.3],
        ]);
        try {
          if (choice === 'launch') await launch();
          else if (choice === 'terminate' && launched.length > 0) await act('terminate', launched);
          else if (choice === 'terminate-in-flight' && inFlight.length > 0)
            await act('terminate', inFlight);
          else if (choice === 'stop' && running.length > 0) await act('stop', running);
          else if (choice === 'start' && stopped.length > 0) await act('start', stopped);
          else if (choice === 'replay' && accepted.size > 0) await replay();
        } catch (err) {
          problems.push(`workload: ${err instanceof Error ? err.message : String(err)}`);
        }
        await sleep(opRandom.int(100, 400));
      }
    };
    const workers = Array.from({ length: options.workers }, () => worker());

    const injected = () => truth.counts().total;
    let lastReport = 0;
    while (
      !(injected() >= options.minFaults && kills >= options.minKills) &&
      Date.now() - workloadStart < options.maxWorkloadMs
    ) {
      await sleep(500);
      if (Date.now() - lastReport > 30_000) {
        lastReport = Date.now();
        log(
          `${engine}: ${String(Math.round((Date.now() - workloadStart) / 1000))} s, ${String(injected())} faults, ${String(kills)} kills, ${String(truth.launches.length)} cloud launches, ${String(rows.size)} rows`,
        );
      }
    }
    run.stopping = true;
    await Promise.all([...workers, faultLoop, killLoop, snapshots]);
    cloud.faults.replace({});
    const workloadMs = Date.now() - workloadStart;
    if (injected() < options.minFaults)
      problems.push(
        `only ${String(injected())} faults injected (target ${String(options.minFaults)})`,
      );
    if (kills < options.minKills)
      problems.push(`only ${String(kills)} kills (target ${String(options.minKills)})`);
    log(
      `${engine}: workload done in ${String(Math.round(workloadMs / 1000))} s (${String(injected())} faults, ${String(kills)} kills); waiting for quiet`,
    );

    // Quiet: no faults, every row settled and in step with the cloud, every job done.
    const quietStart = Date.now();
    const unsettled = await waitQuiet(
      () => settledReasons(api, cloud, credentialIds, jobsDb),
      options.quietTimeoutMs,
    );
    const quietMs = Date.now() - quietStart;
    log(
      `${engine}: ${unsettled.length === 0 ? 'quiet' : 'NOT quiet'} after ${String(Math.round(quietMs / 1000))} s; checking`,
    );

    if (unsettled.length > 0 && jobsDb) {
      // What the queues look like, for the report of a leg that did not settle.
      const summary = z
        .object({ rows: z.array(z.record(z.string(), z.unknown())) })
        .parse(
          await jobsDb.db.execute(
            `SELECT name, state, count(*)::int AS n, min(start_after)::text AS first_start, min(started_on)::text AS first_started FROM pgboss.job WHERE state IN ('created', 'retry', 'active') GROUP BY name, state ORDER BY name, state`,
          ),
        );
      for (const row of summary.rows) log(`${engine}: queue ${JSON.stringify(row)}`);
      const activity = z
        .object({ rows: z.array(z.record(z.string(), z.unknown())) })
        .parse(
          await jobsDb.db.execute(
            `SELECT pid, state, wait_event_type, wait_event, (now() - xact_start)::text AS xact_age, left(query, 160) AS query FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle'`,
          ),
        );
      for (const row of activity.rows) log(`${engine}: session ${JSON.stringify(row)}`);
    }
    const finalRows = await api.instances();
    const held = await listAllInstances(cloud);
    const invariants = await checkInvariants({
      api,
      rows: finalRows,
      held,
      launches: truth.launches,
      credentialIds,
      accepted,
      replayMismatches,
      unsettled,
    });

    // Jobs: on PostgreSQL read while serve runs; on PGlite (one process) once it has stopped.
    let jobs: PendingJob[];
    if (jobsDb) {
      jobs = await pendingJobs(jobsDb);
      await served.stop();
    } else {
      await served.stop();
      const pglite = await openStorage({ kind: 'pglite', dataDir: join(dataDir, 'pglite') });
      try {
        jobs = await pendingJobs(pglite);
      } finally {
        await pglite.close();
      }
    }
    const { stuck, leftovers } = classifyJobs(jobs, finalRows);
    invariants.push({
      name: 'jobs stuck (instance-create/-terminate/-action)',
      checked: jobs.length,
      violations: stuck,
    });
    problems.push(...served.crashes);

    const counts = truth.counts();
    return {
      engine,
      seed: options.seed,
      wallMs: Date.now() - started,
      workloadMs,
      quietMs,
      faults: counts.byEndpoint,
      faultTotal: counts.total,
      requests: counts.requests,
      kills,
      epochs,
      workload,
      cloudInstancesCreated: truth.launches.filter(
        (l) => l.credRef !== undefined && credentialIds.has(l.credRef),
      ).length,
      rows: finalRows.length,
      apiResent: api.resent,
      invariants,
      leftoverJobs: leftovers,
      problems,
    };
  } finally {
    await serve?.stop().catch(() => undefined);
    await jobsDb?.close().catch(() => undefined);
    await cloud.close();
    await pg?.stop();
    cleanups.clear();
  }
}

/**
 * Watches the devcloud from inside this process: every launch it performed (its ground truth
 * of creates, kept even after an instance's retention ends), launches refused for capacity, and
 * list pages served, from which failed pages are derived. `FaultInjector.counts()` gives the
 * rule-based faults.
 */
function watchCloud(devcloud: Devcloud) {
  const launches: LaunchRecord[] = [];
  let capacityRefusals = 0;
  let pagesServed = 0;
  const cloud = devcloud.cloud;
  const launch = cloud.launch.bind(cloud);
  cloud.launch = (request) => {
    try {
      const instance = launch(request);
      launches.push({
        id: instance.id,
        refId: instance.tags[REF_ID_TAG],
        credRef: instance.tags[CRED_REF_ID_TAG],
      });
      return instance;
    } catch (err) {
      if (z.object({ code: z.literal('capacity/insufficient') }).safeParse(err).success)
        capacityRefusals++;
      throw err;
    }
  };
  const page = cloud.page.bind(cloud);
  cloud.page = (...args) => {
    pagesServed++;
    return page(...args);
  };
  return {
    launches,
    counts() {
      const { requests, injected } = devcloud.faults.counts();
      const byEndpoint: Record<string, Record<string, number>> = {};
      let total = 0;
      const add = (endpoint: string, kind: string, n: number) => {
        const kinds = byEndpoint[endpoint] ?? {};
        kinds[kind] = n;
        byEndpoint[endpoint] = kinds;
        total += n;
      };
      let listRuleFaults = 0;
      for (const [endpoint, kinds] of Object.entries(injected)) {
        for (const [kind, n] of Object.entries(kinds)) {
          if (kind === 'latency') continue;
          add(endpoint, kind, n);
          if (endpoint === 'listInstances') listRuleFaults += n;
        }
      }
      // A list request that no rule answered either failed its page or was served.
      const failedPages = (requests.listInstances ?? 0) - listRuleFaults - pagesServed;
      if (failedPages > 0) add('listInstances', 'failPage', failedPages);
      if (capacityRefusals > 0) add('createInstance', 'outOfCapacity', capacityRefusals);
      const requestCounts: Record<string, number> = {};
      for (const [endpoint, n] of Object.entries(requests)) requestCounts[endpoint] = n;
      return { byEndpoint, total, requests: requestCounts };
    },
  };
}

interface PendingJob {
  readonly name: string;
  readonly state: string;
  readonly instance: string | null;
  readonly retries: number;
  readonly next: string;
}

/** Jobs of the work queues not done yet (created, retry or active). */
async function pendingJobs(storage: Storage): Promise<PendingJob[]> {
  const names = WORK_QUEUES.map((q) => `'${q}'`).join(', ');
  return JobRows.parse(
    await storage.db.execute(
      `SELECT name, state, data->>'instanceId' AS instance, retry_count AS retries, start_after::text AS next FROM pgboss.job WHERE name IN (${names}) AND state IN ('created', 'retry', 'active') ORDER BY start_after`,
    ),
  ).rows;
}

/**
 * After quiet, a job not done is stuck when it is active, or when its instance still has work
 * pending (or no row). A retry scheduled for later whose instance has nothing left to do (its
 * work was done by a job queued again after a kill) would do nothing when it runs: a leftover,
 * reported but not a violation.
 */
function classifyJobs(
  jobs: readonly PendingJob[],
  rows: readonly InstanceView[],
): { stuck: string[]; leftovers: string[] } {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const stuck: string[] = [];
  const leftovers: string[] = [];
  for (const job of jobs) {
    const row = job.instance === null ? undefined : byId.get(job.instance);
    const what = `${job.name} job for ${job.instance ?? '?'} ${job.state} (retries ${String(job.retries)}, next start ${job.next}), row ${row ? `${row.state}, pending ${row.pendingAction ?? 'nothing'}` : 'missing'}`;
    if (job.state === 'active' || !row || row.pendingAction !== null) stuck.push(what);
    else leftovers.push(what);
  }
  return { stuck, leftovers };
}

/** Waits until `check` finds nothing unsettled twice in a row; answers what was left at the deadline. */
async function waitQuiet(check: () => Promise<string[]>, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let calm = 0;
  let reasons: string[] = [];
  for (;;) {
    reasons = await check();
    calm = reasons.length === 0 ? calm + 1 : 0;
    if (calm >= 2 || Date.now() > deadline) return reasons;
    await sleep(2000);
  }
}

async function settledReasons(
  api: Api,
  cloud: Devcloud,
  credentialIds: ReadonlySet<string>,
  jobsDb: Storage | undefined,
): Promise<string[]> {
  const rows = await api.instances();
  const held = await listAllInstances(cloud);
  const byCloudId = new Map(held.map((i) => [i.id, i]));
  const reasons: string[] = [];
  for (const row of rows) {
    if (row.pendingAction !== null) reasons.push(`${row.id}: pending ${row.pendingAction}`);
    else if (ENDED_STATES.has(row.state)) continue;
    else if (row.cloudId === null) reasons.push(`${row.id}: ${row.state} without a cloud id`);
    else {
      const seen = byCloudId.get(row.cloudId);
      if (seen?.status !== row.nativeStatus)
        reasons.push(`${row.id}: row ${row.nativeStatus ?? '?'}, cloud ${seen?.status ?? 'gone'}`);
    }
  }
  for (const instance of held) {
    if (isOurs(instance, credentialIds) && !STABLE_STATUSES.has(instance.status))
      reasons.push(`cloud ${instance.id}: ${instance.status}`);
  }
  if (jobsDb) {
    const { stuck } = classifyJobs(await pendingJobs(jobsDb), rows);
    reasons.push(...stuck);
  }
  return reasons;
}

function isOurs(instance: AdminInstance, credentialIds: ReadonlySet<string>): boolean {
  const credRef = instance.tags[CRED_REF_ID_TAG];
  return credRef !== undefined && credentialIds.has(credRef);
}

interface CheckInput {
  readonly api: Api;
  readonly rows: readonly InstanceView[];
  readonly held: readonly AdminInstance[];
  readonly launches: readonly LaunchRecord[];
  readonly credentialIds: ReadonlySet<string>;
  readonly accepted: ReadonlyMap<string, Launched>;
  readonly replayMismatches: readonly string[];
  readonly unsettled: readonly string[];
}

async function checkInvariants(input: CheckInput): Promise<InvariantResult[]> {
  const { rows, held, credentialIds } = input;
  const ours = input.launches.filter(
    (l) => l.credRef !== undefined && credentialIds.has(l.credRef),
  );
  const rowsByRef = new Map(rows.map((r) => [r.refId, r]));
  const heldById = new Map(held.map((i) => [i.id, i]));
  const status = (id: string) => heldById.get(id)?.status ?? 'gone';
  const results: InvariantResult[] = [];

  // Every instance the cloud created with our tags has a row (the row commits before the call).
  const orphans = ours
    .filter((l) => l.refId === undefined || !rowsByRef.has(l.refId))
    .map((l) => `cloud ${l.id} (refId ${l.refId ?? '?'}, ${status(l.id)}) has no row`);
  for (const instance of held) {
    if (isOurs(instance, credentialIds) && !ours.some((l) => l.id === instance.id)) {
      orphans.push(`cloud ${instance.id} carries our tags but was never launched through the API`);
    }
  }
  results.push({ name: 'orphaned cloud instances', checked: ours.length, violations: orphans });

  // One cloud instance per refId, ever (a duplicate terminated since still counts).
  const byRef = new Map<string, LaunchRecord[]>();
  for (const l of ours) {
    const refId = l.refId ?? '?';
    byRef.set(refId, [...(byRef.get(refId) ?? []), l]);
  }
  const doubles = [...byRef.entries()]
    .filter(([, ls]) => ls.length > 1)
    .map(
      ([refId, ls]) =>
        `refId ${refId}: ${String(ls.length)} cloud instances (${ls.map((l) => `${l.id} ${status(l.id)}`).join(', ')}), row ${rowsByRef.get(refId)?.id ?? 'none'}`,
    );
  results.push({ name: 'double creates', checked: byRef.size, violations: doubles });

  // A live cloud instance is never on a row that says it ended.
  const liveOurs = held.filter(
    (i) => isOurs(i, credentialIds) && i.status !== 'terminated' && i.status !== 'boot_failed',
  );
  const markedEnded = liveOurs.flatMap((i) => {
    const row = rowsByRef.get(i.tags[REF_ID_TAG] ?? '');
    return row && (ENDED_STATES.has(row.state) || row.terminatedAt !== null)
      ? [`cloud ${i.id} is ${i.status}, its row ${row.id} says ${row.state}`]
      : [];
  });
  results.push({
    name: 'live instances marked terminated or failed',
    checked: liveOurs.length,
    violations: markedEnded,
  });

  // Every launch the API accepted still has its row, and its key answers that row again.
  const lost: string[] = [];
  for (const [key, launched] of input.accepted) {
    const answer = await input.api.request('GET', `/v1/instances/${launched.id}`);
    const row = InstanceSchema.safeParse(answer.body);
    if (answer.status !== 200 || !row.success || row.data.refId !== launched.refId) {
      lost.push(`key ${key}: instance ${launched.id} answers HTTP ${String(answer.status)}`);
    }
  }
  results.push({
    name: 'lost instance rows',
    checked: input.accepted.size,
    violations: lost,
  });

  const again: string[] = [...input.replayMismatches];
  for (const [key, launched] of input.accepted) {
    const answer = await input.api.request('POST', '/v1/instances', {
      body: launched.body,
      headers: { 'idempotency-key': key },
    });
    const row = InstanceSchema.safeParse(answer.body);
    if (answer.status !== 200 || !row.success || row.data.id !== launched.id) {
      again.push(
        `key ${key}: first ${launched.id}, after quiet HTTP ${String(answer.status)} ${row.success ? row.data.id : JSON.stringify(answer.body)}`,
      );
    }
  }
  results.push({
    name: 'idempotency keys answering another instance',
    checked: input.accepted.size,
    violations: again,
  });

  // After quiet: nothing pending, every live row in step with its cloud instance.
  results.push({
    name: 'rows out of step with the cloud after quiet',
    checked: rows.length,
    violations: input.unsettled,
  });
  return results;
}
