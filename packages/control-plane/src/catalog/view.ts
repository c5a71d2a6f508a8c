import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Logger } from '@cloudplane/sdk';
import type { Db } from '../db/open.js';
import { capacityMarks, catalogChanges, credentials, offers } from '../db/schema.js';
import type { Versions } from '../db/versions.js';
import { markFor, type CapacityMark } from '../instances/capacity.js';
import { groupBy } from '../group-by.js';
import { loggableMessage } from '../storage-errors.js';
import { bulkChunks } from './bulk.js';
import { nextOfferCursor, offerCursor, type OfferQuery, type OfferSort } from './query.js';
import { merged, OrderedOffers } from './view-order.js';
import {
  decimalText,
  micros,
  offerJson,
  offerKey,
  VIEW_ROW,
  viewOffer,
  type ViewOffer,
  type ViewRow,
} from './view-offer.js';

/**
 * The catalog view: every node keeps the whole `offers` table in memory, in both sort orders (each
 * cut by GPU model and count, `OrderedOffers`), and answers `GET /v1/offers` from it. The catalog changes only when a sync
 * commits, so the view follows the database instead of asking it each time: before a page is
 * served, the view catches up to versions read after the request arrived (`StoreVersions`),
 * reading only the offers the change feed names, the credential list when one was removed, and
 * the capacity marks when one was written. A page is what the SQL search returns
 * (`searchOffers`), which serves while the view's first load runs.
 */

/** Change-feed rows read per statement while catching up. */
const FEED_PAGE = 20_000;
/** Offer rows read per statement by the first load: each page is checked in one go, so it
 * stays short enough not to hold up requests for long. */
const LOAD_PAGE = 2_000;

export interface OfferRegion {
  readonly provider: string;
  readonly region: string;
  /** Live offers there. */
  readonly offers: number;
}

export interface OfferPage {
  /** Each offer's JSON (in parts, as `offerJson` gives it), in page order. */
  readonly offers: readonly Buffer[][];
  readonly nextCursor: string | null;
}

interface Seen {
  readonly catalog: number;
  readonly credentials: string;
  readonly capacity: string;
}

type Ordered = Record<OfferSort, OrderedOffers>;

export class CatalogView {
  private readonly offers = new Map<string, ViewOffer>();
  private marks = new Map<string, CapacityMark[]>();
  private ordered: Ordered | null = null;
  /** Offers added or replaced since `ordered` was built, and whether any left. */
  private fresh: ViewOffer[] = [];
  private removedSinceOrdered = false;
  private seen: Seen | null = null;
  /** The regions on offer, counted again after any offer changed. */
  private regionList: OfferRegion[] | null = null;
  private loading: Promise<void> | null = null;
  private updating: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  /**
   * The page `query` asks for, as of `versions` or later; null while the first load runs (the
   * caller reads the database instead). The load starts on the first call.
   */
  async page(query: OfferQuery, versions: Versions): Promise<OfferPage | null> {
    return (await this.caughtUp(versions)) ? this.search(query) : null;
  }

  /**
   * Each provider and region with live offers, and how many, sorted by provider and region (as
   * `offerRegions` reads them); null while the first load runs.
   */
  async regions(versions: Versions): Promise<readonly OfferRegion[] | null> {
    if (!(await this.caughtUp(versions))) return null;
    this.regionList ??= countRegions(this.offers.values());
    return this.regionList;
  }

  /** Catches up to `versions`; false (and the load started) when the view has not loaded. */
  private async caughtUp(versions: Versions): Promise<boolean> {
    if (this.seen === null) {
      this.startLoading(versions);
      return false;
    }
    while (!covers(this.seen, versions)) {
      this.updating ??= this.catchUp(versions).finally(() => {
        this.updating = null;
      });
      await this.updating;
    }
    return true;
  }

  /** Loads the view now, if it has not been; resolves when it is loaded. */
  async warm(versions: Versions): Promise<void> {
    this.startLoading(versions);
    await this.loading;
  }

