import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { z } from 'zod';
import type { Logger } from '@cloudplane/sdk';
import type { Db, Tx } from '../db/open.js';
import { loggableMessage } from '../storage-errors.js';

/**
 * Who runs the work on a key right now, across every node. pg-boss's `stately` policy kept one
 * active job per key, but a node killed mid-job left that job active until its expiry (minutes),
 * and a due job behind it made pg-boss's fetch fail for the whole queue meanwhile. A lease is
 * renewed while its holder works and lapses a TTL after the holder dies, so the work moves to
 * another node within seconds, and nothing in the queue waits behind it.
 */

/**
 * How soon a job that found its key held looks again: soon enough that work asked for while
 * the holder ran (a "sync now", an action's outcome) follows it closely, rarely enough to cost
 * nothing much while a long create holds its key.
 */
export const BUSY_RECHECK_MS = 5_000;

/** A failed renewal is tried again after this share of the TTL (several tries before it lapses). */
const RENEW_RETRY_SHARE = 0.1;

export type LeaseOutcome<T> =
  | { readonly ran: true; readonly value: T }
  /** Another worker holds the key: look again after `retryAfterMs`. */
  | { readonly ran: false; readonly retryAfterMs: number };

/** A job's lease key: its queue and its singleton key, so a job row names its own lease. */
export function leaseKey(queue: string, singletonKey: string): string {
  return `${queue}:${singletonKey}`;
}

const Taken = z.object({ rows: z.array(z.object({ key: z.string() })) });
const DeadJobs = z.object({ rows: z.array(z.object({ id: z.string(), key: z.string() })) });

/** A job a dead node left active: its id, and the key (singleton key) it was working on. */
export type DeadJob = z.infer<typeof DeadJobs>['rows'][number];
const Remaining = z.object({ rows: z.array(z.object({ ms: z.coerce.number() })) });

export class JobLeases {
  /** One holder per process: a restarted node never mistakes its old leases for its own. */
  readonly holder = randomUUID();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  /**
   * Runs `work` while holding `key`, renewing the lease every third of `ttlMs`. The TTL bounds
   * how long a dead holder blocks the key; it must exceed the longest single step of `work`
   * that cannot be stopped (a provider call), so a live holder cut off from the database has
   * finished that step before anyone else can start.
   */
  async run<T>(key: string, ttlMs: number, work: () => Promise<T>): Promise<LeaseOutcome<T>> {
    if (!(await this.take(key, ttlMs))) {
      const lapsesInMs = await this.remainingMs(key);
      return { ran: false, retryAfterMs: Math.min(lapsesInMs + 1_000, BUSY_RECHECK_MS) };
    }
    return { ran: true, value: await this.hold(key, ttlMs, work) };
  }

  /**
   * Takes `key` inside the caller's transaction, so the lease commits with the work it covers
   * (the accepting node's launch: row, slot and lease at once). False when someone holds it.
   */
  async takeIn(tx: Tx, key: string, ttlMs: number): Promise<boolean> {
    return this.take(key, ttlMs, tx);
  }

  /** Gives back, in the caller's transaction, a lease `takeIn` took in it. */
  async releaseIn(tx: Tx, key: string): Promise<void> {
    await this.release(key, tx);
  }

  /**
   * Runs `work` under a lease this holder has already taken (`takeIn`), renewing it every third
   * of `ttlMs` and releasing it when the work is done, however it ends.
   */
  async hold<T>(key: string, ttlMs: number, work: () => Promise<T>): Promise<T> {
    let renewal: NodeJS.Timeout | undefined;
    let done = false;
    const renewIn = (ms: number) => {
      renewal = setTimeout(() => {
        this.renew(key, ttlMs).then(
          () => {
            if (!done) renewIn(ttlMs / 3);
          },
          (err: unknown) => {
            this.logger.warn(
              { key, err: loggableMessage(err) },
              'could not renew a job lease; trying again soon, before it lapses',
            );
            // Soon, not a third of the TTL later: two failures in a row at that pace would let
            // the lease lapse while its work still runs.
            if (!done) renewIn(Math.min(ttlMs / 3, ttlMs * RENEW_RETRY_SHARE));
          },
        );
      }, ms);
      renewal.unref();
    };
    renewIn(ttlMs / 3);
    try {
      return await work();
    } finally {
      done = true;
      clearTimeout(renewal);
      await this.release(key).catch((err: unknown) => {
        this.logger.debug({ key, err: loggableMessage(err) }, 'lease left to lapse');
      });
    }
  }

  /** The keys some worker holds now: work on them is not lost, so sweeps leave it be. */
  async liveKeys(): Promise<Set<string>> {
    const result = Taken.parse(
      await this.db.execute(sql`SELECT key FROM job_leases WHERE expires_at > now()`),
    );
    return new Set(result.rows.map((r) => r.key));
  }

