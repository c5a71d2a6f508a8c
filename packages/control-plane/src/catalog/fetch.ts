import PQueue from 'p-queue';
import {
  InstanceTypeSchema,
  setMostRecent,
  type CloudClient,
  type InstanceType,
  type Logger,
  type Provider,
} from '@cloudplane/sdk';
import { ControlPlaneError } from '../errors.js';
import type { FetchedType } from './diff.js';
import { canonicalJson, fingerprintOfJson } from './offer-row.js';

/**
 * Asks a provider for its whole catalog: one call for a global API, one per location for a
 * locational one. Every type is parsed with the SDK's schema (a provider payload is outside
 * input), and the whole fetch fails on the first bad type or duplicate id: a partial catalog
 * would look like types vanishing.
 */

export type { FetchedType } from './diff.js';

export interface CatalogFetch {
  readonly provider: Provider;
  readonly credential: unknown;
  readonly cloudCredRefId: string;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
  /** Locations fetched at once for a locational provider. */
  readonly concurrency?: number;
  /** Only this location's types (the CLI's --location); default every location. */
  readonly location?: string | undefined;
}

export async function fetchCatalog(request: CatalogFetch): Promise<InstanceType[]> {
  return (await fetchFingerprintedCatalog(request)).map(({ type }) => type);
}

/** The catalog with each type's fingerprint, which is what a sync compares. */
export async function fetchFingerprintedCatalog(
  request: CatalogFetch,
): Promise<readonly FetchedType[]> {
  const { provider } = request;
  const only = request.location === undefined ? undefined : { locations: [request.location] };
  const raw =
    provider.apiType === 'global'
      ? await clientFor(request).getInstanceTypes(only)
      : request.location !== undefined
        ? await clientFor(request, request.location).getInstanceTypes(only)
        : await fetchPerLocation(request);
  const key = `${provider.id}\u0000${request.cloudCredRefId}\u0000${request.location ?? ''}`;
  const last = lastLists.get(key);
  if (last !== undefined && sameFrozenItems(last.raw, raw)) return last.fetched;
  // The kept list's id index is brought up to date in place; a refused list leaves it stale.
  lastLists.delete(key);
  const { fetched, allFrozen, ids } = validate(provider.id, raw, last);
  if (allFrozen) setMostRecent(lastLists, key, { raw: [...raw], fetched, ids }, MAX_LISTS);
  return fetched;
}

/**
 * Each credential's last catalog, when every type in it was frozen: a list of the very same
 * frozen objects, in the same order, validates to the very same result (and the syncer then
 * knows, by that identity, that nothing changed since it last applied it). Comparing the items
 * by identity costs a few microseconds per thousand; validating them one by one, far more. When
 * only some changed, the others are still found at their place, without a look-up.
 */
interface LastList {
  readonly raw: readonly unknown[];
  readonly fetched: readonly FetchedType[];
  /** Each type id's place in `fetched` (ids are unique in a list that passed). */
  readonly ids: Map<string, number>;
}
const lastLists = new Map<string, LastList>();
/** Catalogs kept, one per credential (and location, for a fetch of one location). */
const MAX_LISTS = 1024;

function sameFrozenItems(last: readonly unknown[], raw: readonly unknown[]): boolean {
  if (last.length !== raw.length) return false;
  for (let i = 0; i < raw.length; i++) if (last[i] !== raw[i]) return false;
  return true;
}

function clientFor(request: CatalogFetch, location?: string): CloudClient {
  return request.provider.makeClient({
    credential: request.credential,
    cloudCredRefId: request.cloudCredRefId,
    logger: request.logger,
    ...(request.signal ? { signal: request.signal } : {}),
    ...(location === undefined ? {} : { location }),
    ...(request.fetch ? { fetch: request.fetch } : {}),
  });
}

async function fetchPerLocation(request: CatalogFetch): Promise<InstanceType[]> {
  const locations = await clientFor(request).getLocations();
  const queue = new PQueue({ concurrency: request.concurrency ?? 4 });
  const perLocation = await Promise.all(
    locations.map((location) =>
      queue.add(() => clientFor(request, location.name).getInstanceTypes()),
    ),
  );
  return perLocation.flat();
}

