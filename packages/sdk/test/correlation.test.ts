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
