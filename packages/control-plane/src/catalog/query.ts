import { and, asc, count, desc, eq, gt, gte, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { normalizeGpu } from '@cloudplane/sdk';
import { z } from 'zod';
import type { Db } from '../db/open.js';
import { catalogChanges, offers, syncs } from '../db/schema.js';
import { decodeCursor, encodeCursor } from '../api/cursor.js';

/**
 * Reading the catalog: offer search (filters, cheapest first, keyset pagination), the change
 * feed, and sync history. Served from the database only, never from a provider.
 */

const decimal = z.string().regex(/^\d+(\.\d{1,6})?$/, 'a decimal such as 2.5');
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const OfferQuerySchema = z.object({
  gpu: z
    .string()
    .min(1)
    .optional()
    .describe('GPU model, canonical or loosely written: H100, "rtx 4090", a100'),
  gpuCount: z.coerce.number().int().nonnegative().optional().describe('exact GPU count'),
  minGpuCount: z.coerce.number().int().nonnegative().optional(),
  minGpuMemoryGiB: z.coerce.number().int().positive().optional().describe('per GPU'),
  formFactor: z.string().min(1).optional().describe('PCIe, SXM4, SXM5, ...'),
  minVcpu: z.coerce.number().int().positive().optional(),
  minMemoryGiB: z.coerce.number().positive().optional(),
  region: z.string().min(1).optional(),
  provider: z.string().min(1).optional(),
  cloud: z.string().min(1).optional().describe('the cloud behind a broker'),
  currency: z.string().length(3).optional(),
  minPrice: decimal.optional().describe('per hour'),
  maxPrice: decimal.optional().describe('per hour'),
  available: flag.optional().describe('true: launchable now; false: sold out or gone'),
  includeGone: flag.default(false).describe('include types the provider no longer lists'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional().describe('nextCursor of the previous page'),
});
export type OfferQuery = z.infer<typeof OfferQuerySchema>;

const CursorSchema = z.object({ p: decimal, c: z.string(), t: z.string() });

export type OfferRecord = typeof offers.$inferSelect;

export async function searchOffers(
  db: Db,
  query: OfferQuery,
): Promise<{ offers: OfferRecord[]; nextCursor: string | null }> {
  const conditions = filters(query);
  const after = query.cursor === undefined ? null : decodeCursor(CursorSchema, query.cursor);
  if (after) {
    // (price, credential, type) > cursor, spelled out so the price index serves it.
    conditions.push(
      or(
        gt(offers.price, after.p),
        and(eq(offers.price, after.p), gt(offers.credentialId, after.c)),
        and(
          eq(offers.price, after.p),
          eq(offers.credentialId, after.c),
          gt(offers.typeId, after.t),
        ),
      ) as SQL,
    );
  }
  const rows = await db
    .select()
    .from(offers)
    .where(and(...conditions))
    .orderBy(asc(offers.price), asc(offers.credentialId), asc(offers.typeId))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    offers: page,
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({ p: last.price, c: last.credentialId, t: last.typeId })
        : null,
  };
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
    q.available === undefined ? undefined : eq(offers.available, q.available),
  ];
  return where.filter((c): c is SQL => c !== undefined);
}

/**
 * "rtx 4090", "h100", "A6000" → RTX4090, H100, RTXA6000: the SDK's normalizer names the model;
 * a name it does not know is matched as written, upper-case alphanumerics only.
 */
function canonicalGpu(name: string): string {
  return normalizeGpu(name).record.name ?? name.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export const ChangeFeedQuerySchema = z.object({
  after: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe('the last change id you have; 0 for the start'),
  credentialId: z.string().optional(),
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
