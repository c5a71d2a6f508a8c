import { hash } from 'node:crypto';
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

/** A parsed type as JSON: stable because InstanceTypeSchema.parse emits keys in schema order. */
export function canonicalJson(type: InstanceType): string {
  return JSON.stringify(type);
}

export function fingerprintOfJson(json: string): string {
  return hash('sha256', json, 'base64url');
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

/** What a stored offer reads as once `type` is written for it (see `offerRow`). */
export function storedOfferOf(type: InstanceType, fingerprint: string): StoredOffer {
  return {
    typeId: type.id,
    fingerprint,
    price: numericText(type.price),
    currency: type.price.currency,
    available: type.available,
    goneAt: null,
  };
}

/** Decimals of the `price` column, numeric(14,6): the database reads every price back with six. */
const PRICE_SCALE = 6;

/**
 * A price as the database reads it back from `price`: exactly six decimals ("3.020000"). Exact,
 * because Money's scale is at most six (MAX_MONEY_SCALE), so no digit is rounded.
 */
export function numericText(price: Money): string {
  const digits = Math.abs(price.amount)
    .toString()
    .padStart(price.scale + 1, '0');
  const whole = digits.slice(0, digits.length - price.scale);
  const fraction = digits.slice(digits.length - price.scale).padEnd(PRICE_SCALE, '0');
  return `${price.amount < 0 ? '-' : ''}${whole}.${fraction}`;
}
