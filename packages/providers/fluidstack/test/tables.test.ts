import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CloudError, generateSshKeyPair, isCloudError, type CloudErrorCode } from '@cloudplane/sdk';
import {
  assertCloudError,
  assertStatusMapping,
  assertStatusTableMatchesSpec,
  assertUnknownStatusLoggedOnce,
  errorTableTests,
  settle,
  specEnum,
} from '@cloudplane/provider-testkit';
import {
  FLUIDSTACK_ERROR_STATUSES,
  FLUIDSTACK_ERROR_TABLE,
  FLUIDSTACK_STATES,
  FLUIDSTACK_STATUS_TABLE,
  FLUIDSTACK_WORDING_RULES,
  statusMap,
} from '../src/index.js';
import type { FluidstackFake } from './fake/fluidstack-fake.js';
import { fluidstackSpec } from './fake/spec.js';
import { clientFor, countRequests, useFake } from './helpers.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

/** Every error status any operation of the spec declares. */
function specErrorStatuses(): number[] {
  const found = new Set<number>();
  const paths = fluidstackSpec.document.paths as Record<
    string,
    Record<string, { responses?: Record<string, unknown> }>
  >;
  for (const operations of Object.values(paths)) {
    for (const op of Object.values(operations)) {
      for (const status of Object.keys(op.responses ?? {})) {
        if (Number(status) >= 400) found.add(Number(status));
      }
    }
  }
  return [...found].sort((a, b) => a - b);
}

describe('status table', () => {
  it('names exactly the states of the spec', () => {
    assertStatusTableMatchesSpec(
      statusMap,
      specEnum(fluidstackSpec, 'InstanceState'),
      FLUIDSTACK_STATES,
    );
  });

  it('maps every state to a lifecycle state', () => {
    const expected = {
      creating: 'pending',
      starting: 'pending',
      running: 'running',
      stopping: 'stopping',
      stopped: 'stopped',
      deleting: 'terminating',
      'out-of-stock': 'failed',
      error: 'failed',
    } as const;
    assertStatusMapping(statusMap, expected);
    assert.deepEqual({ ...FLUIDSTACK_STATUS_TABLE }, expected);
  });

  it('maps an unknown state to pending and logs it once', () => {
    assertUnknownStatusLoggedOnce(statusMap, 'pending', 'migrating');
  });
});

