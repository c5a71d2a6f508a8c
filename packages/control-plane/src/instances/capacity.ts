import { and, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { CloudError } from '@cloudplane/sdk';
import type { Db } from '../db/open.js';
import { capacityMarks, offers, type CapacityScope } from '../db/schema.js';
import type { Metrics } from '../metrics.js';

/**
 * Capacity memory: a launch refused with INSUFFICIENT_CAPACITY marks its offer, location or
 * whole credential (as the error's scope says) unavailable for a while, in the database, so
 * every node and every restart sees it. The catalog shows marked offers as unavailable with the
 * mark's end and reason; a later launch that succeeds there, or a catalog sync that reports the
 * offer available again, clears it early.
 */

export const DEFAULT_CAPACITY_TTL_MS = 15 * 60_000;

export type CapacityMark = typeof capacityMarks.$inferSelect;

/** Where a launch was tried: what a mark of each scope covers. */
export interface OfferPlace {
  readonly credentialId: string;
  readonly typeId: string;
  readonly location: string;
}

export class CapacityMemory {
  constructor(
    private readonly db: Db,
    readonly ttlMs: number = DEFAULT_CAPACITY_TTL_MS,
    private readonly metrics?: Metrics,
  ) {}

  /**
   * Remembers a capacity refusal at `place`, as far as the error's scope reaches. `said` is the
   * provider's message with the credential's secrets scrubbed (`describeFailure`): the mark's
   * reason is served to every user with the offer.
   */
  async remember(
    place: OfferPlace,
    err: CloudError,
    said: string,
    labels: { provider: string; gpu: string | null },
  ): Promise<CapacityMark> {
    const scope = scopeOf(err);
    const now = new Date();
    const mark = {
      credentialId: place.credentialId,
      scope,
      key: keyOf(scope, place),
      reason: `${err.code}: ${said}`.slice(0, 500),
      until: new Date(now.getTime() + this.ttlMs),
      at: now,
    };
    await this.db
      .insert(capacityMarks)
      .values(mark)
      .onConflictDoUpdate({
        target: [capacityMarks.credentialId, capacityMarks.scope, capacityMarks.key],
        set: { reason: mark.reason, until: mark.until, at: now },
      });
    this.metrics?.capacityErrors.inc({ provider: labels.provider, gpu: labels.gpu ?? 'none' });
    return mark;
  }

  /**
   * A launch succeeded at `place`: every mark that covered it is wrong now. Looks before it
   * deletes: almost every launch has no mark to clear, and a delete of nothing still fires the
   * table's statement trigger, which would tell every node its cached catalog and tokens are
   * stale (migration 0006).
   */
  async clear(place: OfferPlace): Promise<void> {
    const [any] = await this.db
      .select({ key: capacityMarks.key })
      .from(capacityMarks)
      .where(covering(place))
      .limit(1);
    if (any) await this.db.delete(capacityMarks).where(covering(place));
  }

  /** Offers a catalog sync reports available again: their offer marks go. */
  async clearOffers(credentialId: string, typeIds: readonly string[]): Promise<void> {
    if (typeIds.length === 0) return;
    await this.db
      .delete(capacityMarks)
      .where(
        and(
          eq(capacityMarks.credentialId, credentialId),
          eq(capacityMarks.scope, 'offer'),
          inArray(capacityMarks.key, [...typeIds]),
        ),
      );
  }

  /**
   * Active marks of these credentials, for showing them on offers: by the database's clock, as
   * `offerIsMarked` decides in the search, so a page never shows a mark its filter ignored.
   */
  async active(credentialIds: readonly string[]): Promise<CapacityMark[]> {
    if (credentialIds.length === 0) return [];
    return this.db
      .select()
      .from(capacityMarks)
      .where(
        and(
          inArray(capacityMarks.credentialId, [...credentialIds]),
          gt(capacityMarks.until, sql`now()`),
        ),
      );
  }
}

/** The mark among `marks` that covers `place` and lasts longest, if any. */
export function markFor(marks: readonly CapacityMark[], place: OfferPlace): CapacityMark | null {
  let found: CapacityMark | null = null;
  for (const mark of marks) {
    if (mark.credentialId !== place.credentialId) continue;
    if (mark.key !== keyOf(mark.scope, place)) continue;
    if (!found || mark.until > found.until) found = mark;
  }
  return found;
}

/** SQL: an active capacity mark covers this row of `offers`. */
export function offerIsMarked(): SQL {
  return sql`EXISTS (SELECT 1 FROM ${capacityMarks} m WHERE m.credential_id = ${offers.credentialId} AND m.until > now() AND ((m.scope = 'offer' AND m.key = ${offers.typeId}) OR (m.scope = 'location' AND m.key = ${offers.location}) OR m.scope = 'provider'))`;
}

function scopeOf(err: CloudError): CapacityScope {
  return err.scope === 'location' || err.scope === 'provider' ? err.scope : 'offer';
}

function keyOf(scope: CapacityScope, place: OfferPlace): string {
  if (scope === 'offer') return place.typeId;
  if (scope === 'location') return place.location;
  return '';
}

function covering(place: OfferPlace): SQL {
  const any = or(
    and(eq(capacityMarks.scope, 'offer'), eq(capacityMarks.key, place.typeId)),
    and(eq(capacityMarks.scope, 'location'), eq(capacityMarks.key, place.location)),
    eq(capacityMarks.scope, 'provider'),
  );
  const where = and(eq(capacityMarks.credentialId, place.credentialId), any);
  if (!where) throw new Error('and() of conditions is never empty');
  return where;
}
