import { sql } from 'drizzle-orm';
import PQueue from 'p-queue';
import { z } from 'zod';
import type { Logger } from '@cloudplane/sdk';
import type { Db } from '../db/open.js';
import { leaseKey, type JobLeases } from '../jobs/leases.js';
import { loggableMessage } from '../storage-errors.js';

/**
 * This node's timers (when to renew, claim and sync, and how long its leases surely hold) run on
 * a clock that never steps: a wall clock set back by NTP would otherwise keep a node starting
 * syncs past its leases' real end, beside the node that took them over. The leases' expiry
 * itself is the database's clock.
 */
const monotonicNow = (): number => performance.now();

/**
 * The instance sync's schedule: each credential's instance list is reconciled every few seconds
 * by exactly one node, which owns the credential for as long as it lives.
 *
 * A sync every 5 s per credential must cost the database nothing when nothing changed, so there
 * is no job per sync. A node owns credentials through long-lived leases in `job_leases` (the same
 * table as the job leases, keys `instance-sync:<credential>`), renews all of them in one statement
 * every third of their TTL, and runs each owned credential's syncs from its own timer. A node
 * also holds a presence lease, so nodes can count each other and each claims only its share.
 * A dead node's leases lapse after the TTL and the others claim them; a node that stops hands
 * its credentials back at once. In steady state the whole schedule writes one `UPDATE` per node
 * per renewal, whatever the number of credentials and ticks.
 */

export const INSTANCE_SYNC_KEY = 'instance-sync';
const PRESENCE_KEY = 'instance-sync-node';

export interface SyncLoopTimings {
  /** How long a dead node keeps its credentials. Default 30 s. */
  readonly leaseMs: number;
  /** How often a node looks for credentials nobody owns. Default 5 s. */
  readonly claimEveryMs: number;
  /** How often the loop looks for due syncs. Default 250 ms. */
  readonly roundMs: number;
}

export const DEFAULT_SYNC_LOOP_TIMINGS: SyncLoopTimings = {
  leaseMs: 30_000,
  claimEveryMs: 5_000,
  roundMs: 250,
};

export interface SyncLoopOptions {
  readonly db: Db;
  /** The process's lease holder id, shared with the job leases. */
  readonly leases: JobLeases;
  readonly logger: Logger;
  /** Every credential there is, with its provider. */
  readonly credentials: () => Promise<readonly { id: string; provider: string }[]>;
  /** The provider's instance poll interval. */
  readonly intervalOf: (providerId: string) => number;
  /** One sync of one credential. */
  readonly sync: (credentialId: string) => Promise<void>;
  /** Asks every node to sync a credential now (the owner hears it); none on one process. */
  readonly announce?: ((credentialId: string) => Promise<void>) | undefined;
  /** Syncs this node runs at once. Default 4. */
  readonly concurrency?: number;
  readonly timings?: Partial<SyncLoopTimings> | undefined;
}

interface Owned {
  readonly provider: string;
  /** When the next sync is due (`monotonicNow` ms); Infinity while one runs. */
  dueAt: number;
}

const Keys = z.object({ rows: z.array(z.object({ key: z.string() })) });
const Holders = z.object({ rows: z.array(z.object({ key: z.string(), holder: z.string() })) });

export class InstanceSyncLoop {
  private readonly owned = new Map<string, Owned>();
  /** Credentials with a sync queued or running here, owned or not any more. */
  private readonly running = new Set<string>();
  private readonly timings: SyncLoopTimings;
  private readonly queue: PQueue;
  private timer: NodeJS.Timeout | undefined;
  private nextRenewAt = 0;
  private nextClaimAt = 0;
  /**
   * Until when this node's leases surely hold: the last successful renewal's send time plus
   * the TTL, less a margin. No sync starts past it, so a node cut off from the database stops
   * before another node can take its credentials.
   */
  private validUntil = 0;
  private inRound: Promise<void> | undefined;
  /** Set by `stop`: no claims and no new syncs, but renewals go on while syncs drain. */
  private stopping = false;

  constructor(private readonly options: SyncLoopOptions) {
    this.timings = { ...DEFAULT_SYNC_LOOP_TIMINGS, ...options.timings };
    this.queue = new PQueue({ concurrency: options.concurrency ?? 4 });
  }

