import {
  and,
  asc,
  count,
  desc,
  eq,
  gt,
  gte,
  isNull,
  lte,
  not,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import { normalizeGpu } from '@cloudplane/sdk';
import { z } from 'zod';
import type { Db } from '../db/open.js';
import { PRICE_PER_GPU_SQL, catalogChanges, offers, syncs } from '../db/schema.js';
import { decodeCursor, encodeCursor } from '../api/cursor.js';
import { ControlPlaneError } from '../errors.js';
import { offerDto, type OfferDto } from '../api/dto.js';
import { markFor, offerIsMarked, type CapacityMemory } from '../instances/capacity.js';

/**
 * Reading the catalog: offer search (filters, cheapest first by price or by price per GPU,
 * keyset pagination), the regions on offer, the change feed, and sync history. Served from the
 * database, never from a provider. `GET /v1/offers` is served from each node's catalog view
 * (catalog/view.ts), which returns what `offerPageFromDatabase` returns; the database answers
 * while a node's view first loads.
 */

/**
 * Query values are checked against what the columns can hold, so that no value reaches the
 * database only to fail there (a 500): text without NUL (PostgreSQL's text cannot hold one),
 * integers within int4, prices within numeric(14,6), memory within numeric(12,3).
 */

/** PostgreSQL's `integer`: the GPU count, GPU memory and vCPU columns. */
const INT4_MAX = 2_147_483_647;
const noNul = z
  .string()
  .refine((v) => !v.includes('\0'), 'must not contain a NUL character (\\u0000)');
/** A text filter: 1-512 characters, no NUL. */
const text = noNul.min(1).max(512);
const int4 = z.coerce.number().int().nonnegative().max(INT4_MAX);
/** numeric(14,6): at most 8 digits before the point and 6 after. */
const decimal = z
  .string()
  .regex(/^\d{1,8}(\.\d{1,6})?$/, 'a decimal such as 2.5 (at most 99999999.999999)');
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const OFFER_SORTS = ['price', 'pricePerGpu'] as const;
export type OfferSort = (typeof OFFER_SORTS)[number];

export const OfferQuerySchema = z.object({
  gpu: text.optional().describe('GPU model, canonical or loosely written: H100, "rtx 4090", a100'),
  gpuCount: int4.optional().describe('exact GPU count'),
  minGpuCount: int4.optional(),
  minGpuMemoryGiB: int4.positive().optional().describe('per GPU'),
  formFactor: text.optional().describe('PCIe, SXM4, SXM5, ...'),
  minVcpu: int4.positive().optional(),
  minMemoryGiB: z.coerce.number().positive().max(999_999_999).optional(),
  region: text.optional(),
  provider: text.optional(),
  cloud: text.optional().describe('the cloud behind a broker'),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'three letters, such as USD')
    .optional(),
  minPrice: decimal.optional().describe('per hour'),
  maxPrice: decimal.optional().describe('per hour'),
  available: flag.optional().describe('true: launchable now; false: sold out or gone'),
  includeGone: flag.default(false).describe('include types the provider no longer lists'),
  sort: z
    .enum(OFFER_SORTS)
    .default('price')
    .describe('price: cheapest per hour first; pricePerGpu: cheapest per GPU and hour first'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z
    .string()
    .max(8192)
    .optional()
    .describe('nextCursor of the previous page, asked for with the same sort'),
});
export type OfferQuery = z.infer<typeof OfferQuerySchema>;

/**
 * What a cursor holds: the sort it pages (`s`; cursors issued before there was a choice have
 * none and page by price) and the last row's key. Its strings are checked like query text (it
 * comes from the caller).
 */
const CursorSchema = z.object({
  s: z.enum(OFFER_SORTS).default('price'),
  p: decimal,
  c: noNul,
  t: noNul,
});

export type OfferRecord = typeof offers.$inferSelect;
export type OfferCursor = z.infer<typeof CursorSchema>;

/** Where the query's page starts: after the cursor's row, which must page the same sort. */
export function offerCursor(query: OfferQuery): OfferCursor | null {
  if (query.cursor === undefined) return null;
  const after = decodeCursor(CursorSchema, query.cursor);
  if (after.s !== query.sort) {
    throw new ControlPlaneError(
      400,
      'request/bad-cursor',
      `cursor pages the offers sorted by ${after.s}, not by ${query.sort}; ask again with sort=${after.s}, or without the cursor to start over`,
    );
  }
  return after;
}

/** The cursor of a page whose last row is (key, credential, type) in `sort`. */
export function nextOfferCursor(
  sort: OfferSort,
  key: string,
  last: { credentialId: string; typeId: string },
): string {
  return encodeCursor({ s: sort, p: key, c: last.credentialId, t: last.typeId });
}

/** The sort key's first column: the stored price, or the expression the per-GPU index holds. */
function sortKey(sort: OfferSort): SQL {
  return sort === 'price' ? sql`${offers.price}` : sql.raw(PRICE_PER_GPU_SQL);
}

/** The select behind a page of offers (one row more than asked: is there a next page). */
export function offerPageQuery(db: Db, query: OfferQuery) {
  const conditions = filters(query);
  const key = sortKey(query.sort);
  const after = offerCursor(query);
  if (after) {
    // (key, credential, type) > cursor as one row comparison: an index on those columns
    // starts its scan right there, where the same test spelled out with OR scans from the start.
    conditions.push(
      sql`(${key}, ${offers.credentialId}, ${offers.typeId}) > (${after.p}::numeric, ${after.c}, ${after.t})`,
    );
  }
  return db
    .select({ offer: offers, key: sql<string>`${key}::text` })
    .from(offers)
    .where(and(...conditions))
    .orderBy(asc(key), asc(offers.credentialId), asc(offers.typeId))
    .limit(query.limit + 1);
}

export async function searchOffers(
  db: Db,
  query: OfferQuery,
): Promise<{ offers: OfferRecord[]; nextCursor: string | null }> {
  const rows = await offerPageQuery(db, query);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    offers: page.map((row) => row.offer),
    nextCursor:
      rows.length > query.limit && last ? nextOfferCursor(query.sort, last.key, last.offer) : null,
  };
}