  get size(): number {
    return this.offers.size;
  }

  private startLoading(versions: Versions): void {
    this.loading ??= this.load(versions).catch((err: unknown) => {
      this.loading = null; // the next request tries again
      this.logger.warn(
        { err: loggableMessage(err) },
        'could not load the catalog view; searches read the database meanwhile',
      );
    });
  }

  /**
   * Every offer, then the marks, as of `versions` or later; changes since come by the feed. The
   * view takes them only once all are read, so a load that fails part way leaves nothing behind
   * for the next attempt to mix with.
   */
  private async load(versions: Versions): Promise<void> {
    const started = Date.now();
    const loaded: ViewOffer[] = [];
    let after: { credentialId: string; typeId: string } | null = null;
    for (;;) {
      const rows: ViewRow[] = await this.db
        .select(VIEW_ROW)
        .from(offers)
        .where(
          after === null
            ? undefined
            : sql`(${offers.credentialId}, ${offers.typeId}) > (${after.credentialId}, ${after.typeId})`,
        )
        .orderBy(asc(offers.credentialId), asc(offers.typeId))
        .limit(LOAD_PAGE);
      for (const row of rows) loaded.push(viewOffer(row));
      const last = rows.at(-1);
      if (!last || rows.length < LOAD_PAGE) break;
      after = last;
    }
    this.marks = await this.readMarks();
    for (const offer of loaded) this.put(offer);
    this.seen = { ...versions };
    this.logger.info(
      { offers: this.offers.size, ms: Date.now() - started },
      'catalog view loaded; searches are served from memory',
    );
  }

  /**
   * Reads everything that moved first, then changes the view in one synchronous step, so that
   * a search served meanwhile sees the view as it was, never half of a sync.
   */
  private async catchUp(target: Versions): Promise<void> {
    const seen = this.seen;
    if (seen === null) throw new Error('the catalog view catches up only once loaded');
    const kept =
      target.credentials === seen.credentials
        ? null
        : new Set(
            (await this.db.select({ id: credentials.id }).from(credentials)).map((c) => c.id),
          );
    const feed = target.catalog > seen.catalog ? await this.readFeed(seen.catalog) : null;
    const marks = target.capacity === seen.capacity ? null : await this.readMarks();

    if (kept) {
      for (const [key, offer] of this.offers) if (!kept.has(offer.credentialId)) this.remove(key);
    }
    if (feed) {
      for (const offer of feed.read) this.put(offer);
      for (const key of feed.gone) this.remove(key);
    }
    if (marks) this.marks = marks;
    this.seen = {
      catalog: feed?.last ?? seen.catalog,
      credentials: target.credentials,
      capacity: target.capacity,
    };
  }

  /**
   * The offers the feed names after change `after`, read again: those still there, and the keys
   * of those no longer there (their credential was removed). Returns the last change id read.
   */
  private async readFeed(
    after: number,
  ): Promise<{ read: ViewOffer[]; gone: string[]; last: number }> {
    const named = new Map<string, Set<string>>();
    let last = after;
    for (;;) {
      const rows = await this.db
        .select({
          id: catalogChanges.id,
          credentialId: catalogChanges.credentialId,
          typeId: catalogChanges.typeId,
        })
        .from(catalogChanges)
        .where(gt(catalogChanges.id, last))
        .orderBy(asc(catalogChanges.id))
        .limit(FEED_PAGE);
      for (const row of rows) {
        let types = named.get(row.credentialId);
        if (!types) named.set(row.credentialId, (types = new Set()));
        types.add(row.typeId);
      }
      last = rows.at(-1)?.id ?? last;
      if (rows.length < FEED_PAGE) break;
    }
    const read: ViewOffer[] = [];
    const gone: string[] = [];
    for (const [credentialId, types] of named) {
      for (const chunk of bulkChunks([...types])) {
        const rows = await this.db
          .select(VIEW_ROW)
          .from(offers)
          .where(
            and(
              eq(offers.credentialId, credentialId),
              sql`${offers.typeId} IN (SELECT jsonb_array_elements_text(${JSON.stringify(chunk)}::jsonb))`,
            ),
          );
        const found = new Set<string>();
        for (const row of rows) {
          found.add(row.typeId);
          read.push(viewOffer(row));
        }
        for (const typeId of chunk)
          if (!found.has(typeId)) gone.push(offerKey(credentialId, typeId));
      }
    }
    return { read, gone, last };
  }

