import { createHash } from 'node:crypto';
import {
  bytesIn,
  compareMoney,
  moneyToDecimal,
  parseMoney,
  type InstanceType,
  type Money,
} from '@cloudplane/sdk';
import { CURRENCY_CODES } from '@cloudplane/sdk';
import type { offers } from '../db/schema.js';

/** How an InstanceType is kept as an `offers` row, and what a re-sync compares it by. */

export type OfferRow = typeof offers.$inferInsert;

/** The columns a diff needs of a stored offer: enough to classify a change, no more. */
export interface StoredOffer {
  readonly typeId: string;
  readonly fingerprint: string;
  readonly price: string;
  readonly currency: string;
  readonly available: boolean;
  readonly goneAt: Date | null;
}

/** Stable because InstanceTypeSchema.parse emits keys in schema order. */
export function fingerprintOf(type: InstanceType): string {
  return createHash('sha256').update(JSON.stringify(type)).digest('base64url');
}

export function offerRow(
  credentialId: string,
  type: InstanceType,
  fingerprint: string,
  now: Date,
): OfferRow {
  const gpu = type.gpus[0];
  return {
    credentialId,
    typeId: type.id,
    provider: type.provider,
    cloud: type.cloud,
    location: type.location,
    type: type.type,
    gpuName: gpu?.gpu.name ?? null,
    gpuCount: type.gpus.reduce((sum, g) => sum + g.count, 0),
    gpuMemoryGiB: gpu?.gpu.memoryGiB ?? null,
    gpuFormFactor: gpu?.gpu.formFactor ?? null,
    vcpu: type.vcpu,
    memoryGiB: Math.round(bytesIn(type.memory, 'GiB') * 1000) / 1000,
    price: moneyToDecimal(type.price),
    currency: type.price.currency,
    available: type.available,
    record: type,
    fingerprint,
    firstSeenAt: now,
    updatedAt: now,
    goneAt: null,
  };
}

/** The stored price as Money, to compare with a fetched one exactly. */
export function storedPrice(offer: StoredOffer): Money {
  const currency = CURRENCY_CODES.find((c) => c === offer.currency) ?? 'USD';
  return parseMoney(offer.price, currency);
}

export function samePrice(offer: StoredOffer, price: Money): boolean {
  return offer.currency === price.currency && compareMoney(storedPrice(offer), price) === 0;
}