  /**
   * The lease keys of these queues' unfinished jobs: waiting to start (`created`), waiting out
   * a retry's backoff (`retry`), or running (`active`: a worker releases its lease just before
   * pg-boss records how the job ended, and a dead node's job is failed into `retry` by
   * `failDeadJobs`). pg-boss's `short` policy keeps a second job off a key only while one is
   * `created`, so a sweep that sent for any other of these keys would start a second job at
   * once: the backoff cut short, and the retries counted anew.
   */
  async unfinishedKeys(queues: readonly string[]): Promise<Set<string>> {
    const result = Taken.parse(
      await this.db.execute(
        sql`SELECT j.name || ':' || j.singleton_key AS key FROM pgboss.job j
            WHERE j.name IN (${sql.join(
              queues.map((queue) => sql`${queue}`),
              sql`, `,
            )})
              AND j.state IN ('created', 'retry', 'active') AND j.singleton_key IS NOT NULL`,
      ),
    );
    return new Set(result.rows.map((r) => r.key));
  }

  /**
   * Brings `queue`'s jobs waiting out a retry to start within `maxMs` from now, each at a random
   * point of its second half (so that jobs that failed together do not all try again together).
   * pg-boss doubles a retry's delay each time, up to hours: after a long outage, the next try of
   * work that should go through as soon as the provider is back (a terminate: the machine bills
   * meanwhile) could be over an hour away.
   */
  async capRetryDelays(queue: string, maxMs: number): Promise<void> {
    await this.db.execute(
      sql`UPDATE pgboss.job
          SET start_after = now() + ${maxMs} * (0.5 + random() / 2) * interval '1 millisecond'
          WHERE name = ${queue} AND state = 'retry'
            AND start_after > now() + ${maxMs} * interval '1 millisecond'`,
    );
  }

  /**
   * Ids of `queue`'s jobs that a dead node left active: started over `ttlMs` ago, and nobody
   * holds their key. A live job takes its lease the moment it starts, and renews it while it
   * runs, so such a job's worker is gone.
   */
  async deadJobs(queue: string, ttlMs: number): Promise<DeadJob[]> {
    const result = DeadJobs.parse(
      await this.db.execute(
        sql`SELECT j.id::text AS id, j.singleton_key AS key FROM pgboss.job j
            WHERE j.name = ${queue} AND j.state = 'active'
              AND j.started_on < now() - ${ttlMs} * interval '1 millisecond'
              AND NOT EXISTS (
                SELECT 1 FROM job_leases l
                WHERE l.key = j.name || ':' || j.singleton_key AND l.expires_at > now())`,
      ),
    );
    return result.rows;
  }

  /**
   * Fails `queue`'s jobs a dead node left active (`deadJobs`), so that pg-boss retries those
   * with retries left and none stays active for ever; returns them.
   */
  async failDeadJobs(boss: PgBoss, queue: string, ttlMs: number): Promise<DeadJob[]> {
    const dead = await this.deadJobs(queue, ttlMs);
    if (dead.length === 0) return dead;
    this.logger.warn({ queue, jobs: dead.length }, 'failing jobs of a dead node');
    await boss.fail(
      queue,
      dead.map((job) => job.id),
    );
    return dead;
  }

  /** Drops every lease: for the embedded database, whose one process has just started. */
  async clear(): Promise<void> {
    await this.db.execute(sql`DELETE FROM job_leases`);
  }

  private async take(key: string, ttlMs: number, db: Db | Tx = this.db): Promise<boolean> {
    // clock_timestamp(), not now(): inside a transaction now() is when it began, and a TTL
    // counted from there would lose whatever the transaction waited for after it.
    const taken = Taken.parse(
      await db.execute(
        sql`INSERT INTO job_leases (key, holder, expires_at)
            VALUES (${key}, ${this.holder}, clock_timestamp() + ${ttlMs} * interval '1 millisecond')
            ON CONFLICT (key) DO UPDATE
              SET holder = excluded.holder, expires_at = excluded.expires_at
              WHERE job_leases.expires_at < now()
            RETURNING key`,
      ),
    );
    return taken.rows.length === 1;
  }

  private async renew(key: string, ttlMs: number): Promise<void> {
    const renewed = Taken.parse(
      await this.db.execute(
        sql`UPDATE job_leases SET expires_at = now() + ${ttlMs} * interval '1 millisecond'
            WHERE key = ${key} AND holder = ${this.holder} RETURNING key`,
      ),
    );
    if (renewed.rows.length === 0) {
      this.logger.error({ key }, 'a job lease lapsed while its work was running');
    }
  }

  private async release(key: string, db: Db | Tx = this.db): Promise<void> {
    await db.execute(sql`DELETE FROM job_leases WHERE key = ${key} AND holder = ${this.holder}`);
  }

  private async remainingMs(key: string): Promise<number> {
    const result = Remaining.parse(
      await this.db.execute(
        sql`SELECT GREATEST(0, EXTRACT(EPOCH FROM expires_at - now()) * 1000) AS ms
            FROM job_leases WHERE key = ${key}`,
      ),
    );
    return Math.ceil(result.rows[0]?.ms ?? 0);
  }
}
