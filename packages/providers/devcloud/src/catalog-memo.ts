import { AnswerMemo } from '@cloudplane/provider-kit';
import { deepFreeze, setMostRecent, type InstanceType } from '@cloudplane/sdk';
import type { OffersPage, WireOffer } from './wire.js';
import type { z } from 'zod';

/**
 * The catalog this process last mapped for each credential. A catalog is re-fetched every poll
 * and barely changes between two fetches, while mapping an offer (normalising its GPU name above
 * all) costs far more than comparing the few fields the mapping reads. So an offer whose mapped
 * fields are as they were gets back the very InstanceType it got last time.
 *
 * Those InstanceTypes are deeply frozen: a frozen object is one its maker promises never to
 * change, which lets the control plane skip re-validating an object it validated before.
 */

/** Credentials whose last catalog is kept; the least recently fetched one goes first. */
const MAX_CATALOGS = 256;
/** Catalog pages whose last answer is kept: 256 catalogs of 100,000 types in 500-type pages. */
const MAX_PAGES = 256 * 200;

/**
 * The last answer to each catalog page request, so that a page that comes back byte for byte as
 * last time is neither parsed nor checked again: its offers are the very objects of last time,
 * which `mapCatalog` then recognises by identity. On a page that did change, only the offers that
 * differ from last time's are checked (`OffersPage` checks each offer on its own and has no
 * transforms, as the `list` option requires); the others are last time's objects too.
 */
export const catalogPages = new AnswerMemo<z.infer<typeof OffersPage>>(MAX_PAGES, {
  list: 'instance_types',
});

interface Mapped {
  readonly offer: WireOffer;
  readonly type: InstanceType;
}

/** The last fetch's offers in the order they came, each with its type. */
const catalogs = new Map<string, readonly Mapped[]>();

/**
 * Maps `offers` with `map`, reusing the last fetch's type for every offer the mapping would turn
 * into the same type. `catalogKey` names whose catalog it is (credential and endpoint).
 */
export function mapCatalog(
  catalogKey: string,
  offers: readonly WireOffer[],
  map: (offer: WireOffer) => InstanceType,
): InstanceType[] {
  const last = catalogs.get(catalogKey) ?? [];
  let byKey: Map<string, Mapped> | undefined;
  const next: Mapped[] = [];
  for (const [index, offer] of offers.entries()) {
    // The API lists offers in a stable order, so the offer at the same place is nearly always
    // the one to compare with; the look-up by key covers offers that moved.
    let before = last[index];
    if (before?.offer === offer) {
      // From a page that came back unchanged (see catalogPages).
      next.push(before);
      continue;
    }
    if (before === undefined || !sameOffer(before.offer, offer)) {
      byKey ??= new Map(last.map((mapped) => [offerKey(mapped.offer), mapped]));
      before = byKey.get(offerKey(offer));
    }
    // The new offer object is kept, so that the next identical page finds it by identity.
    next.push({
      offer,
      type:
        before !== undefined && sameMappedFields(before.offer, offer)
          ? before.type
          : deepFreeze(map(offer)),
    });
  }
  setMostRecent(catalogs, catalogKey, next, MAX_CATALOGS);
  return next.map((mapped) => mapped.type);
}

function sameOffer(a: WireOffer, b: WireOffer): boolean {
  return a.name === b.name && a.region === b.region && a.zone === b.zone;
}

/** An offer's identity in devcloud: its name within a region and zone. */
function offerKey(offer: WireOffer): string {
  return `${offer.region}\u0000${offer.zone ?? ''}\u0000${offer.name}`;
}

/**
 * True when `toInstanceType` reads the same values from both offers. Only whether capacity is
 * left matters, not how much: a count that moves from 4 to 3 is the same type.
 */
export function sameMappedFields(a: WireOffer, b: WireOffer): boolean {
  return (
    a.name === b.name &&
    a.region === b.region &&
    a.zone === b.zone &&
    a.gpu.count === b.gpu.count &&
    a.gpu.description === b.gpu.description &&
    a.vcpus === b.vcpus &&
    a.memory_gib === b.memory_gib &&
    a.disk_gb === b.disk_gb &&
    a.price_per_hour === b.price_per_hour &&
    a.available_capacity > 0 === b.available_capacity > 0 &&
    a.stoppable === b.stoppable
  );
}
