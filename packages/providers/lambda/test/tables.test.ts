import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CloudError, isCloudError, type CloudErrorCode } from '@cloudplane/sdk';
import {
  assertSameSet,
  assertStatusMapping,
  assertStatusTableMatchesSpec,
  assertUnknownStatusLoggedOnce,
  errorTableTests,
  specEnum,
} from '@cloudplane/provider-testkit';
import {
  LAMBDA_ERROR_CODES,
  LAMBDA_ERROR_TABLE,
  LAMBDA_STATUSES,
  statusMap,
} from '../src/index.js';
import type { LambdaFake } from './fake/lambda-fake.js';
import { lambdaSpec } from './fake/spec.js';
import { attrs, clientFor, countRequests, useFake } from './helpers.js';

describe('status table', () => {
  it('names exactly the statuses of the spec', () => {
    assertStatusTableMatchesSpec(
      statusMap,
      specEnum(lambdaSpec, 'instance', 'status'),
      LAMBDA_STATUSES,
    );
  });

  it('maps every status to a lifecycle state', () => {
    assertStatusMapping(statusMap, {
      booting: 'pending',
      active: 'running',
      unhealthy: 'failed',
      terminating: 'terminating',
      terminated: 'terminated',
    });
  });

  it('maps an unknown status to pending and logs it once', () => {
    assertUnknownStatusLoggedOnce(statusMap, 'pending', 'hibernating');
  });
});

