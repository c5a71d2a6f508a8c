import { sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import { z } from 'zod';
import type { Logger } from '@cloudplane/sdk';
import type { CatalogSyncer } from '../catalog/syncer.js';
import type { CredentialStore } from '../credentials/store.js';
import type { Storage } from '../db/open.js';
import { ControlPlaneError } from '../errors.js';
import type { ProviderRegistry } from '../providers.js';
import { loggableMessage } from '../storage-errors.js';
import { JobLeases, leaseKey } from './leases.js';
import { ensureQueue, QUEUE_POLICY } from './queues.js';

/**
 * Catalog syncs as pg-boss jobs, keyed by credential: at most one sync queued per credential,
 * and one running under the credential's lease, across every node sharing the database. Each
 * job schedules the next at the provider's own poll interval (sooner after a failure, never
 * sooner than the provider's Retry-After).
 */

export const CATALOG_SYNC_QUEUE = 'catalog-sync';

/** A sync renews its lease as it runs; a dead node's lapses after this. */
const SYNC_LEASE_MS = 30_000;

const JobData = z.object({
  credentialId: z.string().min(1),
  acceptImplausible: z.boolean().optional(),
});
const JobRows = z.object({ rows: z.array(z.object({ id: z.string() })) });

export interface SchedulerOptions {
  readonly storage: Storage;
  readonly syncer: CatalogSyncer;
  readonly credentials: CredentialStore;
  readonly providers: ProviderRegistry;
  readonly logger: Logger;
  /** How often idle workers look for due jobs. */
  readonly pollingIntervalSeconds?: number;
  /** How often every credential is checked for a queued sync. Default 30 seconds. */
  readonly sweepIntervalMs?: number;
  /** Wait after a failed sync before the next try (capped by the provider's poll interval). */
  readonly failureBackoffMs?: number;
}

export class SyncScheduler {
  readonly boss: PgBoss;
  /** The one lease table of this process, shared with the instance jobs. */
  readonly leases: JobLeases;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: SchedulerOptions) {
    const { jobs } = options.storage;
    this.boss = new PgBoss({
      db: jobs.db,
      schema: 'pgboss',
      schedule: false,
      supervise: true,
    });
    this.leases = new JobLeases(options.storage.db, options.logger);
    this.boss.on('error', (err: unknown) => {
      options.logger.error({ err: loggableMessage(err) }, 'job queue error');
    });
  }

  async start(): Promise<void> {
    await this.boss.start();
    await ensureQueue(this.boss, {
      name: CATALOG_SYNC_QUEUE,
      policy: QUEUE_POLICY,
      retryLimit: 0,
      // Only bookkeeping now: the lease, not the job, keeps the credential's slot, so a job
      // left active by a dead node holds nothing back.
      expireInSeconds: 5 * 60,
    });
    if (this.options.storage.kind === 'pglite') {
      await this.leases.clear();
      await this.failLeftovers();
    }
    await this.boss.work<z.infer<typeof JobData>>(
      CATALOG_SYNC_QUEUE,
      { batchSize: 1, pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2 },
      async ([job]) => {
        if (job) await this.runLeased(JobData.parse(job.data));
      },
    );
    for (const credential of await this.options.credentials.refs()) {
      await this.schedule(credential.id, 0);
    }
    this.sweeper = setInterval(() => {
      this.sweep().catch((err: unknown) => {
        this.options.logger.warn(
          { err: loggableMessage(err) },
          'catalog sync sweep failed; the next one retries',
        );
      });
    }, this.options.sweepIntervalMs ?? 30_000);
    this.sweeper.unref();
  }

  /**
   * The embedded database has one process (the data-dir lock), so a job still active at start
   * was left by a crash: it is failed, so that its state says what happened to it.
   */
  private async failLeftovers(): Promise<void> {
    const ids = await this.jobIds({ state: 'active' });
    if (ids.length === 0) return;
    this.options.logger.warn({ jobs: ids.length }, 'failing catalog syncs left active by a crash');
    await this.boss.fail(CATALOG_SYNC_QUEUE, ids);
  }

  /** Ids of this queue's jobs in one state, for one credential or all. */
  private async jobIds(where: { state: string; credentialId?: string }): Promise<string[]> {
    const result = await this.options.storage.db.execute(
      sql`SELECT id::text AS id FROM pgboss.job WHERE name = ${CATALOG_SYNC_QUEUE} AND state = ${where.state}${
        where.credentialId === undefined ? sql`` : sql` AND singleton_key = ${where.credentialId}`
      }`,
    );
    return JobRows.parse(result).rows.map((r) => r.id);
  }

  /** Queues a sync at `delayMs` from now; a no-op when one is already queued. */
  async schedule(
    credentialId: string,
    delayMs: number,
    options: { acceptImplausible?: boolean | undefined } = {},
  ): Promise<void> {
    await this.boss.send(
      CATALOG_SYNC_QUEUE,
      { credentialId, ...options },
      { singletonKey: credentialId, startAfter: Math.ceil(delayMs / 1000) },
    );
  }

  /** `schedule`, for shutdown: the database may already be going away, and that is fine. */
  private async scheduleQuietly(credentialId: string, delayMs: number): Promise<void> {
    try {
      await this.schedule(credentialId, delayMs);
    } catch (err) {
      this.options.logger.debug(
        { credentialId, err: loggableMessage(err) },
        'could not queue the next catalog sync during shutdown; the next start queues it',
      );
    }
  }

  /**
   * Moves the credential's queued sync to now, in one statement (a run finishing meanwhile
   * cannot slip a later job in between); queues one when none is queued.
   */
  async syncNow(
    credentialId: string,
    options: { acceptImplausible?: boolean } = {},
  ): Promise<void> {
    await this.options.credentials.require(credentialId);
    const accept = options.acceptImplausible === true;
    const moved = JobRows.parse(
      await this.options.storage.db.execute(
        sql`UPDATE pgboss.job SET start_after = now(), data = data || ${JSON.stringify(accept ? { acceptImplausible: true } : {})}::jsonb WHERE name = ${CATALOG_SYNC_QUEUE} AND singleton_key = ${credentialId} AND state = 'created' RETURNING id::text AS id`,
      ),
    );
    if (moved.rows.length === 0) {
      await this.schedule(credentialId, 0, accept ? { acceptImplausible: true } : {});
    }
  }

  /** Fetches no more sync jobs (the first step of a shutdown; see InstanceJobs.quiesce). */
  async quiesce(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.boss.offWork(CATALOG_SYNC_QUEUE);
  }

  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.boss.stop({ graceful: true, wait: true, timeout: 15_000 });
  }

  /**
   * Every credential gets a queued sync at its poll interval unless it has one: this catches a
   * credential whose next sync was never queued (a failed send, a node that died mid-job). The
   * send is a no-op for every credential that is fine.
   */
  private async sweep(): Promise<void> {
    const dead = await this.leases.failDeadJobs(this.boss, CATALOG_SYNC_QUEUE, SYNC_LEASE_MS);
    // Their syncs never finished: run them again now, not at the next poll interval.
    for (const job of dead) {
      await this.syncNow(job.key).catch((err: unknown) => {
        this.options.logger.debug(
          { credentialId: job.key, err: loggableMessage(err) },
          'no sync re-queued for a dead node (the credential is gone)',
        );
      });
    }
    const held = await this.leases.liveKeys();
    for (const credential of await this.options.credentials.refs()) {
      if (held.has(leaseKey(CATALOG_SYNC_QUEUE, credential.id))) continue;
      await this.schedule(credential.id, this.intervalOf(credential.provider));
    }
  }

  private intervalOf(providerId: string): number {
    return this.options.providers.get(providerId)?.pollIntervals.instanceTypesMs ?? 60_000;
  }

  /**
   * Runs the sync under the credential's lease. When another worker holds it (a "sync now"
   * while a sync runs, or a node that died mid-sync), this sync looks again shortly, so it
   * follows a live holder and takes over from a dead one within one lease TTL.
   */
  private async runLeased(data: z.infer<typeof JobData>): Promise<void> {
    const outcome = await this.leases.run(
      leaseKey(CATALOG_SYNC_QUEUE, data.credentialId),
      SYNC_LEASE_MS,
      () => this.run(data),
    );
    if (!outcome.ran) {
      const { credentialId, ...options } = data;
      await this.schedule(credentialId, outcome.retryAfterMs, options);
    }
  }

  private async run({ credentialId, acceptImplausible }: z.infer<typeof JobData>): Promise<void> {
    const summary = await this.options.credentials.get(credentialId);
    if (!summary) return; // removed since it was queued: stop rescheduling
    let next: number;
    try {
      const result = await this.options.syncer.sync(credentialId, {
        ...(acceptImplausible === true ? { acceptImplausible } : {}),
      });
      const interval = this.intervalOf(summary.provider);
      next =
        result.outcome === 'ok'
          ? interval
          : Math.max(
              result.retryAfterMs ?? 0,
              Math.min(interval, this.options.failureBackoffMs ?? 15_000),
            );
    } catch (err) {
      if (err instanceof ControlPlaneError && err.status === 404) return;
      if (this.options.syncer.stopping) {
        // Shutdown aborted it: a normal stop. Queued for now, so another node (or this one's
        // next start) runs it at once instead of at the next sweep.
        this.options.logger.info({ credentialId }, 'catalog sync stopped by shutdown');
        await this.scheduleQuietly(credentialId, 0);
        return;
      }
      this.options.logger.error(
        {
          credentialId,
          code: err instanceof ControlPlaneError ? err.code : undefined,
          err: loggableMessage(err),
        },
        'catalog sync job failed',
      );
      next = this.options.failureBackoffMs ?? 15_000;
    }
    await this.schedule(credentialId, next);
  }
}