describe('error table', () => {
  let fake: FluidstackFake;
  useFake({ before, after }, (f) => (fake = f));

  it('covers exactly the error statuses the spec declares', () => {
    assert.deepEqual([...FLUIDSTACK_ERROR_STATUSES], specErrorStatuses());
    assert.deepEqual(
      Object.keys(FLUIDSTACK_ERROR_TABLE)
        .map(Number)
        .sort((a, b) => a - b),
      [...FLUIDSTACK_ERROR_STATUSES],
    );
  });

  /** Every declared status, as Fluidstack sends it (`{ message }`), through the adapter. */
  const cases: { status: number; onInstance: CloudErrorCode; otherwise: CloudErrorCode }[] = [
    { status: 400, onInstance: 'INVALID_ARGUMENT', otherwise: 'INVALID_ARGUMENT' },
    { status: 403, onInstance: 'PERMISSION_DENIED', otherwise: 'PERMISSION_DENIED' },
    { status: 404, onInstance: 'INSTANCE_NOT_FOUND', otherwise: 'RESOURCE_NOT_FOUND' },
    { status: 409, onInstance: 'INVALID_ARGUMENT', otherwise: 'INVALID_ARGUMENT' },
    { status: 500, onInstance: 'INTERNAL', otherwise: 'INTERNAL' },
    { status: 501, onInstance: 'NOT_IMPLEMENTED', otherwise: 'NOT_IMPLEMENTED' },
  ];

  it('has a case for every status of the table', () => {
    assert.deepEqual(
      cases.map((c) => c.status),
      [...FLUIDSTACK_ERROR_STATUSES],
    );
  });

  errorTableTests(it, cases, {
    title: (c) => `${c.status} → ${c.onInstance} on an instance, ${c.otherwise} otherwise`,
    onInstance: (c) => {
      const { client } = clientFor(fake, { retry: { attempts: 1 } });
      fake.inject('GET /instances/{id}', { status: c.status, message: 'said Fluidstack' });
      return client.getInstance(MISSING);
    },
    otherwise: (c) => {
      const { client } = clientFor(fake, { retry: { attempts: 1 } });
      fake.inject('GET /capacity', { status: c.status, message: 'said Fluidstack' });
      return client.getInstanceTypes();
    },
    also: (err, c) => {
      assert.equal(err.detail.httpStatus, c.status);
      assert.match(err.message, /said Fluidstack/);
    },
  });

  const wordings: { kind: string; status: number; message: string; code: CloudErrorCode }[] = [
    {
      kind: 'out-of-stock',
      status: 400,
      message: 'Instance type is out of stock',
      code: 'INSUFFICIENT_CAPACITY',
    },
    {
      kind: 'out-of-stock',
      status: 409,
      message: 'not enough capacity in region',
      code: 'INSUFFICIENT_CAPACITY',
    },
    { kind: 'quota', status: 403, message: 'GPU quota exceeded for project', code: 'OUT_OF_QUOTA' },
    { kind: 'quota', status: 400, message: 'instance limit reached', code: 'OUT_OF_QUOTA' },
  ];

  it('has a case for every wording rule', () => {
    assert.deepEqual(
      [...new Set(wordings.map((w) => w.kind))].sort(),
      FLUIDSTACK_WORDING_RULES.map((r) => r.kind).sort(),
    );
  });

  for (const w of wordings) {
    it(`a launch refused with "${w.message}" (${w.status}) → ${w.code}, sent once`, async () => {
      const { client } = clientFor(fake);
      const before = countRequests(fake, 'POST /instances');
      fake.inject('POST /instances', { status: w.status, message: w.message });
      const launch = client.createInstance({
        refId: 'r-1',
        publicKey: generateSshKeyPair().publicKey,
        location: 'us-west-1',
        instanceType: 'l40s-48gb.1x',
      });
      assertCloudError(await settle(launch), w.code);
      assert.equal(countRequests(fake, 'POST /instances') - before, 1);
    });
  }

  it('a wrong token is UNAUTHENTICATED, and the token appears nowhere in the error', async () => {
    const { client } = clientFor(fake, { credential: { apiKey: 'fs_secret_wrong_token_123' } });
    const err = await client.getInstanceTypes().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'UNAUTHENTICATED'), String(err));
    assert.doesNotMatch(JSON.stringify(err.toJSON()), /fs_secret_wrong_token_123/);
  });

  it('a project the token does not belong to is PERMISSION_DENIED', async () => {
    const { client } = clientFor(fake, {
      credential: { projectId: '11111111-1111-4111-8111-111111111111' },
    });
    const err = await client.listInstances().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'PERMISSION_DENIED'), String(err));
  });

  it('retries 429 after Retry-After, and 5xx with backoff, on reads', async () => {
    const { client, logger } = clientFor(fake);
    const before = countRequests(fake, 'GET /instances');
    fake.inject('GET /instances', { status: 429, retryAfter: '1', message: 'slow down' });
    fake.inject('GET /instances', { status: 500, message: 'oops' });
    assert.ok(Array.isArray(await client.listInstances()));
    assert.equal(countRequests(fake, 'GET /instances') - before, 3);
    const retries = logger.entries.filter((e) => e.msg === 'Fluidstack request failed; retrying');
    assert.deepEqual(
      retries.map((e) => e.obj.code),
      ['RATE_LIMITED', 'INTERNAL'],
    );
  });

  it('never retries a 4xx', async () => {
    const { client } = clientFor(fake);
    const before = countRequests(fake, 'GET /instances');
    fake.inject('GET /instances', { status: 403, message: 'Forbidden' });
    await assert.rejects(client.listInstances(), (e: unknown) => e instanceof CloudError);
    assert.equal(countRequests(fake, 'GET /instances') - before, 1);
  });
});
