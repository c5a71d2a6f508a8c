import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CloudError, decodeCorrelation, encodeCorrelation } from '../src/index.js';

const format = { maxLength: 64 };

describe('correlation encoding', () => {
  it('round-trips refId and cloudCredRefId with a label', () => {
    const name = encodeCorrelation(
      { refId: 'inst-7f3a', cloudCredRefId: 'cred-42' },
      format,
      'My Job',
    );
    assert.equal(name, 'cp--inst-7f3a--cred-42--my-job');
    assert.deepEqual(decodeCorrelation(name, format), {
      refId: 'inst-7f3a',
      cloudCredRefId: 'cred-42',
      label: 'my-job',
    });
  });

  it('returns null for names it did not make (foreign instances)', () => {
    assert.equal(decodeCorrelation('my-own-box', format), null);
    assert.equal(decodeCorrelation('cp--only-one', format), null);
    assert.equal(decodeCorrelation('xx--a--b', format), null);
  });

  it('refuses a refId that contains the separator, with a clear error', () => {
    assert.throws(
      () => encodeCorrelation({ refId: 'a--b', cloudCredRefId: 'c' }, format),
      (err: unknown) =>
        err instanceof CloudError &&
        err.code === 'INVALID_ARGUMENT' &&
        /separator/.test(err.message),
    );
    assert.throws(
      () => encodeCorrelation({ refId: '-a', cloudCredRefId: 'c' }, format),
      /starts or ends/,
    );
  });

  it('refuses ids that do not fit instead of truncating them', () => {
    assert.throws(
      () => encodeCorrelation({ refId: 'a'.repeat(40), cloudCredRefId: 'b'.repeat(30) }, format),
      /allows 64/,
    );
  });

  it('cuts only the label to fit the limit', () => {
    const name = encodeCorrelation(
      { refId: 'r1', cloudCredRefId: 'c1' },
      { maxLength: 20 },
      'a very long label',
    );
    assert.ok(name.length <= 20, name);
    assert.deepEqual(decodeCorrelation(name, { maxLength: 20 })?.refId, 'r1');
  });

  it('refuses characters the cloud would not keep', () => {
    assert.throws(
      () => encodeCorrelation({ refId: 'Ab', cloudCredRefId: 'c' }, format),
      /characters/,
    );
    assert.throws(
      () =>
        encodeCorrelation(
          { refId: 'Ab', cloudCredRefId: 'c' },
          { maxLength: 64, allowed: /^[A-Za-z0-9-]+$/, caseInsensitive: true },
        ),
      /uppercase/,
    );
  });

  it('round-trips every id it accepts (property)', () => {
    const id = fc
      .stringMatching(/^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/)
      .filter((s) => !s.includes('--'));
    fc.assert(
      fc.property(id, id, fc.string(), (refId, cloudCredRefId, label) => {
        const name = encodeCorrelation({ refId, cloudCredRefId }, format, label);
        assert.ok(name.length <= 64);
        const back = decodeCorrelation(name, format);
        assert.deepEqual([back?.refId, back?.cloudCredRefId], [refId, cloudCredRefId]);
      }),
    );
  });
});

describe('compact correlation encoding', () => {
  const compact = { maxLength: 64, compact: true };
  const refId = '0d6f1c2e-9a4b-4c3d-8e7f-112233445566';
  const cloudCredRefId = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

  it('fits two UUIDs in 64 characters and reads them back exactly', () => {
    const name = encodeCorrelation({ refId, cloudCredRefId }, compact);
    assert.equal(name.length, 2 + 2 + 25 + 2 + 25);
    assert.match(name, /^cp--[0-9a-z]{25}--[0-9a-z]{25}$/);
    assert.deepEqual(decodeCorrelation(name, compact), { refId, cloudCredRefId });
    // The same ids written out do not fit: that is what the compact form is for.
    assert.throws(() => encodeCorrelation({ refId, cloudCredRefId }, format), /allows 64/);
  });

  it('keeps the smallest and largest UUIDs apart from verbatim ids', () => {
    const zero = '00000000-0000-0000-0000-000000000000';
    const name = encodeCorrelation({ refId: zero, cloudCredRefId }, compact);
    assert.equal(name.split('--')[1], '0'.repeat(25));
    assert.equal(name.split('--')[2]?.[0], 'f', 'the largest value starts with f, never x');
    assert.deepEqual(decodeCorrelation(name, compact), { refId: zero, cloudCredRefId });
  });

  it('writes other ids verbatim behind an x, including uppercase UUIDs', () => {
    const upper = refId.toUpperCase();
    const lenient = { ...compact, allowed: /^[A-Za-z0-9_-]+$/ };
    const name = encodeCorrelation({ refId: upper, cloudCredRefId: 'cred_7' }, lenient, 'job');
    assert.equal(name, `cp--x${upper}--xcred_7--job`);
    assert.deepEqual(decodeCorrelation(name, lenient), {
      refId: upper,
      cloudCredRefId: 'cred_7',
      label: 'job',
    });
  });

  it('treats tokens it could not have made as foreign', () => {
    assert.equal(decodeCorrelation('cp--x--abc', compact), null, 'bare x');
    assert.equal(decodeCorrelation(`cp--${'z'.repeat(25)}--xa`, compact), null, 'above 2^128');
    assert.equal(decodeCorrelation(`cp--${'a'.repeat(24)}--xa`, compact), null, 'too short');
    assert.equal(decodeCorrelation('cp--training-node--xa', compact), null, 'no mark');
  });

  it('says how much room a UUID takes when ids do not fit', () => {
    assert.throws(
      () =>
        encodeCorrelation({ refId: 'r'.repeat(40), cloudCredRefId }, { ...compact, maxLength: 64 }),
      (err: unknown) =>
        err instanceof CloudError &&
        err.code === 'INVALID_ARGUMENT' &&
        /a UUID takes 25/.test(err.message),
    );
  });

  it('round-trips any UUID pair and any verbatim id (property)', () => {
    const verbatim = fc
      .stringMatching(/^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/)
      .filter((s) => !s.includes('--'));
    const id = fc.oneof(fc.uuid(), verbatim);
    fc.assert(
      fc.property(id, id, fc.string(), (r, c, label) => {
        const name = encodeCorrelation({ refId: r, cloudCredRefId: c }, compact, label);
        assert.ok(name.length <= 64);
        const back = decodeCorrelation(name, compact);
        assert.deepEqual([back?.refId, back?.cloudCredRefId], [r, c]);
      }),
    );
  });
});
