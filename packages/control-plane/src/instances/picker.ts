import { and, asc, eq, gte, inArray, isNull, lte, not, type SQL } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { offers, type AvoidedPlace, type LaunchRequirement } from '../db/schema.js';
import { canonicalGpu, type OfferRecord } from '../catalog/query.js';
import { offerIsMarked } from './capacity.js';

/**
 * Launch by requirement: the cheapest offer that meets it, is launchable now (listed available,
 * no capacity mark) and is not in a place an earlier attempt was refused.
 */
export async function pickOffer(
  db: Db,
  requirement: LaunchRequirement,
  avoid: readonly AvoidedPlace[],
): Promise<OfferRecord | null> {
  const where: (SQL | undefined)[] = [
    isNull(offers.goneAt),
    eq(offers.available, true),
    not(offerIsMarked()),
    eq(offers.gpuName, canonicalGpu(requirement.gpu)),
    requirement.count === undefined ? undefined : eq(offers.gpuCount, requirement.count),
    requirement.minGpuMemoryGiB === undefined
      ? undefined
      : gte(offers.gpuMemoryGiB, requirement.minGpuMemoryGiB),
    requirement.maxPricePerHour === undefined
      ? undefined
      : lte(offers.price, requirement.maxPricePerHour),
    requirement.regions === undefined
      ? undefined
      : inArray(offers.location, [...requirement.regions]),
    requirement.providers === undefined
      ? undefined
      : inArray(offers.provider, [...requirement.providers]),
    ...avoid.map((place) => not(covers(place))),
  ];
  const [offer] = await db
    .select()
    .from(offers)
    .where(and(...where.filter((c): c is SQL => c !== undefined)))
    .orderBy(asc(offers.price), asc(offers.credentialId), asc(offers.typeId))
    .limit(1);
  return offer ?? null;
}

function covers(place: AvoidedPlace): SQL {
  const within =
    place.scope === 'offer'
      ? eq(offers.typeId, place.key)
      : place.scope === 'location'
        ? eq(offers.location, place.key)
        : undefined;
  const where = and(eq(offers.credentialId, place.credentialId), within);
  if (!where) throw new Error('and() of conditions is never empty');
  return where;
}

/** Where a refusal with this scope rules out further tries. */
export function avoidedPlace(
  scope: string,
  place: { credentialId: string; typeId: string; location: string },
): AvoidedPlace {
  if (scope === 'location') return { credentialId: place.credentialId, scope, key: place.location };
  if (scope === 'provider') return { credentialId: place.credentialId, scope, key: '' };
  return { credentialId: place.credentialId, scope: 'offer', key: place.typeId };
}