/** A page of offers as the API shows them, capacity marks applied, read from the database. */
export async function offerPageFromDatabase(
  db: Db,
  capacity: CapacityMemory,
  query: OfferQuery,
): Promise<{ offers: z.infer<typeof OfferDto>[]; nextCursor: string | null }> {
  const page = await searchOffers(db, query);
  const marks = await capacity.active([...new Set(page.offers.map((o) => o.credentialId))]);
  return {
    offers: page.offers.map((row) => offerDto(row, markFor(marks, row))),
    nextCursor: page.nextCursor,
  };
}

/** The regions on offer, per provider, with how many live offers each has. */
export async function offerRegions(
  db: Db,
): Promise<{ provider: string; region: string; offers: number }[]> {
  return db
    .select({ provider: offers.provider, region: offers.location, offers: count() })
    .from(offers)
    .where(isNull(offers.goneAt))
    .groupBy(offers.provider, offers.location)
    .orderBy(asc(offers.provider), asc(offers.location));
}

function filters(q: OfferQuery): SQL[] {
  const where: (SQL | undefined)[] = [
    q.includeGone ? undefined : isNull(offers.goneAt),
    q.gpu === undefined ? undefined : eq(offers.gpuName, canonicalGpu(q.gpu)),
    q.gpuCount === undefined ? undefined : eq(offers.gpuCount, q.gpuCount),
    q.minGpuCount === undefined ? undefined : gte(offers.gpuCount, q.minGpuCount),
    q.minGpuMemoryGiB === undefined ? undefined : gte(offers.gpuMemoryGiB, q.minGpuMemoryGiB),
    q.formFactor === undefined
      ? undefined
      : sql`lower(${offers.gpuFormFactor}) = lower(${q.formFactor})`,
    q.minVcpu === undefined ? undefined : gte(offers.vcpu, q.minVcpu),
    q.minMemoryGiB === undefined ? undefined : gte(offers.memoryGiB, q.minMemoryGiB),
    q.region === undefined ? undefined : eq(offers.location, q.region),
    q.provider === undefined ? undefined : eq(offers.provider, q.provider),
    q.cloud === undefined ? undefined : eq(offers.cloud, q.cloud),
    q.currency === undefined ? undefined : eq(offers.currency, q.currency.toUpperCase()),
    q.minPrice === undefined ? undefined : gte(offers.price, q.minPrice),
    q.maxPrice === undefined ? undefined : lte(offers.price, q.maxPrice),
    q.available === undefined ? undefined : availability(q.available),
  ];
  return where.filter((c): c is SQL => c !== undefined);
}

/** Launchable now: the provider lists it available and no capacity mark covers it. */
function availability(wanted: boolean): SQL | undefined {
  return wanted
    ? and(eq(offers.available, true), not(offerIsMarked()))
    : or(eq(offers.available, false), offerIsMarked());
}

/**
 * "rtx 4090", "h100", "A6000" → RTX4090, H100, RTXA6000: the SDK's normalizer names the model;
 * a name it does not know is matched as written, upper-case alphanumerics only.
 */
export function canonicalGpu(name: string): string {
  let canonical = canonicalNames.get(name);
  if (canonical === undefined) {
    canonical = normalizeGpu(name).record.name ?? name.toUpperCase().replace(/[^A-Z0-9]/g, '');
    // Searches repeat a handful of spellings; an unbounded stream of new ones starts it over.
    if (canonicalNames.size >= 1_000) canonicalNames.clear();
    canonicalNames.set(name, canonical);
  }
  return canonical;
}

const canonicalNames = new Map<string, string>();

export const ChangeFeedQuerySchema = z.object({
  after: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe('the last change id you have; 0 for the start'),
  credentialId: text.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type ChangeFeedQuery = z.infer<typeof ChangeFeedQuerySchema>;

export async function changeFeed(db: Db, query: ChangeFeedQuery) {
  const rows = await db
    .select()
    .from(catalogChanges)
    .where(
      and(
        gt(catalogChanges.id, query.after),
        query.credentialId === undefined
          ? undefined
          : eq(catalogChanges.credentialId, query.credentialId),
      ),
    )
    .orderBy(asc(catalogChanges.id))
    .limit(query.limit);
  return { changes: rows, last: rows.at(-1)?.id ?? query.after };
}

export async function syncHistory(db: Db, credentialId: string, limit: number) {
  return db
    .select()
    .from(syncs)
    .where(eq(syncs.credentialId, credentialId))
    .orderBy(desc(syncs.id))
    .limit(limit);
}

export async function countLiveOffers(db: Db, credentialId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(offers)
    .where(and(eq(offers.credentialId, credentialId), isNull(offers.goneAt)));
  return row?.n ?? 0;
}
