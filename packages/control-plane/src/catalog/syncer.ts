import { and, desc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { isCloudError, moneyToDecimal, type InstanceType, type Logger } from '@cloudplane/sdk';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { scrubAuthHeaders, scrubbingLogger, type Scrubber } from '../credentials/scrub.js';
import type { CredentialStore, OpenedCredential } from '../credentials/store.js';
import type { Db, Tx } from '../db/open.js';
import {
  catalogChanges,
  credentials,
  offers,
  syncs,
  type ChangeKind,
  type SyncOutcome,
} from '../db/schema.js';
import { ControlPlaneError } from '../errors.js';
import type { CapacityMemory } from '../instances/capacity.js';
import type { Metrics } from '../metrics.js';
import { loggableMessage, storageFailure, storageReason } from '../storage-errors.js';
import {
  DEFAULT_PLAUSIBILITY,
  diffCatalog,
  implausibility,
  noChange,
  priceJumps,
  type CatalogDiff,
  type EarlierPrice,
  type FetchedType,
  type PlausibilityLimits,
} from './diff.js';
import { bulkChunks, bulkInsert, bulkTable, rowJson } from './bulk.js';
import { fetchFingerprintedCatalog } from './fetch.js';
import { KnownCatalogs, latestGoodSync, type StoredCatalog } from './known.js';
import { canonicalJson, offerRow } from './offer-row.js';

/**
 * The instance-type syncer's one step for one credential: fetch the provider's catalog, diff it
 * against the stored one, and write only what changed, with a change feed entry for each change.
 * A failed or implausible fetch writes no offer and marks the credential degraded, so readers
 * keep the last good catalog.
 *
 * Whatever the provider said (error messages, and through them possibly the request it got) is
 * scrubbed of the credential's secrets before it is logged, stored or returned.
 */

export interface SyncCounts {
  readonly fetched: number;
  readonly added: number;
  readonly removed: number;
  readonly priceChanged: number;
  readonly availabilityChanged: number;
  readonly otherChanged: number;
  /** Offer rows inserted or updated. */
  readonly rowsWritten: number;
}

export interface SyncResult {
  readonly syncId: number;
  readonly credentialId: string;
  readonly outcome: SyncOutcome;
  readonly reason: string | null;
  readonly counts: SyncCounts;
  readonly durationMs: number;
  /** For a failed sync: how long the provider asked us to wait. */
  readonly retryAfterMs?: number;
}

export interface SyncerOptions {
  readonly db: Db;
  readonly credentials: CredentialStore;
  readonly logger: Logger;
  readonly metrics?: Metrics | undefined;
  /**
   * One deadline for the whole fetch: every page, every location and every retry the adapter
   * makes. The syncer adds no retries of its own (the adapters retry each request), so a
   * provider that never answers costs at most this long per sync.
   */
  readonly timeoutMs?: number;
  readonly limits?: PlausibilityLimits;
  /** Injected into provider clients (tests, benchmarks). */
  readonly fetch?: typeof fetch;
  /** Capacity memory, cleared for offers a sync reports available again. */
  readonly capacity?: CapacityMemory | undefined;
  /** Aborts syncs in flight (shutdown). */
  readonly signal?: AbortSignal;
  /** Where the database keeps its files, named in a "disk is full" reason. */
  readonly databaseLocation?: string;
}

/** The deadline passed: the abort reason of a sync's fetch, told apart from a shutdown. */
class SyncDeadlineExceeded extends Error {
  override readonly name = 'SyncDeadlineExceeded';
}

const EarlierPriceRow = z.object({ price: z.string(), currency: z.string() });

const DEFAULT_TIMEOUT_MS = 120_000;
/** PostgreSQL's foreign_key_violation: a sync row for a credential removed meanwhile. */
const FOREIGN_KEY_VIOLATION = '23503';
/** The advisory lock that orders change-feed writes (an arbitrary, fixed key). */
const FEED_LOCK = 7_262_432;
/** With the credential's hash, the advisory lock that orders one credential's catalog writes. */
const CREDENTIAL_LOCK = 7_262_433;
/** Diffs a sync tries before giving up when other syncs of its credential keep committing. */
const MAX_DIFF_ATTEMPTS = 3;

/** Whose sync it is: enough to record and report it, and to scrub what its provider said. */
interface Subject {
  readonly id: string;
  readonly providerId: string;
  readonly scrub: Scrubber;
}

const NO_COUNTS: SyncCounts = {
  fetched: 0,
  added: 0,
  removed: 0,
  priceChanged: 0,
  availabilityChanged: 0,
  otherChanged: 0,
  rowsWritten: 0,
};

export class CatalogSyncer {
  /** Each credential's catalog as this node's last sync of it left it. */
  private readonly known: KnownCatalogs;

  constructor(private readonly options: SyncerOptions) {
    this.known = new KnownCatalogs(options.db);
  }

  /**
   * One sync. `acceptImplausible` is an operator's word that a change refused as implausible
   * (a provider really dropped most of its catalog, a price really jumped) is true.
   */
  async sync(
    credentialId: string,
    options: { acceptImplausible?: boolean } = {},
  ): Promise<SyncResult> {
    const startedAt = new Date();
    let opened: OpenedCredential;
    try {
      opened = await this.options.credentials.open(credentialId);
    } catch (err) {
      if (err instanceof ControlPlaneError && err.status === 404) {
        // Removed: what this node kept of its catalog goes with it.
        this.known.forget(credentialId);
        throw err;
      }
      if (storageFailure(err)) throw err;
      // Unopenable (another master key) or no longer valid: say so on the credential.
      const { provider } = await this.options.credentials.require(credentialId);
      return this.refuse(
        { id: credentialId, providerId: provider, scrub: scrubAuthHeaders },
        startedAt,
        'failed',
        { code: 'credential', message: err instanceof Error ? err.message : String(err) },
      );
    }
    const subject: Subject = { id: opened.id, providerId: opened.provider.id, scrub: opened.scrub };
    try {
      return await this.syncOpened(opened, subject, startedAt, options);
    } catch (err) {
      if (this.stopping || err instanceof ControlPlaneError) throw err;
      const failure = storageFailure(err);
      if (!failure) throw new Error(subject.scrub(loggableMessage(err)), { cause: err });
      if (failure.dbCode === FOREIGN_KEY_VIOLATION) {
        // Removed while it synced: the scheduler stops rescheduling on this 404.
        await this.options.credentials.require(credentialId);
      }
      const reason = storageReason(
        failure,
        this.options.databaseLocation ??
          "the disk that holds the database (the data directory, or the PostgreSQL server's)",
      );
      await this.markStorageFailure(subject, reason);
      this.options.metrics?.syncErrors.inc({ provider: subject.providerId, code: failure.code });
      throw new ControlPlaneError(503, failure.code, reason);
    }
  }

  /** True once the shutdown signal fired: a sync that throws now was stopped, not broken. */
  get stopping(): boolean {
    return this.options.signal?.aborted === true;
  }

  private async syncOpened(
    opened: OpenedCredential,
    subject: Subject,
    startedAt: Date,
    options: { acceptImplausible?: boolean },
  ): Promise<SyncResult> {
    let fetched: readonly FetchedType[];
    try {
      fetched = await this.fetch(opened);
    } catch (err) {
      if (this.stopping) throw err;
      return this.refuse(subject, startedAt, 'failed', describeFailure(err, this.timeoutMs));
    }
    const limits = this.options.limits ?? DEFAULT_PLAUSIBILITY;
    for (let attempt = 1; ; attempt++) {
      const stored = await this.known.load(opened.id);
      // The very list this node last applied, onto the catalog it left: nothing to compare.
      const diff =
        stored.applied === fetched
          ? noChange(fetched)
          : diffCatalog(stored.offers, fetched, stored.applied);
      const counts = countsOf(fetched.length, diff);
      const doubt =
        options.acceptImplausible === true
          ? null
          : implausibility(diff, limits, await this.earlierPrices(opened.id, diff, limits));
      if (doubt !== null) return this.refuse(subject, startedAt, 'implausible', doubt, counts);
      const result = await this.apply(subject, startedAt, { stored, fetched, diff }, counts);
      if (result !== null) return result;
      // Another sync of this credential committed since the catalog was read (two syncs run
      // without the lease: a test, a CLI): diff again against what it left.
      this.known.forget(opened.id);
      if (attempt >= MAX_DIFF_ATTEMPTS) {
        throw new ControlPlaneError(
          409,
          'sync/conflict',
          `the catalog of credential ${opened.id} kept changing under this sync; try again`,
        );
      }
    }
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /**
   * The provider's catalog, within the deadline. The deadline is our own timer and controller
   * (AbortSignal.timeout inside AbortSignal.any can be collected and never fire on Node 20), and
   * the wait for the fetch ends when it fires even if an adapter ignores its signal.
   */
  private async fetch(opened: OpenedCredential): Promise<readonly FetchedType[]> {
    const ms = this.timeoutMs;
    const deadline = new AbortController();
    const timer = setTimeout(() => {
      deadline.abort(new SyncDeadlineExceeded(`the provider did not answer within ${ms} ms`));
    }, ms);
    const shutdown = this.options.signal;
    const onShutdown = () => {
      deadline.abort(shutdown?.reason);
    };
    if (shutdown?.aborted === true) onShutdown();
    else shutdown?.addEventListener('abort', onShutdown, { once: true });
    try {
      const work = fetchFingerprintedCatalog({
        provider: opened.provider,
        credential: opened.credential,
        cloudCredRefId: opened.id,
        logger: scrubbingLogger(this.options.logger, opened.scrub),
        signal: deadline.signal,
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      });
      return await untilAborted(work, deadline.signal);
    } finally {
      clearTimeout(timer);
      shutdown?.removeEventListener('abort', onShutdown);
    }
  }

  /**
   * For each type whose price jumps past the limit, its price before its latest recorded price
   * change: a jump back to it is a revert (see `implausibility`). One small query, and only when
   * there is a jump at all.
   */
  private async earlierPrices(
    credentialId: string,
    diff: CatalogDiff,
    limits: PlausibilityLimits,
  ): Promise<Map<string, EarlierPrice>> {
    const jumps = priceJumps(diff, limits).map((change) => change.type.id);
    const earlier = new Map<string, EarlierPrice>();
    if (jumps.length === 0) return earlier;
    const rows = await this.options.db
      .selectDistinctOn([catalogChanges.typeId], {
        typeId: catalogChanges.typeId,
        before: catalogChanges.before,
      })
      .from(catalogChanges)
      .where(
        and(
          eq(catalogChanges.credentialId, credentialId),
          eq(catalogChanges.kind, 'price'),
          inArray(catalogChanges.typeId, jumps),
        ),
      )
      .orderBy(catalogChanges.typeId, desc(catalogChanges.id));
    for (const row of rows) {
      const parsed = EarlierPriceRow.safeParse(row.before);
      if (parsed.success) earlier.set(row.typeId, parsed.data);
    }
    return earlier;
  }

  /**
   * A sync whose result could not be stored (a full disk, mostly) still says why on the
   * credential, with a small update that may get through where the sync's writes did not.
   */
  private async markStorageFailure(subject: Subject, reason: string): Promise<void> {
    try {
      await this.options.db
        .update(credentials)
        .set({ syncState: 'degraded', syncReason: reason, lastSyncAt: new Date() })
        .where(eq(credentials.id, subject.id));
    } catch (err) {
      this.options.logger.error(
        { credentialId: subject.id, provider: subject.providerId, err: loggableMessage(err) },
        'could not record the storage failure on the credential',
      );
    }
  }

  /**
   * Writes the diff, or returns null without writing when `stored` is no longer the catalog in
   * the database (another sync of the credential committed since it was read).
   */
  private async apply(
    opened: Subject,
    startedAt: Date,
    change: {
      readonly stored: StoredCatalog;
      readonly fetched: readonly FetchedType[];
      readonly diff: CatalogDiff;
    },
    counts: SyncCounts,
  ): Promise<SyncResult | null> {
    const { stored, fetched, diff } = change;
    const now = new Date();
    const syncId = await this.options.db.transaction(async (tx) => {
      // Syncs of one credential write one at a time, each onto the catalog the last one left.
      await tx.execute(
        sql`SELECT pg_advisory_xact_lock(${CREDENTIAL_LOCK}, hashtext(${opened.id}))`,
      );
      if ((await latestGoodSync(tx, opened.id)) !== stored.syncId) return null;
      const upserts = [...diff.added, ...diff.changed].map(({ type, fingerprint, json }) =>
        rowJson(OFFERS, offerRow(opened.id, type, fingerprint, now), {
          record: json ?? canonicalJson(type),
        }),
      );
      for (const chunk of bulkChunks(upserts)) {
        await tx.execute(
          bulkInsert(OFFERS, chunk, {
            conflictOn: ['credential_id', 'type_id'],
            keepOnConflict: ['firstSeenAt'],
          }),
        );
      }
      for (const chunk of bulkChunks(diff.removed.map((r) => r.typeId))) {
        await tx
          .update(offers)
          .set({ available: false, goneAt: now, updatedAt: now })
          .where(
            and(
              eq(offers.credentialId, opened.id),
              sql`${offers.typeId} IN (SELECT jsonb_array_elements_text(${JSON.stringify(chunk)}::jsonb))`,
            ),
          );
      }
      const syncId = await recordSync(tx, {
        credentialId: opened.id,
        startedAt,
        finishedAt: now,
        outcome: 'ok',
        ...counts,
      });
      const changes = changeRows(syncId, opened.id, diff, now).map((row) => rowJson(CHANGES, row));
      // Change ids must commit in id order, or a feed reader polling with `after` could pass
      // over one that commits late: change writers take turns (one short lock per sync that
      // writes changes; an unchanged re-sync writes none and need not wait its turn).
      if (changes.length > 0) await tx.execute(sql`SELECT pg_advisory_xact_lock(${FEED_LOCK})`);
      for (const chunk of bulkChunks(changes)) {
        await tx.execute(bulkInsert(CHANGES, chunk, { inOrder: true }));
      }
      await tx
        .update(credentials)
        .set({ syncState: 'ok', syncReason: null, lastSyncAt: now, lastGoodSyncAt: now })
        .where(eq(credentials.id, opened.id));
      return syncId;
    });
    if (syncId === null) return null;
    this.known.remember(opened.id, stored, { syncId, diff, fetched, at: now });
    if (reshapesCatalog(counts)) await this.refreshStatistics(opened);
    const result = this.finish(opened, syncId, startedAt, 'ok', null, counts);
    this.options.metrics?.rowsWritten.inc({ provider: opened.providerId }, counts.rowsWritten);
    // An offer the provider lists available again, after it was not: its capacity mark is stale.
    await this.options.capacity?.clearOffers(
      opened.id,
      diff.changed
        .filter((c) => c.kinds.includes('availability') && c.type.available)
        .map((c) => c.type.id),
    );
    return result;
  }

  /**
   * Fresh planner statistics after a sync that reshaped the catalog (a first sync, mostly):
   * PGlite runs no autovacuum, so without this its planner keeps the statistics of an empty
   * table and sorts the whole catalog for every search instead of reading an index in order.
   * Failing here costs only plans, never the sync.
   */
  private async refreshStatistics(opened: Subject): Promise<void> {
    try {
      await this.options.db.execute(sql`ANALYZE ${offers} (${sql.raw(STATISTICS_COLUMNS)})`);
    } catch (err) {
      this.options.logger.warn(
        { credentialId: opened.id, err: loggableMessage(err) },
        'could not refresh the catalog statistics after a sync',
      );
    }
  }

  /** Records a failed or refused sync; the stored catalog is left exactly as it was. */
  private async refuse(
    opened: Subject,
    startedAt: Date,
    outcome: 'failed' | 'implausible',
    reason: Failure | string,
    counts: SyncCounts = NO_COUNTS,
  ): Promise<SyncResult> {
    const failure: Failure =
      typeof reason === 'string' ? { code: 'implausible', message: reason } : reason;
    const { code, retryAfterMs } = failure;
    const message = opened.scrub(failure.message);
    const now = new Date();
    const syncId = await this.options.db.transaction(async (tx) => {
      const syncId = await recordSync(tx, {
        credentialId: opened.id,
        startedAt,
        finishedAt: now,
        outcome,
        reason: message,
        ...counts,
        rowsWritten: 0,
      });
      await tx
        .update(credentials)
        .set({ syncState: 'degraded', syncReason: message, lastSyncAt: now })
        .where(eq(credentials.id, opened.id));
      return syncId;
    });
    this.options.metrics?.syncErrors.inc({ provider: opened.providerId, code });
    this.options.logger.warn(
      { credentialId: opened.id, provider: opened.providerId, outcome, code, reason: message },
      'catalog sync kept the last good catalog',
    );
    const result = this.finish(opened, syncId, startedAt, outcome, message, {
      ...counts,
      rowsWritten: 0,
    });
    return retryAfterMs === undefined ? result : { ...result, retryAfterMs };
  }

  private finish(
    opened: Subject,
    syncId: number,
    startedAt: Date,
    outcome: SyncOutcome,
    reason: string | null,
    counts: SyncCounts,
  ): SyncResult {
    const durationMs = Date.now() - startedAt.getTime();
    this.options.metrics?.syncDuration.observe(
      { provider: opened.providerId, outcome },
      durationMs / 1000,
    );
    this.options.logger.info(
      { credentialId: opened.id, provider: opened.providerId, outcome, durationMs, ...counts },
      'catalog sync finished',
    );
    return { syncId, credentialId: opened.id, outcome, reason, counts, durationMs };
  }
}

/** Writes the sync's own row (every attempt has one) and returns its id. */
async function recordSync(tx: Tx, values: typeof syncs.$inferInsert): Promise<number> {
  const [row] = await tx.insert(syncs).values(values).returning({ id: syncs.id });
  if (!row) throw new Error('the sync row was not written');
  return row.id;
}

/** Offer rows and change rows as bulk writes set them (a change's id is its serial). */
const OFFERS = bulkTable(offers);
const CHANGES = bulkTable(catalogChanges, ['id']);

/**
 * Columns no search filters or sorts on (catalog/query.ts, instances/picker.ts): the stored
 * record and its fingerprint, most of a row's bytes, the provider's type name and the two
 * timestamps. Measuring them was about half of what the statistics refresh cost (CPU time for
 * 10,000 offers: 130 ms for every column, 58 ms without these on PGlite; 90 and 51 ms on
 * PostgreSQL). A column a search starts to filter on must leave this list, or its estimates
 * fall back to defaults.
 */
const UNSEARCHED: readonly PgColumn[] = [
  offers.record,
  offers.fingerprint,
  offers.type,
  offers.firstSeenAt,
  offers.updatedAt,
];

/** The columns a statistics refresh measures: every other one, new ones included. */
const STATISTICS_COLUMNS = Object.values(getTableColumns(offers))
  .filter((column) => !UNSEARCHED.includes(column))
  .map((column) => `"${column.name}"`)
  .join(', ');

/** Offer rows a sync writes before the planner's statistics are worth refreshing. */
const ANALYZE_MIN_ROWS = 1_000;
/** ...and the share of the fetched catalog they must be. */
const ANALYZE_MIN_SHARE = 0.1;

function reshapesCatalog(counts: SyncCounts): boolean {
  return (
    counts.rowsWritten >= ANALYZE_MIN_ROWS &&
    counts.rowsWritten >= counts.fetched * ANALYZE_MIN_SHARE
  );
}

function countsOf(fetched: number, diff: CatalogDiff): SyncCounts {
  const has = (kind: ChangeKind) => diff.changed.filter((c) => c.kinds.includes(kind)).length;
  return {
    fetched,
    added: diff.added.length,
    removed: diff.removed.length,
    priceChanged: has('price'),
    availabilityChanged: has('availability'),
    otherChanged: has('spec'),
    rowsWritten: diff.added.length + diff.changed.length + diff.removed.length,
  };
}

function changeRows(
  syncId: number,
  credentialId: string,
  diff: CatalogDiff,
  at: Date,
): (typeof catalogChanges.$inferInsert)[] {
  const row = (
    typeId: string,
    kind: (typeof catalogChanges.$inferInsert)['kind'],
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
  ) => ({ syncId, credentialId, typeId, kind, before, after, at });
  return [
    ...diff.added.map(({ type }) => row(type.id, 'added', null, summary(type))),
    ...diff.removed.map((gone) =>
      row(gone.typeId, 'removed', { price: gone.price, currency: gone.currency }, null),
    ),
    ...diff.changed.flatMap(({ type, before, kinds }) =>
      kinds.map((kind) =>
        kind === 'price'
          ? row(
              type.id,
              kind,
              { price: before.price, currency: before.currency },
              { price: moneyToDecimal(type.price), currency: type.price.currency },
            )
          : kind === 'availability'
            ? row(type.id, kind, { available: before.available }, { available: type.available })
            : row(type.id, kind, null, null),
      ),
    ),
  ];
}

function summary(type: InstanceType): Record<string, unknown> {
  return {
    type: type.type,
    location: type.location,
    price: moneyToDecimal(type.price),
    currency: type.price.currency,
    available: type.available,
  };
}

interface Failure {
  readonly code: string;
  readonly message: string;
  readonly retryAfterMs?: number | undefined;
}

function describeFailure(err: unknown, timeoutMs: number): Failure {
  if (isCloudError(err)) {
    return {
      code: err.code,
      message: `${err.code}: ${err.message}`,
      retryAfterMs: err.retryAfterMs,
    };
  }
  if (err instanceof ControlPlaneError) return { code: err.code, message: err.message };
  if (
    err instanceof SyncDeadlineExceeded ||
    (err instanceof DOMException && err.name === 'TimeoutError')
  ) {
    return { code: 'timeout', message: `the provider did not answer within ${timeoutMs} ms` };
  }
  return { code: 'error', message: err instanceof Error ? err.message : String(err) };
}

/** `work`, or the signal's reason as soon as it aborts, whichever comes first. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      const reason: unknown = signal.reason;
      reject(reason instanceof Error ? reason : new Error(String(reason)));
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  });
}
