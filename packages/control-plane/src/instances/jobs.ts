import { sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { z } from 'zod';
import type { Logger } from '@cloudplane/sdk';
import type { CredentialStore } from '../credentials/store.js';
import type { Storage } from '../db/open.js';
import { instances } from '../db/schema.js';
import type { ProviderRegistry } from '../providers.js';
import type { ActionRunner, LifecycleAction } from './actions.js';
import type { Launcher } from './launcher.js';
import type { InstanceSyncer } from './syncer.js';

/**
 * The instance half's pg-boss queues. Each kind of work has its own queue and workers, so the
 * lanes never wait on each other: terminates first (most workers, never rate limited), then
 * creates, then stop/start/reboot, then syncs. Per-instance jobs are keyed by instance and
 * syncs by credential (`stately`: one queued and one running per key across every node).
 */

export const QUEUES = {
  terminate: 'instance-terminate',
  create: 'instance-create',
  action: 'instance-action',
  sync: 'instance-sync',
} as const;

/** Workers per lane in one process. */
const WORKERS = { terminate: 3, create: 2, action: 2, sync: 2 } as const;

const InstanceJob = z.object({ instanceId: z.string().min(1) });
const ActionJob = InstanceJob.extend({ action: z.enum(['stop', 'start', 'reboot']) });
const SyncJob = z.object({ credentialId: z.string().min(1) });
const Ids = z.object({ rows: z.array(z.object({ id: z.string() })) });

export interface InstanceJobsOptions {
  readonly boss: PgBoss;
  readonly storage: Storage;
  readonly credentials: CredentialStore;
  readonly providers: ProviderRegistry;
  readonly launcher: Launcher;
  readonly actions: ActionRunner;
  readonly syncer: InstanceSyncer;
  readonly logger: Logger;
  readonly pollingIntervalSeconds?: number;
  /** How often pending work whose job was lost is queued again. Default 1 minute. */
  readonly sweepIntervalMs?: number;
}

export class InstanceJobs {
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: InstanceJobsOptions) {}

  async start(): Promise<void> {
    const { boss } = this.options;
    // Creates retry with backoff from 2 s (about 8 minutes in all); each retry looks for the
    // earlier attempt first. Expiry is long: a create job still running elsewhere must never
    // be taken for dead while its launch may still be in flight.
    await boss.createQueue(QUEUES.create, {
      name: QUEUES.create,
      policy: 'stately',
      retryLimit: 8,
      retryDelay: 2,
      retryBackoff: true,
      expireInSeconds: 10 * 60,
    });
    await boss.createQueue(QUEUES.terminate, {
      name: QUEUES.terminate,
      policy: 'stately',
      retryLimit: 12,
      retryDelay: 1,
      retryBackoff: true,
      expireInSeconds: 5 * 60,
    });
    await boss.createQueue(QUEUES.action, {
      name: QUEUES.action,
      policy: 'stately',
      retryLimit: 6,
      retryDelay: 2,
      retryBackoff: true,
      expireInSeconds: 5 * 60,
    });
    await boss.createQueue(QUEUES.sync, {
      name: QUEUES.sync,
      policy: 'stately',
      retryLimit: 0,
      expireInSeconds: 5 * 60,
    });
    if (this.options.storage.kind === 'pglite') await this.retryLeftovers();
    const polling = this.options.pollingIntervalSeconds ?? 1;
    const work = { batchSize: 1, pollingIntervalSeconds: polling, includeMetadata: true } as const;
    for (let i = 0; i < WORKERS.terminate; i++) {
      await boss.work<z.infer<typeof InstanceJob>>(QUEUES.terminate, work, async ([job]) => {
        if (job) await this.terminate(InstanceJob.parse(job.data).instanceId, job);
      });
    }
    for (let i = 0; i < WORKERS.create; i++) {
      await boss.work<z.infer<typeof InstanceJob>>(QUEUES.create, work, async ([job]) => {
        if (job) await this.create(InstanceJob.parse(job.data).instanceId, job);
      });
    }
    for (let i = 0; i < WORKERS.action; i++) {
      await boss.work<z.infer<typeof ActionJob>>(QUEUES.action, work, async ([job]) => {
        if (!job) return;
        const data = ActionJob.parse(job.data);
        await this.act(data.instanceId, data.action, job);
      });
    }
    for (let i = 0; i < WORKERS.sync; i++) {
      await boss.work<z.infer<typeof SyncJob>>(QUEUES.sync, work, async ([job]) => {
        if (job) await this.sync(SyncJob.parse(job.data).credentialId);
      });
    }
    await this.sweep();
    this.sweeper = setInterval(() => {
      this.sweep().catch((err: unknown) => {
        this.options.logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'instance sweep failed; the next one retries',
        );
      });
    }, this.options.sweepIntervalMs ?? 60_000);
    this.sweeper.unref();
  }

  stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    return Promise.resolve();
  }

  async queueCreate(instanceId: string, delayMs = 0): Promise<void> {
    await this.options.boss.send(
      QUEUES.create,
      { instanceId },
      { singletonKey: instanceId, startAfter: Math.ceil(delayMs / 1000) },
    );
  }

  async queueAction(instanceId: string, action: LifecycleAction): Promise<void> {
    if (action === 'terminate') {
      await this.options.boss.send(QUEUES.terminate, { instanceId }, { singletonKey: instanceId });
    } else {
      await this.options.boss.send(
        QUEUES.action,
        { instanceId, action },
        { singletonKey: `${instanceId}:${action}` },
      );
    }
  }

  /** Queues a sync at `delayMs`; a no-op when one is already queued. */
  async queueSync(credentialId: string, delayMs: number): Promise<void> {
    await this.options.boss.send(
      QUEUES.sync,
      { credentialId },
      { singletonKey: credentialId, startAfter: Math.ceil(delayMs / 1000) },
    );
  }

  /** Moves the credential's queued sync to now (an action was sent; its outcome is due). */
  async syncSoon(credentialId: string): Promise<void> {
    const moved = Ids.parse(
      await this.options.storage.db.execute(
        sql`UPDATE pgboss.job SET start_after = now() WHERE name = ${QUEUES.sync} AND singleton_key = ${credentialId} AND state = 'created' RETURNING id::text AS id`,
      ),
    );
    if (moved.rows.length === 0) await this.queueSync(credentialId, 0);
  }

  private async create(instanceId: string, job: PgBoss.JobWithMetadata): Promise<void> {
    const outcome = await this.options.launcher.run(instanceId, job.retryCount >= job.retryLimit);
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
      // The launch is in flight; its create job terminates it when done, or this retry does.
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
    const summary = await this.options.credentials.get(credentialId);
    if (!summary) return; // removed since it was queued
    const interval =
      this.options.providers.get(summary.provider)?.pollIntervals.instancesMs ?? 5_000;
    try {
      const result = await this.options.syncer.sync(credentialId);
      for (const id of result.toTerminate) await this.queueAction(id, 'terminate');
    } finally {
      await this.queueSync(credentialId, interval);
    }
  }

  /**
   * Queues again what a lost job would have left undone: every credential's sync, creates of
   * pending rows and pending actions. Sends for work already queued are no-ops (stately).
   */
  private async sweep(): Promise<void> {
    for (const credential of await this.options.credentials.refs()) {
      await this.queueSync(credential.id, 0);
    }
    const pending = await this.options.storage.db
      .select({ id: instances.id, action: instances.pendingAction })
      .from(instances)
      .where(sql`${instances.pendingAction} IS NOT NULL AND ${instances.terminatedAt} IS NULL`);
    for (const row of pending) {
      if (row.action === 'create') await this.queueCreate(row.id);
      else if (row.action !== null) await this.queueAction(row.id, row.action);
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
