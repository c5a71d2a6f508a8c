import { and, desc, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import { isCloudError, moneyToDecimal, type InstanceType, type Logger } from '@cloudplane/sdk';
import { z } from 'zod';
import { scrubAuthHeaders, scrubbingLogger, type Scrubber } from '../credentials/scrub.js';
import type { CredentialStore, OpenedCredential } from '../credentials/store.js';
import type { Db } from '../db/open.js';
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
  priceJumps,
  type CatalogDiff,
  type EarlierPrice,
  type PlausibilityLimits,
} from './diff.js';
import { fetchCatalog } from './fetch.js';
import { offerRow, type StoredOffer } from './offer-row.js';

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

/** Whose sync it is: enough to record and report it, and to scrub what its provider said. */
interface Subject {
  readonly id: string;
  readonly providerId: string;
  readonly scrub: Scrubber;
}
const CHUNK = 500;

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
  constructor(private readonly options: SyncerOptions) {}

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
      if (err instanceof ControlPlaneError && err.status === 404) throw err;
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
    let fetched: InstanceType[];
    try {
      fetched = await this.fetch(opened);
    } catch (err) {
      if (this.stopping) throw err;
      return this.refuse(subject, startedAt, 'failed', describeFailure(err, this.timeoutMs));
    }
    const stored = await this.stored(opened.id);
    const diff = diffCatalog(stored, fetched);
    const counts = countsOf(fetched.length, diff);
    const limits = this.options.limits ?? DEFAULT_PLAUSIBILITY;
    const doubt =
      options.acceptImplausible === true
        ? null
        : implausibility(stored, diff, limits, await this.earlierPrices(opened.id, diff, limits));
    if (doubt !== null) return this.refuse(subject, startedAt, 'implausible', doubt, counts);
    return this.apply(subject, startedAt, diff, counts);
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /**
   * The provider's catalog, within the deadline. The deadline is our own timer and controller
   * (AbortSignal.timeout inside AbortSignal.any can be collected and never fire on Node 20), and
   * the wait for the fetch ends when it fires even if an adapter ignores its signal.
   */
  private async fetch(opened: OpenedCredential): Promise<InstanceType[]> {
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
      const work = fetchCatalog({
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

  private async stored(credentialId: string): Promise<StoredOffer[]> {
    return this.options.db
      .select({
        typeId: offers.typeId,
        fingerprint: offers.fingerprint,
        price: offers.price,
        currency: offers.currency,
        available: offers.available,
        goneAt: offers.goneAt,
      })
      .from(offers)
      .where(eq(offers.credentialId, credentialId));
  }

  private async apply(
    opened: Subject,
    startedAt: Date,
    diff: CatalogDiff,
    counts: SyncCounts,
  ): Promise<SyncResult> {
    const now = new Date();
    const syncId = await this.options.db.transaction(async (tx) => {
      const upserts = [...diff.added, ...diff.changed].map(({ type, fingerprint }) =>
        offerRow(opened.id, type, fingerprint, now),
      );
      for (const chunk of chunks(upserts)) {
        await tx
          .insert(offers)
          .values(chunk)
          .onConflictDoUpdate({ target: [offers.credentialId, offers.typeId], set: REPLACE });
      }
      for (const chunk of chunks(diff.removed.map((r) => r.typeId))) {
        await tx
          .update(offers)
          .set({ available: false, goneAt: now, updatedAt: now })
          .where(and(eq(offers.credentialId, opened.id), inArray(offers.typeId, chunk)));
      }
      const syncId = await recordSync(tx, {
        credentialId: opened.id,
        startedAt,
        finishedAt: now,
        outcome: 'ok',
        ...counts,
      });
      // Change ids must commit in id order, or a feed reader polling with `after` could pass
      // over one that commits late: change writers take turns (one short lock per sync).
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${FEED_LOCK})`);
      for (const chunk of chunks(changeRows(syncId, opened.id, diff, now))) {
        await tx.insert(catalogChanges).values(chunk);
      }
      await tx
        .update(credentials)
        .set({ syncState: 'ok', syncReason: null, lastSyncAt: now, lastGoodSyncAt: now })
        .where(eq(credentials.id, opened.id));
      return syncId;
    });
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

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Writes the sync's own row (every attempt has one) and returns its id. */
async function recordSync(tx: Tx, values: typeof syncs.$inferInsert): Promise<number> {
  const [row] = await tx.insert(syncs).values(values).returning({ id: syncs.id });
  if (!row) throw new Error('the sync row was not written');
  return row.id;
}

/** On conflict, every column but the key and first-seen takes the new value. */
const REPLACE: Record<string, SQL> = Object.fromEntries(
  Object.entries(getTableColumns(offers))
    .filter(([key]) => !['credentialId', 'typeId', 'firstSeenAt'].includes(key))
    .map(([key, column]) => [key, sql.raw(`excluded."${column.name}"`)]),
);

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

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += CHUNK) yield items.slice(i, i + CHUNK);
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
