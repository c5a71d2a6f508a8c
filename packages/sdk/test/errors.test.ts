import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLOUD_ERROR_CODES,
  CLOUD_ERROR_DEFAULTS,
  CloudError,
  cloudErrorFromHttp,
  codeFromHttpStatus,
  isCloudError,
  MAX_DETAIL_CHARS,
  parseRetryAfter,
  toCloudError,
} from '../src/index.js';

describe('CloudError', () => {
  it('takes message, retryable and scope defaults from its code', () => {
    const err = new CloudError('INSUFFICIENT_CAPACITY');
    assert.equal(err.message, 'insufficient resources');
    assert.equal(err.retryable, false);
    assert.equal(err.scope, 'offer');
    assert.equal(new CloudError('RATE_LIMITED').retryable, true);
  });

  it('has defaults for every code in the closed set', () => {
    for (const code of CLOUD_ERROR_CODES) {
      assert.ok(CLOUD_ERROR_DEFAULTS[code].message.length > 0, code);
    }
  });

  it('lets the adapter override the defaults', () => {
    const err = new CloudError('SERVICE_UNAVAILABLE', {
      message: 'region us-east-1 is down',
      retryable: false,
      scope: 'location',
      retryAfterMs: 3000,
    });
    assert.deepEqual(
      [err.message, err.retryable, err.scope, err.retryAfterMs],
      ['region us-east-1 is down', false, 'location', 3000],
    );
  });

  it('truncates a huge raw detail so logs stay bounded', () => {
    const err = new CloudError('INTERNAL', { detail: { raw: 'x'.repeat(MAX_DETAIL_CHARS * 3) } });
    assert.ok((err.detail.raw ?? '').length <= MAX_DETAIL_CHARS + 1);
  });

  it('isCloudError matches on the code, not the message', () => {
    const err = new CloudError('OUT_OF_QUOTA', { message: 'insufficient resources' });
    assert.equal(isCloudError(err, 'OUT_OF_QUOTA'), true);
    assert.equal(isCloudError(err, 'INSUFFICIENT_CAPACITY'), false);
    assert.equal(isCloudError(err), true);
    assert.equal(isCloudError(new Error('insufficient resources'), 'INSUFFICIENT_CAPACITY'), false);
  });

  it('toCloudError keeps CloudErrors and wraps anything else as INTERNAL', () => {
    const original = new CloudError('RATE_LIMITED');
    assert.equal(toCloudError(original), original);
    const wrapped = toCloudError(new TypeError('boom'));
    assert.equal(wrapped.code, 'INTERNAL');
    assert.equal(wrapped.message, 'boom');
  });

  it('serialises to JSON without stack or cause', () => {
    const json = JSON.parse(
      JSON.stringify(new CloudError('INVALID_ARGUMENT', { cause: new Error('secret') })),
    ) as Record<string, unknown>;
    assert.equal(json.code, 'INVALID_ARGUMENT');
    assert.equal('stack' in json, false);
    assert.equal(JSON.stringify(json).includes('secret'), false);
  });
});

describe('HTTP error mapping', () => {
  it('maps statuses to codes', () => {
    const table: [number, string][] = [
      [400, 'INVALID_ARGUMENT'],
      [401, 'UNAUTHENTICATED'],
      [403, 'PERMISSION_DENIED'],
      [404, 'RESOURCE_NOT_FOUND'],
      [422, 'INVALID_ARGUMENT'],
      [429, 'RATE_LIMITED'],
      [500, 'INTERNAL'],
      [501, 'NOT_IMPLEMENTED'],
      [502, 'SERVICE_UNAVAILABLE'],
      [503, 'SERVICE_UNAVAILABLE'],
      [504, 'SERVICE_UNAVAILABLE'],
    ];
    for (const [status, code] of table)
      assert.equal(codeFromHttpStatus(status), code, String(status));
  });

  it("prefers the provider's own code over the status", () => {
    const err = cloudErrorFromHttp(
      {
        status: 400,
        bodyText: '{"error":{"code":"instance-operations/launch/insufficient-capacity"}}',
        providerCode: 'instance-operations/launch/insufficient-capacity',
        providerMessage: 'Not enough capacity',
        operation: 'launch instance',
      },
      [
        {
          providerCode: 'instance-operations/launch/insufficient-capacity',
          code: 'INSUFFICIENT_CAPACITY',
        },
      ],
    );
    assert.equal(err.code, 'INSUFFICIENT_CAPACITY');
    assert.equal(err.message, 'launch instance: Not enough capacity');
    assert.equal(err.detail.httpStatus, 400);
    assert.equal(err.scope, 'offer');
  });

  it('matches body patterns restricted to statuses', () => {
    const rules = [
      { bodyPattern: /out of stock/i, statuses: [409], code: 'INSUFFICIENT_CAPACITY' as const },
    ];
    assert.equal(
      cloudErrorFromHttp({ status: 409, bodyText: 'Out of stock' }, rules).code,
      'INSUFFICIENT_CAPACITY',
    );
    assert.equal(
      cloudErrorFromHttp({ status: 400, bodyText: 'Out of stock' }, rules).code,
      'INVALID_ARGUMENT',
    );
  });

  it('reads Retry-After as seconds or as a date', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
    const err = cloudErrorFromHttp({ status: 429, bodyText: '', retryAfterHeader: '2' });
    assert.equal(err.code, 'RATE_LIMITED');
    assert.equal(err.retryAfterMs, 2000);
    assert.equal(err.retryable, true);
  });
});