  private get holder(): string {
    return this.options.leases.holder;
  }

  /** Claims this node's share and starts the timer. */
  async start(): Promise<void> {
    await this.runRound();
    this.timer = setInterval(() => {
      // A round still running (a slow database) is not queued behind: the next tick retries.
      this.inRound ??= this.runRound().finally(() => {
        this.inRound = undefined;
      });
    }, this.timings.roundMs);
    this.timer.unref();
  }

  /** Starts no more syncs (the first step of a shutdown); the running ones go on. */
  stopStarting(): void {
    this.stopping = true;
    this.queue.clear();
  }

  /**
   * Stops syncing and hands every owned credential back, so another node takes them at its next
   * claim instead of a lease TTL later. Syncs not started are dropped; the ones running are
   * waited for, with the leases renewed meanwhile.
   */
  async stop(): Promise<void> {
    this.stopStarting();
    await this.queue.onIdle();
    if (this.timer) clearInterval(this.timer);
    await this.inRound;
    this.owned.clear();
    await this.options.db
      .execute(
        sql`DELETE FROM job_leases WHERE holder = ${this.holder}
            AND (key LIKE ${`${INSTANCE_SYNC_KEY}:%`} OR key = ${this.presenceKey})`,
      )
      .catch((err: unknown) => {
        this.options.logger.debug(
          { err: loggableMessage(err) },
          'instance sync leases left to lapse',
        );
      });
  }

  /** The credentials this node owns now. */
  ownedIds(): string[] {
    return [...this.owned.keys()];
  }

  /**
   * A sync of the credential as soon as possible: at once when this node owns it; otherwise
   * the owner is told, and a credential nobody owns yet (just added) is claimed at once.
   */
  async syncSoon(credentialId: string): Promise<void> {
    if (this.heard(credentialId)) return;
    this.nextClaimAt = 0;
    await this.options.announce?.(credentialId);
  }

  /** Another node asked for a sync of `credentialId`: true when this node owns it. */
  heard(credentialId: string): boolean {
    const owned = this.owned.get(credentialId);
    if (owned === undefined) return false;
    owned.dueAt = 0;
    return true;
  }

  private async runRound(): Promise<void> {
    try {
      const now = monotonicNow();
      if (now >= this.nextRenewAt) await this.renew();
      if (!this.stopping && now >= this.nextClaimAt) await this.claim(now);
      if (!this.stopping) this.runDue(monotonicNow());
    } catch (err) {
      this.options.logger.warn(
        { err: loggableMessage(err) },
        'instance sync ownership round failed; the next one retries',
      );
    }
  }

  /**
   * Renews the leases of the credentials this node owns, and its presence, in one statement;
   * drops the ones it lost. A failure is retried at the next round.
   */
  private async renew(): Promise<void> {
    const sentAt = monotonicNow();
    const keys = [this.presenceKey, ...[...this.owned.keys()].map(syncKey)];
    const renewed = Keys.parse(
      await this.options.db.execute(
        sql`UPDATE job_leases SET expires_at = now() + ${this.timings.leaseMs} * interval '1 millisecond'
            WHERE holder = ${this.holder}
              AND key IN (SELECT json_array_elements_text(${JSON.stringify(keys)}::json))
            RETURNING key`,
      ),
    );
    const kept = new Set(renewed.rows.map((row) => row.key));
    if (!kept.has(this.presenceKey)) await this.take([this.presenceKey]);
    for (const id of this.owned.keys()) {
      if (kept.has(syncKey(id))) continue;
      this.options.logger.warn(
        { credentialId: id },
        'lost the instance sync lease of a credential',
      );
      this.owned.delete(id);
    }
    this.validUntil = sentAt + (this.timings.leaseMs * 5) / 6;
    this.nextRenewAt = sentAt + this.timings.leaseMs / 3;
  }

