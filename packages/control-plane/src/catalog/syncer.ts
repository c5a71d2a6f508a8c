import { and, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import { DEFAULT_RETRY, retrying, type RetryPolicy } from '@cloudplane/provider-kit';
import { isCloudError, moneyToDecimal, type InstanceType, type Logger } from '@cloudplane/sdk';
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
import type { Metrics } from '../metrics.js';
import {
  DEFAULT_PLAUSIBILITY,
  diffCatalog,
  implausibility,
  type CatalogDiff,
  type PlausibilityLimits,
} from './diff.js';
import { fetchCatalog } from './fetch.js';
import { offerRow, type StoredOffer } from './offer-row.js';

/**
 * The instance-type syncer's one step for one credential: fetch the provider's catalog, diff it
 * against the stored one, and write only what changed, with a change feed entry for each change.
 * A failed or implausible fetch writes no offer and marks the credential degraded, so readers
 * keep the last good catalog.
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
  /** The whole fetch (all pages, all locations, retries included) must end within this. */
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  readonly limits?: PlausibilityLimits;
  /** Injected into provider clients (tests, benchmarks). */
  readonly fetch?: typeof fetch;
  /** Aborts syncs in flight (shutdown). */
  readonly signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 120_000;
/** The advisory lock that orders change-feed writes (an arbitrary, fixed key). */
const FEED_LOCK = 7_262_432;

/** Whose sync it is: enough to record and report it. */
interface Subject {
  readonly id: string;
  readonly providerId: string;
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
      // Unopenable (another master key) or no longer valid: say so on the credential.
      const { provider } = await this.options.credentials.require(credentialId);
      return this.refuse({ id: credentialId, providerId: provider }, startedAt, 'failed', {
        code: 'credential',
        message: err instanceof Error ? err.message : String(err),
      });
    }
    const subject = { id: opened.id, providerId: opened.provider.id };
    let fetched: InstanceType[];
    try {
      fetched = await this.fetch(opened);
    } catch (err) {
      if (this.options.signal?.aborted === true) throw err;
      return this.refuse(subject, startedAt, 'failed', describeFailure(err, this.timeoutMs));
    }
    const stored = await this.stored(credentialId);
    const diff = diffCatalog(stored, fetched);
    const counts = countsOf(fetched.length, diff);
    const doubt =
      options.acceptImplausible === true
        ? null
        : implausibility(stored, diff, this.options.limits ?? DEFAULT_PLAUSIBILITY);
    if (doubt !== null) return this.refuse(subject, startedAt, 'implausible', doubt, counts);
    return this.apply(subject, startedAt, diff, counts);
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private async fetch(opened: OpenedCredential): Promise<InstanceType[]> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const outer = this.options.signal;
    const signal = outer ? AbortSignal.any([timeout, outer]) : timeout;
    const { provider } = opened;
    return retrying(
      () =>
        fetchCatalog({
          provider,
          credential: opened.credential,
          cloudCredRefId: opened.id,
          logger: this.options.logger,
          signal,
          ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
        }),
      {
        policy: this.options.retry ?? DEFAULT_RETRY,
        replay: 'idempotent',
        operation: 'catalog sync',
        providerId: provider.id,
        displayName: provider.displayName,
        logger: this.options.logger,
        signal,
      },
    );
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
    const { code, message, retryAfterMs }: Failure =
      typeof reason === 'string' ? { code: 'implausible', message: reason } : reason;
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
  if (err instanceof DOMException && err.name === 'TimeoutError') {
    return { code: 'timeout', message: `the provider did not answer within ${timeoutMs} ms` };
  }
  return { code: 'error', message: err instanceof Error ? err.message : String(err) };
}
