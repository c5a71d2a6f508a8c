import { and, inArray, sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { z } from 'zod';
import type { Logger } from '@cloudplane/sdk';
import type { CredentialStore, OpenedCredential } from '../credentials/store.js';
import { withDeadline } from '../db/deadline.js';
import { DEFAULT_DIRECT_LAUNCHES } from '../defaults.js';
import type { Storage } from '../db/open.js';
import { instances, type InstanceAction } from '../db/schema.js';
import { leaseKey, type JobLeases } from '../jobs/leases.js';
import { ensureQueue, QUEUE_POLICY } from '../jobs/queues.js';
import { loggableMessage } from '../storage-errors.js';
import type { ProviderRegistry } from '../providers.js';
import { awaitsOutcome, type ActionRunner, type LifecycleAction } from './actions.js';
import type { NewEvent } from './events.js';
import {
  ATTEMPT_SETTLES_MS,
  type Accepted,
  type CreateOutcome,
  type Launcher,
  type NewInstanceRow,
} from './launcher.js';
import type { InstanceRow } from './observe.js';
import { InstanceSyncLoop, type SyncLoopTimings } from './sync-loop.js';
import type { InstanceSyncer } from './syncer.js';

/**
 * The instance half's pg-boss queues. Each kind of work has its own queue and workers, so the
 * lanes never wait on each other: terminates first (most workers, never rate limited), then
 * creates, then stop/start/reboot, then syncs. Per-instance jobs are keyed by instance and
 * syncs by credential: one queued per key, and one running under the key's lease, across every
 * node (`JobLeases`).
 */

export const QUEUES = {
  terminate: 'instance-terminate',
  create: 'instance-create',
  action: 'instance-action',
} as const;

/** The queue of the instance syncs' jobs before `InstanceSyncLoop` took them over. */
const RETIRED_SYNC_QUEUE = 'instance-sync';

/**
 * How long a dead node's lease holds a key back. A create's is longest: it must outlast one
 * provider call, so a node cut off from the database mid-launch has heard back before another
 * node looks for what it launched.
 */
const LEASE_MS = { create: ATTEMPT_SETTLES_MS, terminate: 60_000, action: 60_000 } as const;

const LANES = ['terminate', 'create', 'action'] as const;

/**
 * About the longest a failed terminate waits for its next try, once the sweep has seen it
 * (pg-boss's backoff doubles up to hours).
 */
export const TERMINATE_RETRY_CAP_MS = 60_000;

/** How soon the create job follows a first attempt that did not finish (as its retries do). */
const RETRY_AFTER_MS = 2_000;

/** How long a stopping node waits for its first attempts (pg-boss gives its jobs as long). */
const STOP_WAIT_MS = 15_000;

/**
 * Workers per lane in one process. Creates get the most after terminates' share: a create job
 * spends most of its time waiting on the provider's answer (seconds at a real cloud), so
 * several run side by side; each holds a database connection only for its short writes.
 */
const WORKERS = { terminate: 3, create: 6, action: 2 } as const;

const InstanceJob = z.object({ instanceId: z.string().min(1) });
const ActionJob = InstanceJob.extend({ action: z.enum(['stop', 'start', 'reboot']) });
const Ids = z.object({ rows: z.array(z.object({ id: z.string() })) });

export interface InstanceJobsOptions {
  readonly boss: PgBoss;
  readonly leases: JobLeases;
  readonly storage: Storage;
  readonly credentials: CredentialStore;
  readonly providers: ProviderRegistry;
  readonly launcher: Launcher;
  readonly actions: ActionRunner;
  readonly syncer: InstanceSyncer;
  /** Tells every node to sync a credential now; its owner hears it. None on one process. */
  readonly announceSync?: ((credentialId: string) => Promise<void>) | undefined;
  readonly syncLoopTimings?: Partial<SyncLoopTimings> | undefined;
  /** First attempts this node sends itself at once (`launch`). Default DEFAULT_DIRECT_LAUNCHES. */
  readonly maxDirectLaunches?: number;
  /**
   * The control plane's shutdown, aborted before `stop`: launches accepted once it is go to
   * the queue, and a stopping node wakes no create worker.
   */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly pollingIntervalSeconds?: number;
  /** How often pending work whose job was lost is queued again. Default 15 seconds. */
  readonly sweepIntervalMs?: number;
}

/**
 * The queue and singleton key of the job that carries `action` on an instance: at most one such
 * job is queued, and its worker holds the lease of the same two (`leaseKey`).
 */
function jobSlot(
  instanceId: string,
  action: InstanceAction,
): { queue: string; singletonKey: string } {
  if (action === 'create') return { queue: QUEUES.create, singletonKey: instanceId };
  if (action === 'terminate') return { queue: QUEUES.terminate, singletonKey: instanceId };
  return { queue: QUEUES.action, singletonKey: `${instanceId}:${action}` };
}

export class InstanceJobs {
  /** Each credential's instance syncs, run by the node that owns it. */
  readonly syncs: InstanceSyncLoop;
  private sweeper: NodeJS.Timeout | undefined;
  /** Set once shutdown began: jobs handed to a worker after that are queued again, not run. */
  private quiescing = false;
  /** This node's create workers (pg-boss worker ids), and those running a job right now. */
  private readonly createWorkers: string[] = [];
  private readonly busyCreateWorkers = new Set<string>();
  /** Where the next wake-up starts looking, so launches at once wake different workers. */
  private nextWake = 0;
  /** First attempts this node is running itself (`launch`), so `stop` can wait for them. */
  private readonly launching = new Set<Promise<void>>();
  /** Launches this node sends itself, from the decision to the end of the first attempt. */
  private directLaunches = 0;

  constructor(private readonly options: InstanceJobsOptions) {
    this.syncs = new InstanceSyncLoop({
      db: options.storage.db,
      leases: options.leases,
      logger: options.logger,
      credentials: () => options.credentials.refs(),
      intervalOf: (providerId) =>
        options.providers.get(providerId)?.pollIntervals.instancesMs ?? 5_000,
      sync: (credentialId) => this.sync(credentialId),
      announce: options.announceSync,
      timings: options.syncLoopTimings,
    });
  }

  async start(): Promise<void> {
    const { boss } = this.options;
    // Creates retry with backoff from 2 s (about 8 minutes in all); each retry looks for the
    // earlier attempt first. Expiries are bookkeeping only: a job that outlives its expiry is
    // retried, and the retry waits for the key's lease, so nothing runs twice at once.
    await ensureQueue(boss, {
      name: QUEUES.create,
      policy: QUEUE_POLICY,
      retryLimit: 8,
      retryDelay: 2,
      retryBackoff: true,
      expireInSeconds: 10 * 60,
    });
    // Terminates retry from 1 s, doubling, held by the sweep to TERMINATE_RETRY_CAP_MS apart;
    // after the last retry the sweep starts a new job (ActionRunner never gives a terminate up).
    await ensureQueue(boss, {
      name: QUEUES.terminate,
      policy: QUEUE_POLICY,
      retryLimit: 12,
      retryDelay: 1,
      retryBackoff: true,
      expireInSeconds: 5 * 60,
    });
    await ensureQueue(boss, {
      name: QUEUES.action,
      policy: QUEUE_POLICY,
      retryLimit: 6,
      retryDelay: 2,
      retryBackoff: true,
      expireInSeconds: 5 * 60,
    });
    await this.retireSyncQueue();
    if (this.options.storage.kind === 'pglite') await this.retryLeftovers();
    const polling = this.options.pollingIntervalSeconds ?? 1;
    const work = { batchSize: 1, pollingIntervalSeconds: polling, includeMetadata: true } as const;
    for (let i = 0; i < WORKERS.terminate; i++) {
      await boss.work<z.infer<typeof InstanceJob>>(QUEUES.terminate, work, async ([job]) => {
        if (!job) return;
        const { instanceId } = InstanceJob.parse(job.data);
        const terminate = this.instanceJob(instanceId, 'terminate');
        await this.leased(terminate.lease, LEASE_MS.terminate, {
          run: () => this.terminate(instanceId, job),
          requeue: terminate.queue,
        });
      });
    }
    for (let i = 0; i < WORKERS.create; i++) {
      let worker = '';
      worker = await boss.work<z.infer<typeof InstanceJob>>(QUEUES.create, work, async ([job]) => {
        if (!job) return;
        this.busyCreateWorkers.add(worker);
        try {
          const { instanceId } = InstanceJob.parse(job.data);
          const create = this.instanceJob(instanceId, 'create');
          await this.leased(create.lease, LEASE_MS.create, {
            run: () => this.create(instanceId, job),
            requeue: create.queue,
          });
        } finally {
          this.busyCreateWorkers.delete(worker);
          // Drain: a worker that just ran a create looks for the next one at once instead of
          // sleeping a polling interval, so a backlog of launches moves back to back.
          boss.notifyWorker(worker);
        }
      });
      this.createWorkers.push(worker);
    }
    for (let i = 0; i < WORKERS.action; i++) {
      await boss.work<z.infer<typeof ActionJob>>(QUEUES.action, work, async ([job]) => {
        if (!job) return;
        const { instanceId, action } = ActionJob.parse(job.data);
        const act = this.instanceJob(instanceId, action);
        await this.leased(act.lease, LEASE_MS.action, {
          run: () => this.act(instanceId, action, job),
          requeue: act.queue,
        });
      });
    }
    await this.sweep();
    await this.syncs.start();
    this.sweeper = setInterval(() => {
      this.sweep().catch((err: unknown) => {
        this.options.logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'instance sweep failed; the next one retries',
        );
      });
    }, this.options.sweepIntervalMs ?? 15_000);
    this.sweeper.unref();
  }

  /**
   * Takes no more work: this node's workers fetch no further jobs and its sync loop starts no
   * further syncs. Called before shutdown aborts what is running: a job fetched after the abort
   * would only fail, spending one of its retries (a launch's last one fails the launch) and, for
   * a queued launch, recording an attempt that never reached the provider.
   */
  async quiesce(): Promise<void> {
    this.quiescing = true;
    if (this.sweeper) clearInterval(this.sweeper);
    this.syncs.stopStarting();
    for (const queue of Object.values(QUEUES)) await this.options.boss.offWork(queue);
  }

  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.syncs.stop();
    // Shutdown has aborted their provider calls: each queues its create job and returns. One
    // whose adapter ignores the abort, or whose database is gone, is not waited for past the
    // bound; its lease then lapses as a dead node's would.
    await withDeadline(
      Promise.all(this.launching),
      STOP_WAIT_MS,
      () => new Error('first attempts still running'),
    ).catch(() => {
      this.options.logger.warn(
        { launches: this.launching.size },
        'stopped without waiting for these first attempts; their leases lapse and a sweep takes them',
      );
    });
  }

  /**
   * Queues a create job. The queue is the durable record of every attempt after the first (any
   * node's worker may take the job, and the sweep queues it again if the send is lost); a job
   * due now also wakes one of this node's idle create workers, so it starts at once instead of
   * at the workers' next poll.
   */
  async queueCreate(instanceId: string, delayMs = 0): Promise<void> {
    const startAfter = Math.ceil(delayMs / 1000);
    const slot = jobSlot(instanceId, 'create');
    await this.options.boss.send(
      slot.queue,
      { instanceId },
      { singletonKey: slot.singletonKey, startAfter },
    );
    // A stopping node's own workers would only send attempts that shutdown aborts at once.
    if (startAfter === 0 && !this.options.signal.aborted) this.wakeCreateWorker();
  }

  /**
   * Wakes the next idle create worker, round robin. When every one is busy none is woken: each
   * looks for the next job as soon as its own is done (the drain in `start`).
   */
  private wakeCreateWorker(): void {
    const workers = this.createWorkers;
    for (let i = 0; i < workers.length; i++) {
      const worker = workers[(this.nextWake + i) % workers.length];
      if (worker === undefined || this.busyCreateWorkers.has(worker)) continue;
      this.nextWake = (this.nextWake + i + 1) % workers.length;
      this.options.boss.notifyWorker(worker);
      return;
    }
  }

  async queueAction(instanceId: string, action: LifecycleAction, delayMs = 0): Promise<void> {
    const slot = jobSlot(instanceId, action);
    await this.options.boss.send(
      slot.queue,
      action === 'terminate' ? { instanceId } : { instanceId, action },
      { singletonKey: slot.singletonKey, startAfter: Math.ceil(delayMs / 1000) },
    );
  }

  /**
   * Runs a job's work under its key's lease. When another worker holds the key (its own job
   * still running, or a node that died holding it), the job is queued to look again shortly.
   */
  private async leased(
    key: string,
    ttlMs: number,
    job: { run: () => Promise<void>; requeue: (delayMs: number) => Promise<void> },
  ): Promise<void> {
    // A worker's fetch in flight when the node quiesced still hands it a job: queued again for
    // any node, with no retry spent, instead of run into the shutdown's abort.
    if (this.quiescing) {
      await job.requeue(0);
      return;
    }
    const outcome = await this.options.leases.run(key, ttlMs, job.run);
    if (!outcome.ran) await job.requeue(outcome.retryAfterMs);
  }

  /** A sync of the credential soon (an action was sent, or it was just added). */
  syncSoon(credentialId: string): Promise<void> {
    return this.syncs.syncSoon(credentialId);
  }

  /**
   * A new launch (docs/instances.md, "The create lane"): the row, its first attempt's slot and
   * its create lease commit in one transaction, and this node sends the attempt to the provider
   * at once, with no job between. The lease keeps any create job for it from running meanwhile;
   * should this node die, the lease lapses and a sweep queues the create job, which looks for the attempt by
   * refId before sending another. When the credential's launch rate is used up, or this node
   * already has `maxDirectLaunches` in flight or is stopping, the create job takes the launch.
   */
  async launch(
    row: NewInstanceRow & { readonly id: string },
    requested: NewEvent,
    perMinute: number,
  ): Promise<InstanceRow> {
    const lease = this.instanceJob(row.id, 'create').lease;
    const cap = this.options.maxDirectLaunches ?? DEFAULT_DIRECT_LAUNCHES;
    // Counted from the decision on, not from the commit: launches accepted side by side must
    // not all see room under the cap.
    const direct = !this.options.signal.aborted && this.directLaunches < cap;
    if (direct) this.directLaunches++;
    let accepted: Accepted;
    try {
      accepted = await this.options.launcher.accept(
        row,
        requested,
        direct
          ? {
              perMinute,
              lease: (tx) => this.options.leases.takeIn(tx, lease, LEASE_MS.create),
              release: (tx) => this.options.leases.releaseIn(tx, lease),
            }
          : null,
      );
    } catch (err) {
      if (direct) this.directLaunches--;
      throw err;
    }
    if (accepted.kind === 'queue') {
      if (direct) this.directLaunches--;
      // The launch is stored: a lost send is not the client's error.
      await this.queueCreateOrLeaveToSweep(accepted.row.id, accepted.delayMs);
      return accepted.row;
    }
    const running = this.sendFirstAttempt(accepted.row, accepted.opened, lease).finally(() => {
      this.directLaunches--;
      this.launching.delete(running);
    });
    this.launching.add(running);
    return accepted.row;
  }

  /** Runs the first attempt of a launch this node accepted; never rejects. */
  private async sendFirstAttempt(
    row: InstanceRow,
    opened: OpenedCredential,
    lease: string,
  ): Promise<void> {
    try {
      const outcome = await this.options.leases.hold(lease, LEASE_MS.create, async () => {
        try {
          return await this.options.launcher.sendFirst(row, opened);
        } catch (err) {
          this.options.logger.warn(
            { instanceId: row.id, err: loggableMessage(err) },
            'the first attempt of a launch did not finish; its create job takes over',
          );
          // Queued while the lease is still held: a sweep between the lease's release and this
          // send would find neither, and queue a second create job due at once.
          await this.queueCreateOrLeaveToSweep(row.id, RETRY_AFTER_MS);
          return null;
        }
      });
      if (outcome !== null) await this.follow(row.id, outcome);
    } catch (err) {
      // What follows an answered attempt (a job, a sync) could not be sent: the database
      // failed. The sweep queues the row's pending work again.
      this.options.logger.warn(
        { instanceId: row.id, err: loggableMessage(err) },
        'could not queue what follows a launch attempt; the sweep queues it',
      );
    }
  }

  /** `queueCreate` for a stored launch: a lost send is logged, and the sweep sends it again. */
  private async queueCreateOrLeaveToSweep(instanceId: string, delayMs: number): Promise<void> {
    await this.queueCreate(instanceId, delayMs).catch((err: unknown) => {
      this.options.logger.warn(
        { instanceId, err: loggableMessage(err) },
        'could not queue the create job; the sweep queues it',
      );
    });
  }

  private async create(instanceId: string, job: PgBoss.JobWithMetadata): Promise<void> {
    const outcome = await this.options.launcher.run(instanceId, job.retryCount >= job.retryLimit);
    await this.follow(instanceId, outcome);
  }

  /** What a create's outcome leaves to do: another attempt, a terminate, and a sync. */
  private async follow(instanceId: string, outcome: CreateOutcome): Promise<void> {
    if (outcome.kind === 'later') await this.queueCreate(instanceId, outcome.delayMs);
    if (outcome.kind === 'again') await this.queueCreate(instanceId);
    if (outcome.kind === 'terminate') await this.queueAction(instanceId, 'terminate');
    await this.syncAfter(instanceId);
  }

  private async terminate(instanceId: string, job: PgBoss.JobWithMetadata): Promise<void> {
    const outcome = await this.options.actions.run(
      instanceId,
      'terminate',
      job.retryCount >= job.retryLimit,
    );
    if (outcome.kind === 'wait') {
      // The launch is in flight, or its answer is unknown: its create job settles it (adopting
      // and then terminating what it made, or ending the row when a look-up finds nothing), or
      // this retry terminates it. Queued here too, since a first attempt sent by a node that
      // died has no job; but not beside one waiting out a retry, which pg-boss would not stop.
      const create = this.instanceJob(instanceId, 'create');
      const queued = await this.options.leases.unfinishedKeys([QUEUES.create]);
      if (!queued.has(create.lease)) await create.queue(0);
      throw new Error('waiting for the launch to settle before terminating');
    }
    await this.syncAfter(instanceId);
  }

  private async act(
    instanceId: string,
    action: 'stop' | 'start' | 'reboot',
    job: PgBoss.JobWithMetadata,
  ): Promise<void> {
    await this.options.actions.run(instanceId, action, job.retryCount >= job.retryLimit);
    await this.syncAfter(instanceId);
  }

  private async syncAfter(instanceId: string): Promise<void> {
    const [row] = await this.options.storage.db
      .select({ credentialId: instances.credentialId })
      .from(instances)
      .where(sql`${instances.id} = ${instanceId}`);
    if (row?.credentialId) await this.syncSoon(row.credentialId);
  }

  private async sync(credentialId: string): Promise<void> {
    const result = await this.options.syncer.sync(credentialId);
    for (const id of result.toTerminate) await this.queueAction(id, 'terminate');
  }

  /**
   * Queues again what a lost job would have left undone: creates of pending rows and pending
   * actions. Work whose job is unfinished (waiting to start or to retry, or running) or whose
   * key is leased is in hand, and is not sent again. Jobs a dead node left active are failed
   * first (a create or an action is retried), so no job stays active for ever, and terminates
   * waiting out a retry are brought to within TERMINATE_RETRY_CAP_MS. An action the provider
   * accepted is left to the syncer to see done until ACTION_RESEND_MS has passed.
   */
  private async sweep(): Promise<void> {
    // The cap first: should a later step fail, the terminates' next tries still come soon.
    await this.options.leases.capRetryDelays(QUEUES.terminate, TERMINATE_RETRY_CAP_MS);
    for (const lane of LANES) {
      await this.options.leases.failDeadJobs(this.options.boss, QUEUES[lane], LEASE_MS[lane]);
    }
    // Rows first, then jobs, then leases: a job that starts between the reads has its lease by
    // the last one, and one that ends releases its lease before pg-boss records how it ended.
    const pending = await this.pendingWork();
    const queued = await this.options.leases.unfinishedKeys(Object.values(QUEUES));
    const held = await this.options.leases.liveKeys();
    const lost = (rows: PendingWork[]) => {
      const now = Date.now();
      return rows.flatMap((row) =>
        jobsOwed(row, now)
          .map((action) => this.instanceJob(row.id, action))
          .filter((job) => !held.has(job.lease) && !queued.has(job.lease))
          .map((job) => ({ id: row.id, job })),
      );
    };
    const owed = lost(pending);
    if (owed.length === 0) return;
    // Work that no job or lease covers, read again now that the leases are read: a launch this
    // node sent itself (no job) that was answered and let its lease go after the rows were read
    // is no longer owed, and neither is an action accepted meanwhile.
    const still = new Set(
      lost(await this.pendingWork([...new Set(owed.map((o) => o.id))])).map((o) => o.job.lease),
    );
    for (const { job } of owed) if (still.has(job.lease)) await job.queue(0);
  }

  /**
   * Rows with work pending (of these ids, when given). A launch the provider answered keeps
   * `create` pending until the syncer sees it boot; its create job is done, and another would
   * only find nothing to do.
   */
  private async pendingWork(ids?: readonly string[]): Promise<PendingWork[]> {
    return this.options.storage.db
      .select({
        id: instances.id,
        action: instances.pendingAction,
        sentAt: instances.actionSentAt,
        launchUnsettled: sql<boolean>`${instances.cloudId} IS NULL AND ${instances.state} = 'pending' AND ${instances.createAttempts} > 0`,
      })
      .from(instances)
      .where(
        and(
          sql`${instances.pendingAction} IS NOT NULL AND ${instances.terminatedAt} IS NULL
              AND NOT (${instances.pendingAction} = 'create' AND ${instances.cloudId} IS NOT NULL)`,
          ids === undefined ? undefined : inArray(instances.id, [...ids]),
        ),
      );
  }

  /**
   * The job that carries `action` on an instance: the lease its worker runs under (its queue and
   * singleton key) and how to queue it. Workers and the sweep both go through here, so a job and
   * the lease that says it is in hand cannot disagree.
   */
  private instanceJob(
    instanceId: string,
    action: InstanceAction,
  ): { lease: string; queue: (delayMs: number) => Promise<void> } {
    const slot = jobSlot(instanceId, action);
    return {
      lease: leaseKey(slot.queue, slot.singletonKey),
      queue: (delayMs) =>
        action === 'create'
          ? this.queueCreate(instanceId, delayMs)
          : this.queueAction(instanceId, action, delayMs),
    };
  }

  /**
   * Removes the queue an earlier version ran instance syncs on, with the jobs it left (pg-boss
   * refuses to delete a queue that still has jobs). Nothing works that queue any more; should
   * this fail (another node removing it at the same moment), it is only left behind.
   */
  private async retireSyncQueue(): Promise<void> {
    try {
      await this.options.storage.db.execute(
        sql`DELETE FROM pgboss.job WHERE name = ${RETIRED_SYNC_QUEUE}`,
      );
      if (await this.options.boss.getQueue(RETIRED_SYNC_QUEUE)) {
        await this.options.boss.deleteQueue(RETIRED_SYNC_QUEUE);
      }
    } catch (err) {
      this.options.logger.warn(
        { queue: RETIRED_SYNC_QUEUE, err: loggableMessage(err) },
        'could not remove the retired instance-sync queue; it is left unused',
      );
    }
  }

  /**
   * The embedded database has one process, so a job still active at start was left by a
   * crash: it goes back to the queue (as a retry), where a create begins by looking for what
   * the crashed attempt may have launched.
   */
  private async retryLeftovers(): Promise<void> {
    for (const queue of Object.values(QUEUES)) {
      const ids = Ids.parse(
        await this.options.storage.db.execute(
          sql`SELECT id::text AS id FROM pgboss.job WHERE name = ${queue} AND state = 'active'`,
        ),
      ).rows.map((r) => r.id);
      if (ids.length === 0) continue;
      this.options.logger.warn({ queue, jobs: ids.length }, 'retrying jobs left active by a crash');
      await this.options.boss.fail(queue, ids);
    }
  }
}

interface PendingWork {
  readonly id: string;
  readonly action: InstanceAction | null;
  readonly sentAt: Date | null;
  readonly launchUnsettled: boolean;
}

/**
 * The jobs a row with pending work is owed. A terminate asked for while an attempt's answer is
 * unknown waits for the create job to settle the launch; that job must exist even when the
 * attempt's node died with none. An action the provider accepted is owed none until overdue.
 */
function jobsOwed(row: PendingWork, now: number): InstanceAction[] {
  if (row.action === null || awaitsOutcome(row.action, row.sentAt, now)) return [];
  return row.action === 'terminate' && row.launchUnsettled ? ['create', 'terminate'] : [row.action];
}