  /**
   * Claims credentials nobody owns, up to this node's share (credentials / live nodes, rounded
   * up), and hands back what is beyond its share once more nodes joined. Reads only, unless
   * something moves.
   */
  private async claim(now: number): Promise<void> {
    this.nextClaimAt = now + this.timings.claimEveryMs;
    const credentials = await this.options.credentials();
    const live = Holders.parse(
      await this.options.db.execute(
        sql`SELECT key, holder FROM job_leases WHERE expires_at > now()
            AND (key LIKE ${`${INSTANCE_SYNC_KEY}:%`} OR key LIKE ${`${PRESENCE_KEY}:%`})`,
      ),
    ).rows;
    const held = new Map(live.map((row) => [row.key, row.holder]));
    const nodes = Math.max(1, live.filter((row) => row.key.startsWith(`${PRESENCE_KEY}:`)).length);
    const share = Math.ceil(credentials.length / nodes);
    const exists = new Set(credentials.map((c) => c.id));
    const owned = [...this.owned.keys()];
    const gone = owned.filter((id) => !exists.has(id));
    const kept = owned.filter((id) => exists.has(id));
    // Hands back only what is beyond the share (a negative end would slice from the back).
    const beyond = Math.max(0, kept.length - share);
    const extra = kept.filter((id) => !this.running.has(id)).slice(0, beyond);
    await this.release([...gone, ...extra]);
    const wanted = credentials
      .filter((c) => !this.owned.has(c.id) && !held.has(syncKey(c.id)))
      .slice(0, Math.max(0, share - this.owned.size));
    if (wanted.length === 0) return;
    const taken = new Set(await this.take(wanted.map((c) => syncKey(c.id))));
    for (const credential of wanted) {
      if (!taken.has(syncKey(credential.id))) continue;
      this.owned.set(credential.id, { provider: credential.provider, dueAt: 0 });
    }
  }

  /** Takes the keys that are free or lapsed; returns those taken. */
  private async take(keys: readonly string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const taken = Keys.parse(
      await this.options.db.execute(
        sql`INSERT INTO job_leases (key, holder, expires_at)
            SELECT key, ${this.holder}, now() + ${this.timings.leaseMs} * interval '1 millisecond'
            FROM json_array_elements_text(${JSON.stringify(keys)}::json) AS key
            ON CONFLICT (key) DO UPDATE
              SET holder = excluded.holder, expires_at = excluded.expires_at
              WHERE job_leases.expires_at < now()
            RETURNING key`,
      ),
    );
    return taken.rows.map((row) => row.key);
  }

  /**
   * Hands credentials back. They leave `owned` first: should the delete fail, their leases are
   * no longer renewed and lapse, so another node still takes them.
   */
  private async release(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    for (const id of ids) this.owned.delete(id);
    await this.options.db.execute(
      sql`DELETE FROM job_leases WHERE holder = ${this.holder}
          AND key IN (SELECT json_array_elements_text(${JSON.stringify(ids.map(syncKey))}::json))`,
    );
  }

  private runDue(now: number): void {
    // Past the leases' sure hold (renewals failing): start nothing another node may be running.
    if (now >= this.validUntil) return;
    for (const [id, owned] of this.owned) {
      if (this.running.has(id) || owned.dueAt > now) continue;
      this.running.add(id);
      // Not due again until it ends; `heard` sets it to 0 meanwhile when a sync is asked for.
      owned.dueAt = Infinity;
      void this.queue
        .add(async () => {
          try {
            // Still ours, and surely so, when its turn in the queue came.
            if (this.owned.get(id) === owned && monotonicNow() < this.validUntil) {
              await this.options.sync(id);
            }
          } catch (err) {
            this.options.logger.error(
              { credentialId: id, err: loggableMessage(err) },
              'instance sync failed; the next one is at the poll interval',
            );
          } finally {
            if (owned.dueAt === Infinity) {
              owned.dueAt = monotonicNow() + this.options.intervalOf(owned.provider);
            }
          }
        })
        .finally(() => {
          // Also for a sync dropped from the queue by `stop`.
          this.running.delete(id);
        });
    }
  }

  private get presenceKey(): string {
    return leaseKey(PRESENCE_KEY, this.holder);
  }
}

/** A credential's lease key, the one earlier versions' instance-sync jobs leased (`leaseKey`). */
function syncKey(credentialId: string): string {
  return leaseKey(INSTANCE_SYNC_KEY, credentialId);
}