  private async readMarks(): Promise<Map<string, CapacityMark[]>> {
    const rows = await this.db
      .select()
      .from(capacityMarks)
      .where(gt(capacityMarks.until, sql`now()`));
    return groupBy(rows, (mark) => mark.credentialId);
  }

  private put(offer: ViewOffer): void {
    this.offers.set(offer.key, offer);
    this.fresh.push(offer);
    this.regionList = null;
  }

  private remove(key: string): void {
    if (this.offers.delete(key)) this.removedSinceOrdered = true;
    this.regionList = null;
  }

  private search(query: OfferQuery): OfferPage {
    const lists = this.order()[query.sort].listsFor(query);
    const keyOfOffer = query.sort === 'price' ? priceKey : perGpuKey;
    const cursor = offerCursor(query);
    const starts = lists.map((list) =>
      cursor
        ? firstAfter(list, keyOfOffer, micros(cursor.p), {
            credentialId: cursor.c,
            typeId: cursor.t,
          })
        : 0,
    );
    // In price order nothing after the first offer above the highest price can match.
    const priceCeiling =
      query.sort === 'price' && query.maxPrice !== undefined ? micros(query.maxPrice) : Infinity;
    const matches = matcher(query);
    const marks = activeMarks(this.marks, Date.now());
    const found: ViewOffer[] = [];
    for (const offer of merged(lists, starts, query.sort === 'price' ? byPrice : byPricePerGpu)) {
      if (offer.price > priceCeiling) break;
      if (matches(offer, marks)) found.push(offer);
      if (found.length > query.limit) break;
    }
    const page = found.slice(0, query.limit);
    const last = page.at(-1);
    return {
      offers: page.map((offer) => offerJson(offer, markOf(marks, offer))),
      nextCursor:
        found.length > query.limit && last
          ? nextOfferCursor(query.sort, decimalText(keyOfOffer(last)), last)
          : null,
    };
  }

  /**
   * Both orders, rebuilt after changes: the offers kept from the last build are still in order,
   * so the sort (TimSort) mostly merges the few new ones in.
   */
  private order(): Ordered {
    if (this.ordered && this.fresh.length === 0 && !this.removedSinceOrdered) return this.ordered;
    // An offer is current while the map still holds that very object; a re-read one is new.
    const current = (o: ViewOffer) => this.offers.get(o.key) === o;
    const build = (sort: OfferSort) => {
      const kept = this.ordered ? this.ordered[sort].all.filter(current) : [];
      const added = this.ordered ? this.fresh.filter(current) : [...this.offers.values()];
      return OrderedOffers.of(kept.concat(added).sort(sort === 'price' ? byPrice : byPricePerGpu));
    };
    this.ordered = { price: build('price'), pricePerGpu: build('pricePerGpu') };
    this.fresh = [];
    this.removedSinceOrdered = false;
    return this.ordered;
  }
}

function countRegions(offers: Iterable<ViewOffer>): OfferRegion[] {
  const counts = new Map<string, OfferRegion>();
  for (const offer of offers) {
    if (offer.gone) continue;
    const key = `${offer.provider}\u0000${offer.location}`;
    const known = counts.get(key);
    counts.set(key, {
      provider: offer.provider,
      region: offer.location,
      offers: (known?.offers ?? 0) + 1,
    });
  }
  return [...counts.values()].sort(
    (a, b) => byText(a.provider, b.provider) || byText(a.region, b.region),
  );
}

