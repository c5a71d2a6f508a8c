import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addMoney,
  bytes,
  bytesIn,
  compareBytes,
  compareMoney,
  convertBytes,
  formatMoney,
  moneyEquals,
  moneyFromMinor,
  moneyToDecimal,
  multiplyMoney,
  parseMoney,
  toByteCount,
  type Money,
} from '../src/index.js';

describe('Bytes', () => {
  it('keeps GB and GiB apart', () => {
    const disk = bytes(80, 'GB');
    assert.equal(toByteCount(disk), 80_000_000_000);
    assert.equal(toByteCount(bytes(80, 'GiB')), 85_899_345_920);
    assert.ok(Math.abs(bytesIn(disk, 'GiB') - 74.5058) < 1e-4);
    assert.ok(compareBytes(bytes(80, 'GiB'), disk) > 0);
  });

  it('converts without losing the unit', () => {
    assert.deepEqual(convertBytes(bytes(1, 'TiB'), 'GiB'), { value: 1024, unit: 'GiB' });
    assert.equal(toByteCount(bytes(81920, 'MiB')), toByteCount(bytes(80, 'GiB')));
  });

  it('rejects negative and non-finite sizes', () => {
    assert.throws(() => bytes(-1, 'GB'), /finite number >= 0/);
    assert.throws(() => bytes(Number.NaN, 'GB'), /finite/);
  });
});

describe('Money', () => {
  it('parses a price with three decimals exactly', () => {
    const price = parseMoney('1.299', 'USD');
    assert.deepEqual(price, { amount: 1299, scale: 3, currency: 'USD' });
    assert.equal(moneyToDecimal(price), '1.299');
  });

  it('parses numbers through their decimal form, not binary floats', () => {
    assert.deepEqual(parseMoney(1.299), {
      amount: 1299,
      scale: 3,
      currency: 'USD',
    });
    assert.deepEqual(parseMoney(2.49), { amount: 249, scale: 2, currency: 'USD' });
    assert.deepEqual(parseMoney('3'), { amount: 300, scale: 2, currency: 'USD' });
  });

  it('reads cents as minor units', () => {
    const price = moneyFromMinor(249, 'USD');
    assert.equal(moneyToDecimal(price), '2.49');
    assert.equal(formatMoney(price), '2.49 USD');
  });

  it('compares across scales, for sorting by price', () => {
    const prices: Money[] = [
      parseMoney('2.5'),
      parseMoney('1.299'),
      moneyFromMinor(130),
      parseMoney('1.3'),
    ];
    const sorted = [...prices].sort(compareMoney).map(moneyToDecimal);
    assert.deepEqual(sorted, ['1.299', '1.30', '1.30', '2.50']);
    assert.equal(moneyEquals(moneyFromMinor(130), parseMoney('1.3')), true);
  });

  it('refuses to compare currencies without a rate', () => {
    assert.throws(() => compareMoney(parseMoney('1', 'USD'), parseMoney('1', 'EUR')), /rate/);
  });

  it('adds and multiplies exactly', () => {
    assert.equal(moneyToDecimal(addMoney(parseMoney('0.1'), parseMoney('0.2'))), '0.30');
    assert.equal(moneyToDecimal(multiplyMoney(parseMoney('1.299'), 8)), '10.392');
    assert.equal(moneyToDecimal(multiplyMoney(parseMoney('0.0001'), '0.5')), '0.00005');
  });

  it('rejects amounts that would not fit numeric(14,6) or are not numbers', () => {
    assert.throws(() => parseMoney('0.0000001'), /7 decimals/);
    assert.throws(() => parseMoney('1,50'), /not a decimal amount/);
    assert.throws(() => parseMoney(''), /not a decimal amount/);
  });
});
