import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNotNull, lte, notInArray, or, sql } from 'drizzle-orm';
import { isCloudError, type Instance, type Logger } from '@cloudplane/sdk';
import type { CredentialStore } from '../credentials/store.js';
import type { Db } from '../db/open.js';
import { credentials, instances, orphans } from '../db/schema.js';
import type { Metrics } from '../metrics.js';
import { openClients, parseInstance, type ClientOptions, type InstanceClients } from './clients.js';
import { describeFailure } from './outcome.js';
import { isLiveInstance } from './live.js';
import { observe, observeGone, type InstanceRow } from './observe.js';
import type { InstanceRows } from './rows.js';

/**
 * The instance syncer's one step for one credential: list every instance at the provider, match
 * each to its row (by cloud id, else by refId), and write only what changed. A failed list
 * changes nothing; an instance missing from a good list is confirmed gone with getInstance
 * before its row says terminated; instances with our correlation data but no row are orphans.
 */

export interface InstanceSyncResult {
  readonly ok: boolean;
  readonly reason: string | null;
  readonly listed: number;
  /** Rows written (0 when nothing changed). */
  readonly written: number;
  readonly orphans: number;
  /** Instances of failed rows found alive: the caller terminates them. */
  readonly toTerminate: readonly string[];
}

export interface InstanceSyncerOptions {
  readonly db: Db;
  readonly rows: InstanceRows;
  readonly credentials: CredentialStore;
  readonly logger: Logger;
  readonly metrics?: Metrics | undefined;
  readonly clientOptions: Omit<ClientOptions, 'logger'>;
}

export class InstanceSyncer {
  constructor(private readonly options: InstanceSyncerOptions) {}

  async sync(credentialId: string): Promise<InstanceSyncResult> {
    const { logger } = this.options;
    const summary = await this.options.credentials.get(credentialId);
    const providerId = summary?.provider ?? 'unknown';
    let clients: InstanceClients;
    let listed: Instance[];
    try {
      clients = await openClients(this.options.credentials, credentialId, {
        ...this.options.clientOptions,
        logger,
      });
    } catch (err) {
      return this.failed(credentialId, providerId, describeFailure(err, (t) => t).message);
    }
    try {
      listed = await clients.listAll();
    } catch (err) {
      const reason = describeFailure(err, clients.scrub);
      logger.warn(
        { credentialId, code: reason.code, reason: reason.message },
        'instance list failed; nothing changed',
      );
      return this.failed(credentialId, providerId, `${reason.code}: ${reason.message}`);
    }
    const ours = listed.filter((i) => i.cloudCredRefId === credentialId);
    const rows = await this.liveRows(credentialId, ours);
    const byCloudId = new Map(rows.filter((r) => r.cloudId !== null).map((r) => [r.cloudId, r]));
    const byRefId = new Map(rows.map((r) => [r.refId, r]));
    const now = new Date();
    let written = 0;
    const toTerminate: string[] = [];
    const matched = new Set<string>();
    const unmatched: Instance[] = [];

    for (const seen of ours) {
      const row = byCloudId.get(seen.cloudId) ?? byRefId.get(seen.refId);
      if (!row) {
        unmatched.push(seen);
        continue;
      }
      matched.add(row.id);
      if (row.state === 'failed' && row.cloudId === null) {
        // Its user was told the launch failed: keep the instance on the row, and end it.
        if (
          await this.options.rows.write(
            row,
            { ...observe(row, seen, now).set, state: 'failed', pendingAction: 'terminate' },
            [
              {
                kind: 'adopted',
                message: `a launch reported as failed exists as ${seen.cloudId}; terminating it`,
                data: { cloudId: seen.cloudId },
              },
            ],
            now,
          )
        ) {
          written++;
          toTerminate.push(row.id);
        }
        continue;
      }
      if (row.terminatedAt !== null) continue;
      const observation = observe(row, seen, now);
      if (Object.keys(observation.set).length === 0) continue;
      if (row.cloudId === null) {
        observation.events.unshift({
          kind: 'adopted',
          message: `the provider has it as ${seen.cloudId}`,
          data: { cloudId: seen.cloudId },
        });
        observation.set.intent = null;
      }
      if (await this.options.rows.apply(row, observation)) written++;
    }

    for (const row of rows) {
      if (matched.has(row.id) || row.cloudId === null || row.terminatedAt !== null) continue;
      written += await this.confirmMissing(row, clients, now);
    }
    const orphanCount = await this.recordOrphans(credentialId, unmatched, now);
    const terminateAfter = summary?.orphanTerminateAfterMs ?? null;
    if (terminateAfter !== null && orphanCount > 0) {
      await this.endOldOrphans(credentialId, clients, new Date(now.getTime() - terminateAfter));
    }
    this.options.metrics?.instanceSyncs.inc({ provider: providerId, outcome: 'ok' });
    if (written > 0)
      this.options.metrics?.instanceRowsWritten.inc({ provider: providerId }, written);
    await this.options.db
      .update(credentials)
      .set({ instancesSyncError: null })
      .where(and(eq(credentials.id, credentialId), isNotNull(credentials.instancesSyncError)));
    return {
      ok: true,
      reason: null,
      listed: ours.length,
      written,
      orphans: orphanCount,
      toTerminate,
    };
  }

