import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNotNull, lte, ne, notInArray, sql } from 'drizzle-orm';
import { isCloudError, isForeignInstance, type Instance, type Logger } from '@cloudplane/sdk';
import type { CredentialStore } from '../credentials/store.js';
import type { Db } from '../db/open.js';
import { credentials, instances, launchAttempts, orphans } from '../db/schema.js';
import type { Metrics } from '../metrics.js';
import { openClients, parseInstance, type ClientOptions, type InstanceClients } from './clients.js';
import { describeFailure, INSTANCE_NOT_VOUCHED } from './outcome.js';
import { KnownInstanceRows } from './known-rows.js';
import { ListParser } from './list-parser.js';
import { observe, observeGone, type InstanceRow, type ObservedRow } from './observe.js';
import type { InstanceRows, RowChange } from './rows.js';
import { isEnding, isStray, StrayEnder, type Stray } from './strays.js';

/**
 * The instance syncer's one step for one credential: list every instance at the provider, match
 * each to its row (by cloud id, else by refId), and write only what changed. A failed list
 * changes nothing; an instance missing from a good list is confirmed gone with getInstance
 * before its row says terminated; instances with our correlation data but no row are orphans;
 * live instances under a row's refId that the row does not hold are strays, ended (strays.ts).
 *
 * A steady fleet costs no write and few reads: the live rows come from this node's memory while
 * storage says none moved (known-rows.ts), unchanged list items are not validated again
 * (list-parser.ts), and the orphan and error bookkeeping runs only when there is some to do.
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

/** A row's write found by a sync; `endsLaunch`: the row's instance is to be terminated. */
interface Change extends RowChange {
  readonly endsLaunch: boolean;
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
  /** This node's copy of each credential's live rows (checked against storage every tick). */
  private readonly known: KnownInstanceRows;
  /** Last tick's parsed lists, so unchanged instances are not validated again. */
  private readonly parser = new ListParser();
  /** Rows (as kept objects) last observed as this instance with nothing to change. */
  private readonly quiet = new WeakMap<ObservedRow, Instance>();
  /**
   * Rows this node marked INSTANCE_NOT_VOUCHED (the provider has the instance but without our
   * correlation data): marked and warned once, not at every tick. The mark itself is in the
   * row, and any node clears it once a list has the instance again (`clearVouched`).
   */
  private readonly unvouched = new Set<string>();
  private readonly strays: StrayEnder;

  constructor(private readonly options: InstanceSyncerOptions) {
    this.known = new KnownInstanceRows(options.db);
    this.strays = new StrayEnder(options);
  }

