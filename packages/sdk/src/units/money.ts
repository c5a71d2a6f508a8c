import { z } from 'zod';
import {
  add,
  compare,
  dinero,
  multiply,
  toDecimal,
  toSnapshot,
  transformScale,
  trimScale,
  type DineroCurrency,
  type Dinero,
} from 'dinero.js';

/**
 * Money is plain data, `{ amount, scale, currency }` = amount / 10^scale units of currency, so it
 * crosses JSON and the database unchanged; arithmetic goes through dinero.js, never floats.
 * Prices are per hour unless a field says otherwise.
 */

export const CURRENCY_CODES = [
  'USD',
  'EUR',
  'GBP',
  'CAD',
  'JPY',
  'INR',
  'AUD',
  'SGD',
  'CHF',
] as const;
export type CurrencyCode = (typeof CURRENCY_CODES)[number];

/** ISO 4217 minor-unit exponents for the currencies we accept. */
const EXPONENTS: Readonly<Record<CurrencyCode, number>> = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  CAD: 2,
  JPY: 0,
  INR: 2,
  AUD: 2,
  SGD: 2,
  CHF: 2,
};

/** The database keeps prices as numeric(14,6), so no price may need more than 6 decimals. */
export const MAX_MONEY_SCALE = 6;

export const MoneySchema = z.object({
  amount: z.number().int(),
  scale: z.number().int().min(0).max(MAX_MONEY_SCALE),
  currency: z.enum(CURRENCY_CODES),
});
export type Money = z.infer<typeof MoneySchema>;

function currencyOf(code: CurrencyCode): DineroCurrency<number> {
  return { code, base: 10, exponent: EXPONENTS[code] };
}

export function toDinero(money: Money): Dinero<number> {
  return dinero({ amount: money.amount, scale: money.scale, currency: currencyOf(money.currency) });
}

export function fromDinero(value: Dinero<number>): Money {
  const snap = toSnapshot(value);
  const code = snap.currency.code;
  if (!isCurrencyCode(code)) throw new RangeError(`unsupported currency ${code}`);
  return { amount: snap.amount, scale: snap.scale, currency: code };
}

function isCurrencyCode(code: string): code is CurrencyCode {
  return (CURRENCY_CODES as readonly string[]).includes(code);
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal string or number such as "2.49", "0.125" or 1.299 exactly (numbers are read
 * through their shortest decimal form, so 1.299 stays 1.299). Throws with the offending input.
 */
export function parseMoney(value: string | number, currency: CurrencyCode = 'USD'): Money {
  const text = typeof value === 'number' ? numberToDecimal(value) : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) {
    throw new RangeError(`"${String(value)}" is not a decimal amount (expected e.g. "2.49")`);
  }
  const [, sign, whole = '0', rawFraction = ''] = match;
  const fraction = rawFraction.replace(/0+$/, '');
  if (fraction.length > MAX_MONEY_SCALE) {
    throw new RangeError(
      `"${String(value)}" has ${fraction.length} decimals; at most ${MAX_MONEY_SCALE} are kept`,
    );
  }
  const scale = Math.max(fraction.length, EXPONENTS[currency]);
  const amount = Number(`${sign ?? ''}${whole}${fraction.padEnd(scale, '0')}`);
  if (!Number.isSafeInteger(amount)) throw new RangeError(`"${String(value)}" is too large`);
  return { amount, scale, currency };
}

function numberToDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`${value} is not a finite amount`);
  // toString gives the shortest round-tripping decimal; exponent form only for extremes.
  const text = value.toString();
  if (/e/i.test(text)) return value.toFixed(MAX_MONEY_SCALE);
  return text;
}

/** From an integer count of minor units at a given scale: `moneyFromMinor(249, 'USD')` = $2.49. */
export function moneyFromMinor(
  amount: number,
  currency: CurrencyCode = 'USD',
  scale?: number,
): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`${amount} is not a whole minor amount`);
  return { amount, scale: scale ?? EXPONENTS[currency], currency };
}

/** Exact decimal text, at least the currency's exponent digits: "2.49", "0.125". */
export function moneyToDecimal(money: Money): string {
  return toDecimal(toDinero(money));
}

/** For display: "$2.49/h"-style formatting is the caller's; this gives "2.49 USD". */
export function formatMoney(money: Money): string {
  return `${moneyToDecimal(money)} ${money.currency}`;
}

/**
 * Orders two amounts of the same currency (negative, zero, positive), usable as a sort
 * comparator. Different currencies throw: converting needs a rate, which is not ours to pick.
 */
export function compareMoney(a: Money, b: Money): number {
  if (a.currency !== b.currency) {
    throw new RangeError(`cannot compare ${a.currency} with ${b.currency} without a rate`);
  }
  return compare(toDinero(a), toDinero(b));
}

export function addMoney(a: Money, b: Money): Money {
  return fromDinero(add(toDinero(a), toDinero(b)));
}

/** Multiplies by a whole or decimal factor given as a string to stay exact ("0.5", "24"). */
export function multiplyMoney(money: Money, factor: number | string): Money {
  const f = parseMoney(factor, 'JPY'); // exponent 0: the factor keeps only its own decimals
  const product = fromDinero(
    trimScale(multiply(toDinero(money), { amount: f.amount, scale: f.scale })),
  );
  if (product.scale > MAX_MONEY_SCALE) return rescaleMoney(product, MAX_MONEY_SCALE);
  return product;
}

/** Brings an amount to a given scale (rounding half-even when it reduces precision). */
export function rescaleMoney(money: Money, scale: number): Money {
  return fromDinero(transformScale(toDinero(money), scale));
}

export function moneyEquals(a: Money, b: Money): boolean {
  return a.currency === b.currency && compareMoney(a, b) === 0;
}