/**
 * Every item of `raw` validated (or found as validated before), and checked to claim this
 * provider and to have an id no other item has.
 */
function validate(
  providerId: string,
  raw: readonly unknown[],
  last: LastList | undefined,
): { fetched: FetchedType[]; allFrozen: boolean; ids: Map<string, number> } {
  let allFrozen = true;
  const changed: number[] = [];
  const fetched = raw.map((item, index) => {
    const kept = last !== undefined && last.raw[index] === item ? last.fetched[index] : undefined;
    if (kept !== undefined) return kept;
    changed.push(index);
    allFrozen &&= Object.isFrozen(item);
    const fetched = validated(providerId, item, index);
    const { type } = fetched;
    if (type.provider !== providerId) {
      throw invalid(providerId, `instance type ${type.id} claims provider "${type.provider}"`);
    }
    return fetched;
  });
  const ids =
    last !== undefined && last.raw.length === raw.length && changed.length * 4 < raw.length
      ? idsAfterChanges(providerId, last, fetched, changed)
      : idsOf(providerId, fetched);
  return { fetched, allFrozen, ids };
}

/** Each type's place by its id, refusing the list at the first id seen twice. */
function idsOf(providerId: string, fetched: readonly FetchedType[]): Map<string, number> {
  const ids = new Map<string, number>();
  for (const [index, { type }] of fetched.entries()) claimId(providerId, ids, type.id, index);
  return ids;
}

/**
 * The last list's id index, changed in place into this list's, when only the items at `changed`
 * differ (same length). The last list had no id twice, so this one has one only if a changed
 * item's id is also an unchanged item's or another changed item's: a look-up per changed item
 * instead of one per item.
 */
function idsAfterChanges(
  providerId: string,
  last: LastList,
  fetched: readonly FetchedType[],
  changed: readonly number[],
): Map<string, number> {
  const { ids } = last;
  for (const index of changed) {
    const before = last.fetched[index]?.type.id;
    if (before !== undefined && ids.get(before) === index) ids.delete(before);
  }
  for (const index of changed) {
    const item = fetched[index];
    if (item !== undefined) claimId(providerId, ids, item.type.id, index);
  }
  return ids;
}

function claimId(providerId: string, ids: Map<string, number>, id: string, index: number): void {
  if (ids.has(id)) throw invalid(providerId, `instance type id ${id} appears twice`);
  ids.set(id, index);
}

/**
 * Types validated before, by the object the adapter returned. Only frozen objects are kept: an
 * adapter freezes a type to promise it never changes, so validating it once is enough (the
 * devcloud adapter hands back the same frozen type while an offer stays as it was). Weak: a type
 * the adapter lets go of is forgotten here too.
 */
const validatedBefore = new WeakMap<object, FetchedType>();

function validated(providerId: string, item: unknown, index: number): FetchedType {
  const frozen = typeof item === 'object' && item !== null && Object.isFrozen(item);
  if (frozen) {
    const known = validatedBefore.get(item);
    if (known !== undefined) return known;
  }
  const parsed = InstanceTypeSchema.safeParse(item);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(
      providerId,
      `instance type #${index} does not match the contract (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'bad shape'})`,
    );
  }
  const json = canonicalJson(parsed.data);
  const fetched: FetchedType = { type: parsed.data, fingerprint: fingerprintOfJson(json), json };
  if (frozen) {
    // When the adapter's object already reads exactly as the parsed one, keep the adapter's
    // (frozen, and held by the adapter anyway) rather than a second copy of every type.
    const type = JSON.stringify(item) === json ? (item as InstanceType) : parsed.data;
    validatedBefore.set(item, { type, fingerprint: fetched.fingerprint });
    return { ...fetched, type };
  }
  return fetched;
}

function invalid(providerId: string, message: string): ControlPlaneError {
  return new ControlPlaneError(503, 'catalog/invalid', `${providerId}: ${message}`);
}