  async sync(credentialId: string): Promise<InstanceSyncResult> {
    const { logger } = this.options;
    let clients: InstanceClients;
    let listed: Instance[];
    try {
      clients = await openClients(this.options.credentials, credentialId, {
        ...this.options.clientOptions,
        logger,
      });
    } catch (err) {
      this.known.forget(credentialId);
      this.parser.forget(credentialId);
      const summary = await this.options.credentials.get(credentialId);
      return this.failed(
        credentialId,
        summary?.provider ?? 'unknown',
        describeFailure(err, (t) => t).message,
      );
    }
    const providerId = clients.opened.provider.id;
    try {
      listed = this.parser.parse(clients.opened, await clients.listRaw());
    } catch (err) {
      const reason = describeFailure(err, clients.scrub);
      logger.warn(
        { credentialId, code: reason.code, reason: reason.message },
        'instance list failed; nothing changed',
      );
      return this.failed(credentialId, providerId, `${reason.code}: ${reason.message}`);
    }
    // Rows are read after the list: a launch's row commits before its provider call, so every
    // instance in the list that has a row is matched to it.
    const ours = listed.filter((i) => i.cloudCredRefId === credentialId);
    const stored = await this.known.load(credentialId);
    const live = [...stored.live.byId.values()];
    const now = new Date();
    const changes: Change[] = [];
    const matched = new Set<string>();
    const notLive: Instance[] = [];
    const strays: Stray[] = [];
    const take = (row: ObservedRow, seen: Instance) => {
      matched.add(row.id);
      this.collect(changes, row, seen, now);
    };
    const strayOf = (row: ObservedRow, seen: Instance) =>
      isStray(row, seen, { rowMatched: matched.has(row.id) });

    // Every row's own instance first, so that which instance a row keeps never depends on the
    // order of the list; then the rest by refId.
    const byRefId: Instance[] = [];
    for (const seen of ours) {
      const row = stored.live.byCloudId.get(seen.cloudId);
      if (row) take(row, seen);
      else byRefId.push(seen);
    }
    for (const seen of byRefId) {
      const row = stored.live.byRefId.get(seen.refId);
      if (!row) notLive.push(seen);
      else if (strayOf(row, seen)) strays.push({ row, seen });
      else take(row, seen);
    }
    // Instances of no live row: ended rows and launches reported as failed, else orphans.
    const ended = await this.rowsByRefId(
      credentialId,
      notLive.map((i) => i.refId),
    );
    const unknown: Instance[] = [];
    for (const seen of notLive) {
      const row = ended.get(seen.refId);
      if (!row) unknown.push(seen);
      else if (strayOf(row, seen)) strays.push({ row, seen });
      else take(row, seen);
    }
    // Instances of a refId a launch gave up when it failed over to another offer: a slow
    // provider acted on an earlier attempt after all. Nobody asked for them; they are strays.
    const movedOn = await this.rowsByEarlierRefId(
      credentialId,
      unknown.map((i) => i.refId),
    );
    const unmatched: Instance[] = [];
    for (const seen of unknown) {
      const row = movedOn.get(seen.refId);
      if (row) strays.push({ row, seen, earlierRefId: true });
      else unmatched.push(seen);
    }
    const written = await this.options.rows.writeAll(changes, now);
    const toTerminate = changes
      .filter((c) => c.endsLaunch && written.has(c.row.id))
      .map((c) => c.row.id);
    let writes = written.size;
    this.known.written(credentialId, written.values());
    // Rows another writer moved first (the guard left them alone) are read again.
    const touched = changes.filter((c) => !written.has(c.row.id)).map((c) => c.row.id);
    // A stray was judged against its row as this sync read it; a row another writer moved
    // first may hold that very instance now, so its strays wait for the next sync's reading.
    const moved = new Set(touched);
    const decided = strays.filter((stray) => !moved.has(stray.row.id));

    // A row listed again is no longer this node's to mark as not vouched for, whoever cleared it.
    for (const id of matched) this.unvouched.delete(id);
    if (stored.unvouched > 0) {
      const vouched = await this.clearVouched(credentialId, matched);
      touched.push(...vouched);
      writes += vouched.length;
    }
    for (const row of live) {
      if (matched.has(row.id) || row.cloudId === null || row.terminatedAt !== null) continue;
      touched.push(row.id);
      writes += await this.confirmMissing(row, clients, now);
    }
    await this.known.refresh(credentialId, touched);
    if (decided.length > 0) await this.strays.end(credentialId, clients, decided);
    const orphanCount =
      unmatched.length > 0 || stored.storedOrphans > 0
        ? await this.recordOrphans(credentialId, unmatched, now)
        : 0;
    const terminateAfter = stored.orphanTerminateAfterMs;
    if (terminateAfter !== null && orphanCount > 0) {
      await this.endOldOrphans(credentialId, clients, new Date(now.getTime() - terminateAfter));
    }
    this.options.metrics?.instanceSyncs.inc({ provider: providerId, outcome: 'ok' });
    if (writes > 0) this.options.metrics?.instanceRowsWritten.inc({ provider: providerId }, writes);
    if (stored.listFailing) {
      await this.options.db
        .update(credentials)
        .set({ instancesSyncError: null })
        .where(and(eq(credentials.id, credentialId), isNotNull(credentials.instancesSyncError)));
    }
    return {
      ok: true,
      reason: null,
      listed: ours.length,
      written: writes,
      orphans: orphanCount,
      toTerminate,
    };
  }

  /** What one row needs to match what the cloud lists for it, added to `changes` (if anything). */
  private collect(changes: Change[], row: ObservedRow, seen: Instance, now: Date): void {
    if (row.state === 'failed' && row.cloudId === null) {
      // Its user was told the launch failed: keep the instance on the row, and end it.
      changes.push({
        row,
        set: {
          ...observe(row, seen, now).set,
          state: 'failed',
          pendingAction: 'terminate',
          actionSentAt: null,
          // The launch's failure stays in its events; what the row shows now is the terminate's.
          lastErrorCode: null,
          lastError: null,
        },
        events: [
          {
            kind: 'adopted',
            message: `a launch reported as failed exists as ${seen.cloudId}; terminating it`,
            data: { cloudId: seen.cloudId },
          },
        ],
        endsLaunch: true,
      });
      return;
    }
    if (row.terminatedAt !== null) return;
    // The same row object seen as the same parsed instance as last time, when nothing differed:
    // nothing differs now either (observe depends on these two only, unless it finds a change).
    if (this.quiet.get(row) === seen) return;
    const observation = observe(row, seen, now);
    if (Object.keys(observation.set).length === 0) {
      this.quiet.set(row, seen);
      return;
    }
    if (row.cloudId === null) {
      observation.events.unshift({
        kind: 'adopted',
        message: `the provider has it as ${seen.cloudId}`,
        data: { cloudId: seen.cloudId },
      });
      observation.set.intent = null;
    }
    changes.push({ row, set: observation.set, events: observation.events, endsLaunch: false });
  }

  /**
   * The credential's rows with these refIds (for instances that match no live row: ended rows,
   * launches reported as failed, or rows that became live since the live rows were read).
   */
  private async rowsByRefId(
    credentialId: string,
    refIds: readonly string[],
  ): Promise<Map<string, InstanceRow>> {
    if (refIds.length === 0) return new Map();
    const rows = await this.options.db
      .select()
      .from(instances)
      .where(and(eq(instances.credentialId, credentialId), inArray(instances.refId, refIds)));
    return new Map(rows.map((r) => [r.refId, r]));
  }

