import { getTableColumns, sql } from 'drizzle-orm';
import { capacityDto, offerListing } from '../api/dto.js';
import { offers } from '../db/schema.js';
import type { CapacityMark } from '../instances/capacity.js';
import type { OfferRecord } from './query.js';

/**
 * One offer as the catalog view holds it: the columns searches filter and sort on, and the
 * offer's JSON for `GET /v1/offers` (`OfferDto`), cut around the two fields that depend on the
 * moment (`available`, `capacity`). The stored `record` goes in as the database's JSON text: the
 * sync parsed it with the contract's `InstanceTypeSchema` before storing it, and decoding it
 * again for every row would triple what a node's first load costs.
 *
 * Prices are integers of millionths (numeric(14,6) holds at most 10^14 of them, well inside a
 * double's exact integers), so that comparing and dividing them gives what PostgreSQL gives.
 */

export interface ViewOffer {
  /** The view's key: credential and type id (`offerKey`). */
  readonly key: string;
  readonly credentialId: string;
  readonly typeId: string;
  readonly provider: string;
  readonly cloud: string;
  readonly location: string;
  readonly gpuName: string | null;
  readonly gpuCount: number;
  readonly gpuMemoryGiB: number | null;
  /** Lower-cased, as the form-factor filter compares it. */
  readonly formFactor: string | null;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly currency: string;
  readonly available: boolean;
  readonly gone: boolean;
  /** Price per hour, in millionths. */
  readonly price: number;
  /** Price per GPU and hour in millionths, rounded as PRICE_PER_GPU_SQL rounds it. */
  readonly pricePerGpu: number;
  /**
   * The offer's JSON up to `available`, and from `goneAt` on, encoded once. Buffers keep the
   * bytes outside the JavaScript heap, so a large catalog costs the garbage collector little,
   * and a page is copied together without encoding any text.
   */
  readonly head: Buffer;
  readonly tail: Buffer;
}

/** An offer row with its `record` as JSON text: what the view reads. */
export type ViewRow = Omit<OfferRecord, 'record'> & { readonly recordJson: string };

const { record: _record, ...rowColumns } = getTableColumns(offers);
/** The select of a `ViewRow`. */
export const VIEW_ROW = { ...rowColumns, recordJson: sql<string>`${offers.record}::text` };

export function viewOffer(row: ViewRow): ViewOffer {
  const price = micros(row.price);
  const goneAt = row.goneAt?.toISOString() ?? null;
  return {
    key: offerKey(row.credentialId, row.typeId),
    credentialId: row.credentialId,
    typeId: row.typeId,
    provider: row.provider,
    cloud: row.cloud,
    location: row.location,
    gpuName: row.gpuName,
    gpuCount: row.gpuCount,
    gpuMemoryGiB: row.gpuMemoryGiB,
    formFactor: row.gpuFormFactor?.toLowerCase() ?? null,
    vcpu: row.vcpu,
    memoryGiB: row.memoryGiB,
    currency: row.currency,
    available: row.available,
    gone: goneAt !== null,
    price,
    pricePerGpu: row.gpuCount > 0 ? divideRounded(price, row.gpuCount) : price,
    head: Buffer.from(`${JSON.stringify(offerListing(row)).slice(0, -1)},`),
    tail: Buffer.from(
      `,"goneAt":${JSON.stringify(goneAt)},"updatedAt":${JSON.stringify(row.updatedAt.toISOString())},"instanceType":${row.recordJson}}`,
    ),
  };
}

export function offerKey(credentialId: string, typeId: string): string {
  return `${credentialId}\u0000${typeId}`;
}

/** The offer's JSON as of now, in parts: launchable unless the provider or a mark says not. */
export function offerJson(offer: ViewOffer, mark: CapacityMark | null): Buffer[] {
  if (mark === null) return [offer.head, offer.available ? LAUNCHABLE : NOT_LAUNCHABLE, offer.tail];
  const capacity = JSON.stringify(capacityDto(mark));
  return [offer.head, Buffer.from(`"available":false,"capacity":${capacity}`), offer.tail];
}

const LAUNCHABLE = Buffer.from('"available":true,"capacity":null');
const NOT_LAUNCHABLE = Buffer.from('"available":false,"capacity":null');

/** `{"offers":[...],"nextCursor":...}`: a page's body, copied together once. */
export function offerPageJson(offers: readonly Buffer[][], nextCursor: string | null): Buffer {
  const parts: Buffer[] = [OPEN];
  offers.forEach((offer, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(...offer);
  });
  parts.push(Buffer.from(`],"nextCursor":${JSON.stringify(nextCursor)}}`));
  return Buffer.concat(parts);
}

const OPEN = Buffer.from('{"offers":[');
const COMMA = Buffer.from(',');

/** "2.5", "2.500000" → 2500000. The caller has checked the form (at most 6 decimals). */
export function micros(decimal: string): number {
  const [whole = '0', fraction = ''] = decimal.split('.');
  return Number(whole) * 1_000_000 + Number(fraction.padEnd(6, '0'));
}

/** 2500000 → "2.500000": numeric(14,6) as PostgreSQL prints it, a keyset cursor's key. */
export function decimalText(value: number): string {
  const whole = Math.floor(value / 1_000_000);
  return `${String(whole)}.${String(value - whole * 1_000_000).padStart(6, '0')}`;
}

/** value / by rounded half away from zero, in integers (PostgreSQL's round of a numeric). */
function divideRounded(value: number, by: number): number {
  let quotient = Math.floor(value / by);
  let remainder = value - quotient * by;
  // A double's quotient can round up to the next integer; the remainder shows it.
  if (remainder < 0) {
    quotient -= 1;
    remainder += by;
  }
  return 2 * remainder >= by ? quotient + 1 : quotient;
}
