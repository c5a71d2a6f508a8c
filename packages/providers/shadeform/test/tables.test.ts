import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { isCloudError, type CloudErrorCode } from '@cloudplane/sdk';
import {
  assertStatusMapping,
  assertStatusTableMatchesSpec,
  assertUnknownStatusLoggedOnce,
  errorTableTests,
  specEnum,
} from '@cloudplane/provider-testkit';
import { SHADEFORM_STATUSES, statusMap } from '../src/index.js';
import { shadeformSpec } from './fake/spec.js';
import { attrs, clientFor, countRequests, useFake } from './helpers.js';

describe('status table', () => {
  it('names exactly the statuses of the spec', () => {
    assertStatusTableMatchesSpec(statusMap, specEnum(shadeformSpec, 'Status'), SHADEFORM_STATUSES);
  });

  it('maps every status to a lifecycle state', () => {
    assertStatusMapping(statusMap, {
      creating: 'pending',
      pending_provider: 'pending',
      pending: 'pending',
      active: 'running',
      error: 'failed',
      deleting: 'terminating',
      deleted: 'terminated',
    });
  });

  it('maps an unknown status to pending and logs it once', () => {
    assertUnknownStatusLoggedOnce(statusMap, 'pending', 'hibernating');
  });
});

describe('error table', () => {
  const fake = useFake({ before, after });

  /** Every body shape the adapter reads, with the message it must find. */
  const shapes: [string, unknown, string | undefined][] = [
    ['{error: text}', { error: 'said Shadeform' }, 'said Shadeform'],
    ['{message}', { message: 'said Shadeform' }, 'said Shadeform'],
    [
      '{error: {code, message}}',
      { error: { code: 'E1', message: 'said Shadeform' } },
      'said Shadeform',
    ],
    ['{error_code, message}', { error_code: 'E1', message: 'said Shadeform' }, 'said Shadeform'],
    ['{detail}', { detail: 'said Shadeform' }, 'said Shadeform'],
    ['text', 'said Shadeform', undefined],
    ['an object of another shape', { problem: 'said Shadeform' }, undefined],
  ];

  /** Status and wording → code, on an instance request and on any other request. */
  const cases: {
    status: number;
    wording: string;
    onInstance: CloudErrorCode;
    otherwise: CloudErrorCode;
  }[] = [
    {
      status: 400,
      wording: 'A6000 is out of stock in us-central-1',
      onInstance: 'INSUFFICIENT_CAPACITY',
      otherwise: 'INSUFFICIENT_CAPACITY',
    },
    {
      status: 409,
      wording: 'No available capacity for this instance type',
      onInstance: 'INSUFFICIENT_CAPACITY',
      otherwise: 'INSUFFICIENT_CAPACITY',
    },
    {
      status: 422,
      wording: 'Not enough capacity',
      onInstance: 'INSUFFICIENT_CAPACITY',
      otherwise: 'INSUFFICIENT_CAPACITY',
    },
    {
      status: 400,
      wording: 'Instance limit reached for this account',
      onInstance: 'OUT_OF_QUOTA',
      otherwise: 'OUT_OF_QUOTA',
    },
    {
      status: 403,
      wording: 'Insufficient funds: add credits',
      onInstance: 'OUT_OF_QUOTA',
      otherwise: 'OUT_OF_QUOTA',
    },
    {
      status: 402,
      wording: 'Payment required',
      onInstance: 'OUT_OF_QUOTA',
      otherwise: 'OUT_OF_QUOTA',
    },
    {
      status: 400,
      wording: 'Invalid request',
      onInstance: 'INVALID_ARGUMENT',
      otherwise: 'INVALID_ARGUMENT',
    },
    {
      status: 401,
      wording: 'Invalid API key',
      onInstance: 'UNAUTHENTICATED',
      otherwise: 'UNAUTHENTICATED',
    },
    {
      status: 403,
      wording: 'Forbidden',
      onInstance: 'PERMISSION_DENIED',
      otherwise: 'PERMISSION_DENIED',
    },
    {
      status: 404,
      wording: 'Not found',
      onInstance: 'INSTANCE_NOT_FOUND',
      otherwise: 'RESOURCE_NOT_FOUND',
    },
    {
      status: 429,
      wording: 'Too many requests',
      onInstance: 'RATE_LIMITED',
      otherwise: 'RATE_LIMITED',
    },
    {
      status: 500,
      wording: 'Internal server error',
      onInstance: 'INTERNAL',
      otherwise: 'INTERNAL',
    },
    {
      status: 502,
      wording: 'Bad gateway',
      onInstance: 'SERVICE_UNAVAILABLE',
      otherwise: 'SERVICE_UNAVAILABLE',
    },
    {
      status: 503,
      wording: 'Service unavailable',
      onInstance: 'SERVICE_UNAVAILABLE',
      otherwise: 'SERVICE_UNAVAILABLE',
    },
    {
      status: 504,
      wording: 'Gateway timeout',
      onInstance: 'SERVICE_UNAVAILABLE',
      otherwise: 'SERVICE_UNAVAILABLE',
    },
  ];

  errorTableTests(it, cases, {
    title: (c) =>
      `${c.status} "${c.wording}" → ${c.onInstance} on an instance, ${c.otherwise} otherwise`,
    onInstance: (c) => {
      const { client } = clientFor(fake(), { retry: { attempts: 1 } });
      fake().inject('GET /instances/{id}/info', { status: c.status, message: c.wording });
      return client.getInstance('abc');
    },
    otherwise: (c) => {
      const { client } = clientFor(fake(), { retry: { attempts: 1 } });
      fake().inject('GET /instances/types', { status: c.status, message: c.wording });
      return client.getInstanceTypes();
    },
    also: (err, c) => {
      assert.equal(err.detail.httpStatus, c.status);
      assert.match(err.message, new RegExp(c.wording));
    },
  });

  it('takes a 404 without Shadeform\'s JSON error for no answer about the instance, not for "gone"', async () => {
    const { client } = clientFor(fake(), { retry: { attempts: 1 } });
    const created = await client.createInstance(attrs());
    const page = '<html><body>404 Not Found</body></html>';
    fake().inject('GET /instances/{id}/info', { status: 404, body: page });
    const got = await client.getInstance(created.cloudId).catch((e: unknown) => e);
    assert.ok(isCloudError(got, 'RESOURCE_NOT_FOUND'), String(got));
    fake().inject('POST /instances/{id}/delete', { status: 404, body: page });
    const ended = await client.terminateInstance(created.cloudId).catch((e: unknown) => e);
    assert.ok(isCloudError(ended, 'RESOURCE_NOT_FOUND'), 'a terminate it answered is not done');
    await client.terminateInstance(created.cloudId);
  });

  it('out of stock fails over to another offer (scope offer, not retryable)', async () => {
    const { client } = clientFor(fake());
    fake().inject('GET /instances/types', { status: 400, message: 'Out of stock' });
    const err = await client.getInstanceTypes().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INSUFFICIENT_CAPACITY'));
    assert.equal(err.scope, 'offer');
    assert.equal(err.retryable, false);
  });

  for (const [name, body, message] of shapes) {
    it(`reads the error shape ${name}`, async () => {
      const { client } = clientFor(fake(), { retry: { attempts: 1 } });
      fake().inject('GET /instances/{id}/info', { status: 400, body });
      const err = await client.getInstance('abc').catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'INVALID_ARGUMENT'), String(err));
      if (message) assert.equal(err.message, `get instance abc: ${message}`);
      else assert.equal(err.message, 'get instance abc: HTTP 400');
      assert.match(err.detail.raw ?? '', /said Shadeform/);
      if (typeof body === 'object' && body !== null && JSON.stringify(body).includes('E1'))
        assert.equal(err.detail.providerCode, 'E1');
      // Wording is found in any shape: out of stock in plain text is still out of stock.
      fake().inject('GET /instances/{id}/info', {
        status: 400,
        body:
          typeof body === 'string' ? 'out of stock' : { ...(body as object), note: 'out of stock' },
      });
      const stock = await client.getInstance('abc').catch((e: unknown) => e);
      assert.ok(isCloudError(stock, 'INSUFFICIENT_CAPACITY'), String(stock));
    });
  }

  it('retries 429 and 5xx on reads, honouring Retry-After', async () => {
    const { client, logger } = clientFor(fake());
    const before = countRequests(fake(), 'GET /instances/types');
    fake().inject('GET /instances/types', { status: 429, retryAfter: '0' });
    fake().inject('GET /instances/types', { status: 503 });
    assert.ok((await client.getInstanceTypes()).length > 0);
    assert.equal(countRequests(fake(), 'GET /instances/types') - before, 3);
    const retries = logger.entries.filter((e) => e.msg === 'Shadeform request failed; retrying');
    assert.deepEqual(
      retries.map((e) => [e.obj.code, e.obj.retryAfterMs]),
      [
        ['RATE_LIMITED', 0],
        ['SERVICE_UNAVAILABLE', 0],
      ],
    );
  });

  it('does not wait for a Retry-After beyond the bound: the caller gets RATE_LIMITED', async () => {
    const { client } = clientFor(fake());
    const before = countRequests(fake(), 'GET /instances/types');
    fake().inject('GET /instances/types', { status: 429, retryAfter: '3600' });
    const err = await client.getInstanceTypes().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'RATE_LIMITED'));
    assert.equal(err.retryAfterMs, 3_600_000);
    assert.equal(countRequests(fake(), 'GET /instances/types') - before, 1);
  });

  it('never retries a 4xx, and gives up after the bounded attempts on 5xx', async () => {
    const { client } = clientFor(fake());
    let before = countRequests(fake(), 'GET /instances');
    fake().inject('GET /instances', { status: 400, message: 'bad' });
    await assert.rejects(client.listInstances(), (e: unknown) =>
      isCloudError(e, 'INVALID_ARGUMENT'),
    );
    assert.equal(countRequests(fake(), 'GET /instances') - before, 1);
    before = countRequests(fake(), 'GET /instances');
    const remove = fake().inject('GET /instances', { status: 502, times: 99 });
    try {
      await assert.rejects(client.listInstances(), (e: unknown) =>
        isCloudError(e, 'SERVICE_UNAVAILABLE'),
      );
      assert.equal(countRequests(fake(), 'GET /instances') - before, 4);
    } finally {
      remove();
    }
  });

  it('reports a wrong API key as UNAUTHENTICATED without echoing the key', async () => {
    const { client } = clientFor(fake(), {
      credential: { apiKey: 'sf_wrong_key_123', baseUrl: fake().url },
    });
    const err = await client.getLocations().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'UNAUTHENTICATED'));
    assert.doesNotMatch(JSON.stringify(err.toJSON()), /sf_wrong_key_123/);
    assert.doesNotMatch(err.message, /sf_wrong_key_123/);
  });
});