  /**
   * Rows that launched under one of these refIds on this credential and have a new refId since
   * (a failover), by the old refId: the launch attempts log keeps every refId a launch sent.
   */
  private async rowsByEarlierRefId(
    credentialId: string,
    refIds: readonly string[],
  ): Promise<Map<string, Stray['row']>> {
    if (refIds.length === 0) return new Map();
    const rows = await this.options.db
      .select({
        earlierRefId: launchAttempts.refId,
        id: instances.id,
        userId: instances.userId,
        cloudId: instances.cloudId,
        terminatedAt: instances.terminatedAt,
      })
      .from(launchAttempts)
      .innerJoin(instances, eq(instances.id, launchAttempts.instanceId))
      .where(
        and(
          eq(launchAttempts.credentialId, credentialId),
          inArray(launchAttempts.refId, refIds),
          ne(instances.refId, launchAttempts.refId),
        ),
      );
    return new Map(rows.map(({ earlierRefId, ...row }) => [earlierRefId, row]));
  }

  /** A row whose instance a complete list lacks: only INSTANCE_NOT_FOUND ends it. */
  private async confirmMissing(
    row: ObservedRow,
    clients: InstanceClients,
    now: Date,
  ): Promise<number> {
    if (row.cloudId === null) return 0;
    try {
      const seen = parseInstance(
        clients.opened,
        await clients.at(row.location).getInstance(row.cloudId),
      );
      const observation = observe(row, seen, now);
      if (Object.keys(observation.set).length === 0) return 0; // alive and unchanged
      return (await this.options.rows.apply(row, observation)) ? 1 : 0;
    } catch (err) {
      if (isCloudError(err, 'INSTANCE_NOT_FOUND')) {
        this.unvouched.delete(row.id);
        return (await this.options.rows.apply(row, observeGone(row, now))) ? 1 : 0;
      }
      const reason = describeFailure(err, clients.scrub);
      if (isForeignInstance(err)) return this.markUnvouched(row, reason.message, now);
      this.options.logger.warn(
        { instanceId: row.id, code: reason.code, reason: reason.message },
        'an instance missing from the list could not be confirmed; it stays as it was',
      );
      return 0;
    }
  }

  /**
   * The provider has the row's instance but no longer carries our correlation data on it
   * (renamed or retagged at the provider): the row stays as it was, and says why, once.
   */
  private async markUnvouched(row: ObservedRow, reason: string, now: Date): Promise<number> {
    if (this.unvouched.has(row.id)) return 0;
    this.options.logger.warn(
      { instanceId: row.id, code: INSTANCE_NOT_VOUCHED, reason },
      'an instance missing from the list could not be confirmed; it stays as it was',
    );
    const written = await this.options.rows.write(
      row,
      { lastErrorCode: INSTANCE_NOT_VOUCHED, lastError: reason },
      [],
      now,
    );
    if (written) this.unvouched.add(row.id);
    return written ? 1 : 0;
  }

  /**
   * Clears INSTANCE_NOT_VOUCHED from these rows, whose instances the list has again: only that
   * mark, whichever node set it (any other error the row shows stays). Returns the rows cleared.
   */
  private async clearVouched(
    credentialId: string,
    matched: ReadonlySet<string>,
  ): Promise<string[]> {
    // The marked rows are few; the matched ones can be the whole fleet, every tick while one
    // instance stays retagged: only those both marked and matched are sent.
    const marked = await this.options.db
      .select({ id: instances.id })
      .from(instances)
      .where(
        and(
          eq(instances.credentialId, credentialId),
          eq(instances.lastErrorCode, INSTANCE_NOT_VOUCHED),
        ),
      );
    const listed = marked.map(({ id }) => id).filter((id) => matched.has(id));
    if (listed.length === 0) return [];
    const cleared = await this.options.db
      .update(instances)
      // Its own time, not the tick's: a guarded write must never see updated_at go back.
      .set({ lastErrorCode: null, lastError: null, updatedAt: new Date() })
      .where(
        and(
          eq(instances.credentialId, credentialId),
          eq(instances.lastErrorCode, INSTANCE_NOT_VOUCHED),
          inArray(instances.id, listed),
        ),
      )
      .returning({ id: instances.id });
    return cleared.map(({ id }) => id);
  }

  /** Orphans: upserted while seen, removed once the cloud no longer lists them. */
  private async recordOrphans(
    credentialId: string,
    seen: readonly Instance[],
    now: Date,
  ): Promise<number> {
    // One on its way out (terminating) needs nobody's attention.
    const live = seen.filter((i) => !isEnding(i));
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
      .where(
        and(
          eq(credentials.id, credentialId),
          sql`${credentials.instancesSyncError} IS DISTINCT FROM ${reason}`,
        ),
      );
    return { ok: false, reason, listed: 0, written: 0, orphans: 0, toTerminate: [] };
  }
}