  /** Rows that may still change: not terminated, plus failed launches that may yet appear. */
  private async liveRows(credentialId: string, seen: readonly Instance[]): Promise<InstanceRow[]> {
    const refIds = seen.map((i) => i.refId);
    return this.options.db
      .select()
      .from(instances)
      .where(
        and(
          eq(instances.credentialId, credentialId),
          or(isLiveInstance(), refIds.length > 0 ? inArray(instances.refId, refIds) : sql`false`),
        ),
      );
  }

  /** A row whose instance a complete list lacks: only INSTANCE_NOT_FOUND ends it. */
  private async confirmMissing(
    row: InstanceRow,
    clients: InstanceClients,
    now: Date,
  ): Promise<number> {
    if (row.cloudId === null) return 0;
    try {
      const seen = parseInstance(
        clients.opened,
        await clients.at(row.location).getInstance(row.cloudId),
      );
      return (await this.options.rows.apply(row, observe(row, seen, now))) ? 1 : 0;
    } catch (err) {
      if (isCloudError(err, 'INSTANCE_NOT_FOUND')) {
        return (await this.options.rows.apply(row, observeGone(row, now))) ? 1 : 0;
      }
      const reason = describeFailure(err, clients.scrub);
      this.options.logger.warn(
        { instanceId: row.id, code: reason.code, reason: reason.message },
        'an instance missing from the list could not be confirmed; it stays as it was',
      );
      return 0;
    }
  }

  /** Orphans: upserted while seen, removed once the cloud no longer lists them. */
  private async recordOrphans(
    credentialId: string,
    seen: readonly Instance[],
    now: Date,
  ): Promise<number> {
    // One on its way out (terminating) needs nobody's attention.
    const live = seen.filter(
      (i) => i.status.lifecycle !== 'terminated' && i.status.lifecycle !== 'terminating',
    );
    await this.options.db.transaction(async (tx) => {
      for (const instance of live) {
        await tx
          .insert(orphans)
          .values({
            id: randomUUID(),
            credentialId,
            cloudId: instance.cloudId,
            refId: instance.refId,
            record: instance,
            firstSeenAt: now,
          })
          .onConflictDoNothing();
      }
      const keep = live.map((i) => i.cloudId);
      await tx
        .delete(orphans)
        .where(
          and(
            eq(orphans.credentialId, credentialId),
            keep.length > 0 ? notInArray(orphans.cloudId, keep) : sql`true`,
          ),
        );
    });
    if (live.length > 0) {
      this.options.logger.warn(
        { credentialId, orphans: live.map((i) => i.cloudId) },
        "instances with this credential's correlation data but no row; see GET /v1/orphans",
      );
    }
    return live.length;
  }

  /** The `terminate-after` orphan policy: orphans seen since before `seenBefore` are ended. */
  private async endOldOrphans(
    credentialId: string,
    clients: InstanceClients,
    seenBefore: Date,
  ): Promise<void> {
    const old = await this.options.db
      .select()
      .from(orphans)
      .where(and(eq(orphans.credentialId, credentialId), lte(orphans.firstSeenAt, seenBefore)));
    for (const orphan of old) {
      try {
        await clients.at(orphan.record.location).terminateInstance(orphan.cloudId);
      } catch (err) {
        if (!isCloudError(err, 'INSTANCE_NOT_FOUND')) {
          const reason = describeFailure(err, clients.scrub);
          this.options.logger.warn(
            { credentialId, cloudId: orphan.cloudId, code: reason.code, reason: reason.message },
            'could not terminate an orphan under its terminate-after policy; the next sync retries',
          );
          continue;
        }
      }
      await this.options.db.delete(orphans).where(eq(orphans.id, orphan.id));
      this.options.metrics?.orphansTerminated.inc({ provider: clients.opened.provider.id });
      this.options.logger.warn(
        { credentialId, cloudId: orphan.cloudId, refId: orphan.refId },
        "terminated an orphan under its credential's terminate-after policy",
      );
    }
  }

  private async failed(
    credentialId: string,
    provider: string,
    reason: string,
  ): Promise<InstanceSyncResult> {
    this.options.metrics?.instanceSyncs.inc({ provider, outcome: 'failed' });
    await this.options.db
      .update(credentials)
      .set({ instancesSyncError: reason })
      .where(eq(credentials.id, credentialId));
    return { ok: false, reason, listed: 0, written: 0, orphans: 0, toTerminate: [] };
  }
}