function covers(seen: Seen, wanted: Versions): boolean {
  return (
    seen.catalog >= wanted.catalog &&
    seen.credentials === wanted.credentials &&
    seen.capacity === wanted.capacity
  );
}

const priceKey = (o: ViewOffer) => o.price;
const perGpuKey = (o: ViewOffer) => o.pricePerGpu;

interface Position {
  readonly credentialId: string;
  readonly typeId: string;
}

/** Order of (key, credential, type), as the SQL search orders rows. */
function compare(aKey: number, a: Position, bKey: number, b: Position): number {
  if (aKey !== bKey) return aKey < bKey ? -1 : 1;
  return byText(a.credentialId, b.credentialId) || byText(a.typeId, b.typeId);
}

/** Strings in code-unit order: the database's order under the C collation. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byPrice(a: ViewOffer, b: ViewOffer): number {
  return compare(a.price, a, b.price, b);
}

function byPricePerGpu(a: ViewOffer, b: ViewOffer): number {
  return compare(a.pricePerGpu, a, b.pricePerGpu, b);
}

/** The index of the first offer after `after` in `list` (sorted by `keyOfOffer`). */
function firstAfter(
  list: readonly ViewOffer[],
  keyOfOffer: (o: ViewOffer) => number,
  afterKey: number,
  after: Position,
): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const offer = list[middle];
    if (offer && compare(keyOfOffer(offer), offer, afterKey, after) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

type Marks = ReadonlyMap<string, readonly CapacityMark[]>;

function activeMarks(marks: Marks, now: number): Marks {
  if (marks.size === 0) return marks;
  const active = new Map<string, CapacityMark[]>();
  for (const [credentialId, list] of marks) {
    const live = list.filter((m) => m.until.getTime() > now);
    if (live.length > 0) active.set(credentialId, live);
  }
  return active;
}

function markOf(marks: Marks, offer: ViewOffer): CapacityMark | null {
  const list = marks.get(offer.credentialId);
  return list ? markFor(list, offer) : null;
}

/** The query's filters (all but the GPU model, which picks the list), as the SQL applies them. */
function matcher(q: OfferQuery): (offer: ViewOffer, marks: Marks) => boolean {
  const formFactor = q.formFactor?.toLowerCase();
  const currency = q.currency?.toUpperCase();
  const minPrice = q.minPrice === undefined ? undefined : micros(q.minPrice);
  const maxPrice = q.maxPrice === undefined ? undefined : micros(q.maxPrice);
  return (o, marks) => {
    if (!q.includeGone && o.gone) return false;
    if (q.gpuCount !== undefined && o.gpuCount !== q.gpuCount) return false;
    if (q.minGpuCount !== undefined && o.gpuCount < q.minGpuCount) return false;
    if (
      q.minGpuMemoryGiB !== undefined &&
      (o.gpuMemoryGiB === null || o.gpuMemoryGiB < q.minGpuMemoryGiB)
    )
      return false;
    if (formFactor !== undefined && o.formFactor !== formFactor) return false;
    if (q.minVcpu !== undefined && o.vcpu < q.minVcpu) return false;
    if (q.minMemoryGiB !== undefined && o.memoryGiB < q.minMemoryGiB) return false;
    if (q.region !== undefined && o.location !== q.region) return false;
    if (q.provider !== undefined && o.provider !== q.provider) return false;
    if (q.cloud !== undefined && o.cloud !== q.cloud) return false;
    if (currency !== undefined && o.currency !== currency) return false;
    if (minPrice !== undefined && o.price < minPrice) return false;
    if (maxPrice !== undefined && o.price > maxPrice) return false;
    if (q.available !== undefined) {
      const launchable = o.available && markOf(marks, o) === null;
      if (launchable !== q.available) return false;
    }
    return true;
  };
}
