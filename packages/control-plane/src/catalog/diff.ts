import { moneyToDecimal, type InstanceType } from '@cloudplane/sdk';
import type { ChangeKind } from '../db/schema.js';
import { samePrice, storedPrice, type StoredOffer } from './offer-row.js';

/**
 * What a fetched catalog changes in the stored one, and whether the change is believable. Pure:
 * the syncer fetches and writes, this decides.
 */

export interface FetchedType {
  readonly type: InstanceType;
  readonly fingerprint: string;
  /** The type as JSON, when it was just validated: spares writing it out again for its row. */
  readonly json?: string;
}

export interface ChangedType extends FetchedType {
  readonly before: StoredOffer;
  readonly kinds: readonly ChangeKind[];
}

export interface CatalogDiff {
  /** New ids, and ids that had gone and came back. */
  readonly added: readonly FetchedType[];
  readonly changed: readonly ChangedType[];
  /** Live before, missing now: they become unavailable with a timestamp. */
  readonly removed: readonly StoredOffer[];
  readonly unchanged: number;
  /** Live types before this sync, the base the plausibility limits are shares of. */
  readonly liveBefore: number;
}

/**
 * `stored` by type id: the credential's catalog as the last sync left it. `applied`, when given,
 * is the fetched list whose sync left it so: every item of it is live and stored as it is, and no
 * other type is live. An item of `fetched` that is the very object at the same place in `applied`
 * is then unchanged without a look-up (most of a catalog that changed in a few places).
 */
export function diffCatalog(
  stored: ReadonlyMap<string, StoredOffer>,
  fetched: readonly FetchedType[],
  applied?: readonly FetchedType[],
): CatalogDiff {
  const added: FetchedType[] = [];
  const changed: ChangedType[] = [];
  let unchanged = 0;
  let liveFound = 0;
  for (const [index, item] of fetched.entries()) {
    if (applied !== undefined && applied[index] === item) {
      liveFound++;
      unchanged++;
      continue;
    }
    const before = stored.get(item.type.id);
    if (!before || before.goneAt !== null) {
      added.push(item);
      continue;
    }
    liveFound++;
    if (before.fingerprint === item.fingerprint) unchanged++;
    else changed.push({ ...item, before, kinds: changeKinds(before, item.type) });
  }
  const liveBefore = applied?.length ?? countLive(stored);
  // Fetched ids are unique, so when every live type was found, none was removed.
  const removed = liveFound === liveBefore ? [] : missing(stored, fetched);
  return { added, changed, removed, unchanged, liveBefore };
}

function countLive(stored: ReadonlyMap<string, StoredOffer>): number {
  let live = 0;
  for (const offer of stored.values()) if (offer.goneAt === null) live++;
  return live;
}

/**
 * The diff of a catalog against the one it left when it was applied: every type is live and
 * unchanged, and nothing else is live (the types it lacked were marked gone then).
 */
export function noChange(fetched: readonly FetchedType[]): CatalogDiff {
  const n = fetched.length;
  return { added: [], changed: [], removed: [], unchanged: n, liveBefore: n };
}

function missing(
  stored: ReadonlyMap<string, StoredOffer>,
  fetched: readonly FetchedType[],
): StoredOffer[] {
  const seen = new Set(fetched.map((item) => item.type.id));
  return [...stored.values()].filter((s) => s.goneAt === null && !seen.has(s.typeId));
}

function changeKinds(before: StoredOffer, type: InstanceType): ChangeKind[] {
  const kinds: ChangeKind[] = [];
  if (!samePrice(before, type.price)) kinds.push('price');
  if (before.available !== type.available) kinds.push('availability');
  return kinds.length > 0 ? kinds : ['spec'];
}

export interface PlausibilityLimits {
  /** A sync that removes more than this share of the live catalog at once is refused. */
  readonly maxRemovedShare: number;
  /** Below this many live types, the share rule does not apply (only "all vanished" does). */
  readonly minCatalogForShare: number;
  /** A price that moves by more than this factor either way is refused. */
  readonly maxPriceFactor: number;
}

export const DEFAULT_PLAUSIBILITY: PlausibilityLimits = {
  maxRemovedShare: 0.5,
  minCatalogForShare: 10,
  maxPriceFactor: 10,
};

/** A type's price before its latest recorded price change (from the change feed). */
export interface EarlierPrice {
  readonly price: string;
  readonly currency: string;
}

/** The price changes that move by more than the limit (the ones a sync would be refused for). */
export function priceJumps(
  diff: CatalogDiff,
  limits: PlausibilityLimits = DEFAULT_PLAUSIBILITY,
): ChangedType[] {
  return diff.changed.filter((change) => {
    if (!change.kinds.includes('price')) return false;
    const before = Number(moneyToDecimal(storedPrice(change.before)));
    const after = Number(moneyToDecimal(change.type.price));
    const factor = before > 0 && after > 0 ? Math.max(after / before, before / after) : Infinity;
    return factor > limits.maxPriceFactor;
  });
}

/**
 * Why this diff is not believable, or null. A refused sync keeps the last good catalog.
 *
 * `earlier` holds, per type, the price before its latest price change. A jump back to exactly
 * that price is a revert to a value the control plane already accepted (typically after an
 * operator accepted a wrong price that the provider then fixed), so it passes: refusing it would
 * keep serving the price everyone agrees was wrong.
 */
export function implausibility(
  diff: CatalogDiff,
  limits: PlausibilityLimits = DEFAULT_PLAUSIBILITY,
  earlier: ReadonlyMap<string, EarlierPrice> = new Map(),
): string | null {
  const live = diff.liveBefore;
  const gone = diff.removed.length;
  if (live > 0 && gone === live) {
    return `all ${live} instance types vanished at once`;
  }
  if (live >= limits.minCatalogForShare && gone / live > limits.maxRemovedShare) {
    return `${gone} of ${live} instance types vanished at once (more than ${Math.round(limits.maxRemovedShare * 100)}%)`;
  }
  for (const change of priceJumps(diff, limits)) {
    if (isRevert(change, earlier.get(change.type.id))) continue;
    return `the price of ${change.type.id} moved from ${change.before.price} to ${moneyToDecimal(change.type.price)} ${change.type.price.currency} (more than ${limits.maxPriceFactor}x)`;
  }
  return null;
}

function isRevert(change: ChangedType, earlier: EarlierPrice | undefined): boolean {
  if (!earlier) return false;
  const typeId = change.type.id;
  const previous: StoredOffer = { ...change.before, typeId, ...earlier };
  try {
    return samePrice(previous, change.type.price);
  } catch {
    // An earlier price the money parser cannot read is no evidence of anything.
    return false;
  }
}
