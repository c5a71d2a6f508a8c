import { and, asc, eq, gte, inArray, isNull, lte, not, type SQL } from 'drizzle-orm';
import type { FirewallRules } from '@cloudplane/sdk';
import type { Db } from '../db/open.js';
import { offers, type AvoidedPlace, type LaunchRequirement } from '../db/schema.js';
import { canonicalGpu, type OfferRecord } from '../catalog/query.js';
import type { ProviderRegistry } from '../providers.js';
import { offerIsMarked } from './capacity.js';

/** Whether a launch asks for firewall rules, which its provider must apply at create. */
export function asksFirewall(rules: FirewallRules | undefined): boolean {
  return rules !== undefined && (rules.ingress.length > 0 || rules.egress.length > 0);
}

/**
 * The requirement narrowed to the providers that can do what the launch asks beyond an offer
 * (firewall rules at create), so the pick passes over the others instead of choosing an offer
 * the launch must then refuse; null when none of the providers it allows can.
 */
export function withinCapabilities(
  requirement: LaunchRequirement,
  registry: ProviderRegistry,
  rules: FirewallRules | undefined,
): LaunchRequirement | null {
  if (!asksFirewall(rules)) return requirement;
  const capable = [...registry.values()]
    .filter((provider) => provider.firewallAtCreate !== 'unsupported')
    .map((provider) => provider.id);
  const allowed = requirement.providers ?? capable;
  const providers = allowed.filter((id) => capable.includes(id));
  return providers.length === 0 ? null : { ...requirement, providers };
}

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