describe('error table', () => {
  let fake: LambdaFake;
  useFake({ before, after }, (f) => (fake = f));

  it('names exactly the error codes of the spec', () => {
    assertSameSet(LAMBDA_ERROR_CODES, specEnum(lambdaSpec, 'errorCode'), 'the error codes');
    assertSameSet(Object.keys(LAMBDA_ERROR_TABLE), LAMBDA_ERROR_CODES, 'the error table');
  });

  /** Every Lambda error code, as Lambda sends it (status, body), through the adapter. */
  const cases: {
    code: string;
    status: number;
    onInstance: CloudErrorCode;
    otherwise: CloudErrorCode;
  }[] = [
    {
      code: 'global/unknown',
      status: 400,
      onInstance: 'INVALID_ARGUMENT',
      otherwise: 'INVALID_ARGUMENT',
    },
    { code: 'global/unknown', status: 500, onInstance: 'INTERNAL', otherwise: 'INTERNAL' },
    {
      code: 'global/invalid-api-key',
      status: 401,
      onInstance: 'UNAUTHENTICATED',
      otherwise: 'UNAUTHENTICATED',
    },
    {
      code: 'global/account-inactive',
      status: 403,
      onInstance: 'PERMISSION_DENIED',
      otherwise: 'PERMISSION_DENIED',
    },
    {
      code: 'global/invalid-address',
      status: 403,
      onInstance: 'PERMISSION_DENIED',
      otherwise: 'PERMISSION_DENIED',
    },
    {
      code: 'global/invalid-parameters',
      status: 400,
      onInstance: 'INVALID_ARGUMENT',
      otherwise: 'INVALID_ARGUMENT',
    },
    {
      code: 'global/object-does-not-exist',
      status: 404,
      onInstance: 'INSTANCE_NOT_FOUND',
      otherwise: 'RESOURCE_NOT_FOUND',
    },
    {
      code: 'global/quota-exceeded',
      status: 400,
      onInstance: 'OUT_OF_QUOTA',
      otherwise: 'OUT_OF_QUOTA',
    },
    {
      code: 'instance-operations/launch/insufficient-capacity',
      status: 400,
      onInstance: 'INSUFFICIENT_CAPACITY',
      otherwise: 'INSUFFICIENT_CAPACITY',
    },
    {
      code: 'instance-operations/launch/file-system-in-wrong-region',
      status: 400,
      onInstance: 'INVALID_ARGUMENT',
      otherwise: 'INVALID_ARGUMENT',
    },
    {
      code: 'ssh-keys/key-in-use',
      status: 400,
      onInstance: 'INVALID_ARGUMENT',
      otherwise: 'INVALID_ARGUMENT',
    },
  ];

  it('covers every code of the spec', () => {
    assertSameSet(
      cases.map((c) => c.code),
      LAMBDA_ERROR_CODES,
      'the cases',
    );
  });

  errorTableTests(it, cases, {
    title: (c) =>
      `${c.code} (${c.status}) → ${c.onInstance} on an instance, ${c.otherwise} otherwise`,
    onInstance: (c) => {
      const { client } = clientFor(fake, { retry: { attempts: 1 } });
      fake.inject('GET /instances/{id}', {
        status: c.status,
        code: c.code,
        message: 'said Lambda',
      });
      return client.getInstance('abc');
    },
    otherwise: (c) => {
      const { client } = clientFor(fake, { retry: { attempts: 1 } });
      fake.inject('GET /instance-types', { status: c.status, code: c.code });
      return client.getInstanceTypes();
    },
    also: (err, c) => {
      assert.equal(err.detail.httpStatus, c.status);
      assert.equal(err.detail.providerCode, c.code);
      assert.match(err.message, /said Lambda/);
    },
  });

  it('takes a 404 without Lambda\'s own code for no answer about the instance, not for "gone"', async () => {
    const { client } = clientFor(fake, { retry: { attempts: 1 } });
    const created = await client.createInstance(attrs());
    fake.inject('GET /instances/{id}', { status: 404, code: 'global/unknown' });
    const got = await client.getInstance(created.cloudId).catch((e: unknown) => e);
    assert.ok(isCloudError(got, 'RESOURCE_NOT_FOUND'), String(got));
    fake.inject('POST /instance-operations/terminate', { status: 404, code: 'global/unknown' });
    const ended = await client.terminateInstance(created.cloudId).catch((e: unknown) => e);
    assert.ok(isCloudError(ended, 'RESOURCE_NOT_FOUND'), 'a terminate it answered is not done');
    await client.terminateInstance(created.cloudId);
  });

  it('puts field errors and the suggestion into the message', async () => {
    const { client } = clientFor(fake);
    fake.inject('GET /instance-types', {
      status: 400,
      code: 'global/invalid-parameters',
      message: 'Invalid request',
      suggestion: 'Check the region name.',
      fieldErrors: { region_name: 'unknown region' },
    });
    const err = await client.getInstanceTypes().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INVALID_ARGUMENT'), String(err));
    assert.match(err.message, /Invalid request/);
    assert.match(err.message, /region_name: unknown region/);
    assert.match(err.message, /Check the region name/);
  });

  it('retries 429 after Retry-After, and 5xx with backoff, on reads', async () => {
    const { client, logger } = clientFor(fake);
    const before = countRequests(fake, 'GET /instance-types');
    fake.inject('GET /instance-types', { status: 429, code: 'global/unknown', retryAfter: '1' });
    fake.inject('GET /instance-types', { status: 503, code: 'global/unknown' });
    const types = await client.getInstanceTypes();
    assert.ok(types.length > 0);
    const seen = fake.requests.filter((r) => r.path === '/instance-types').slice(-3);
    assert.equal(countRequests(fake, 'GET /instance-types') - before, 3);
    const [first, second] = seen;
    assert.ok(first && second && second.at - first.at >= 1000, 'waited for Retry-After: 1');
    const retries = logger.entries.filter((e) => e.msg === 'Lambda request failed; retrying');
    assert.deepEqual(
      retries.map((e) => e.obj.code),
      ['RATE_LIMITED', 'SERVICE_UNAVAILABLE'],
    );
  });

  it('gives up after the bounded attempts, with the last error', async () => {
    const { client } = clientFor(fake);
    const before = countRequests(fake, 'GET /instances');
    const remove = fake.inject('GET /instances', {
      status: 502,
      code: 'global/unknown',
      times: 99,
    });
    try {
      const err = await client.listInstances().catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'SERVICE_UNAVAILABLE'), String(err));
      assert.equal(countRequests(fake, 'GET /instances') - before, 4);
    } finally {
      remove();
    }
  });

  it('does not wait for a Retry-After beyond the bound: the caller gets RATE_LIMITED', async () => {
    const { client } = clientFor(fake);
    const before = countRequests(fake, 'GET /instance-types');
    fake.inject('GET /instance-types', { status: 429, code: 'global/unknown', retryAfter: '3600' });
    const err = await client.getInstanceTypes().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'RATE_LIMITED'));
    assert.equal(err.retryAfterMs, 3_600_000);
    assert.equal(countRequests(fake, 'GET /instance-types') - before, 1);
  });

  it('never retries a 4xx', async () => {
    const { client } = clientFor(fake);
    const before = countRequests(fake, 'GET /instance-types');
    fake.inject('GET /instance-types', { status: 403, code: 'global/account-inactive' });
    await assert.rejects(client.getInstanceTypes(), (e: unknown) => e instanceof CloudError);
    assert.equal(countRequests(fake, 'GET /instance-types') - before, 1);
  });

  it('reports a wrong API key as UNAUTHENTICATED without echoing the key', async () => {
    const { client } = clientFor(fake, {
      credential: { apiKey: 'secret_wrong_key_123', baseUrl: fake.url },
    });
    const err = await client.getLocations().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'UNAUTHENTICATED'));
    assert.doesNotMatch(JSON.stringify(err.toJSON()), /secret_wrong_key_123/);
    assert.doesNotMatch(err.message, /secret_wrong_key_123/);
  });
});
