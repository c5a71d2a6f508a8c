import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  generateSshKeyPair,
  isCloudError,
  LIFECYCLE_STATES,
  memoryLogger,
  type CloudErrorCode,
} from '@cloudplane/sdk';
import { EC2_ERROR_TABLE, EC2_INSTANCE_STATES, EC2_STATUS_TABLE, statusMap } from '../src/index.js';
import type { Ec2Fake } from './fake/ec2-fake.js';
import { loadEc2Model } from './fake/model.js';
import { clientFor, useFake } from './helpers.js';

describe('status table', () => {
  it("names exactly the model's InstanceStateName values", () => {
    const modelStates = loadEc2Model().shape('InstanceStateName').enum ?? [];
    assert.deepEqual([...EC2_INSTANCE_STATES].sort(), [...modelStates].sort());
    assert.deepEqual([...statusMap.natives].sort(), [...modelStates].sort());
  });

  it('maps every state to a lifecycle state', () => {
    const expected = {
      pending: 'pending',
      running: 'running',
      'shutting-down': 'terminating',
      terminated: 'terminated',
      stopping: 'stopping',
      stopped: 'stopped',
    };
    for (const native of EC2_INSTANCE_STATES) {
      const mapped = statusMap.map(native);
      assert.equal(mapped.lifecycle, expected[native], native);
      assert.equal(mapped.native, native);
      assert.ok(LIFECYCLE_STATES.includes(EC2_STATUS_TABLE[native]));
    }
  });

  it('maps an unknown state to pending and logs it once', () => {
    const logger = memoryLogger();
    assert.equal(statusMap.map('hibernating', { logger }).lifecycle, 'pending');
    statusMap.map('hibernating', { logger });
    assert.equal(
      logger.entries.filter((e) => e.obj.native === 'hibernating' && e.level === 'warn').length,
      1,
    );
  });
});

const keys = generateSshKeyPair();

describe('error table', () => {
  let fake: Ec2Fake;
  useFake({ before, after }, (f) => (fake = f));

  /** The codes the brief names, as EC2 sends them, each through the SDK and the adapter. */
  const cases: [string, number, CloudErrorCode][] = [
    ['InsufficientInstanceCapacity', 500, 'INSUFFICIENT_CAPACITY'],
    ['InstanceLimitExceeded', 400, 'OUT_OF_QUOTA'],
    ['VcpuLimitExceeded', 400, 'OUT_OF_QUOTA'],
    ['RequestLimitExceeded', 503, 'RATE_LIMITED'],
    ['AuthFailure', 401, 'UNAUTHENTICATED'],
    ['InvalidClientTokenId', 403, 'UNAUTHENTICATED'],
    ['UnauthorizedOperation', 403, 'PERMISSION_DENIED'],
    ['OptInRequired', 401, 'PERMISSION_DENIED'],
    ['InvalidInstanceID.NotFound', 400, 'INSTANCE_NOT_FOUND'],
    ['InvalidInstanceID.Malformed', 400, 'INSTANCE_NOT_FOUND'],
    ['InvalidAMIID.NotFound', 400, 'IMAGE_NOT_FOUND'],
    ['InvalidKeyPair.NotFound', 400, 'RESOURCE_NOT_FOUND'],
    ['InvalidPermission.Duplicate', 400, 'DUPLICATE_FIREWALL_RULE'],
    ['InvalidParameterValue', 400, 'INVALID_ARGUMENT'],
    ['IdempotentParameterMismatch', 400, 'INVALID_ARGUMENT'],
    ['IncorrectInstanceState', 400, 'INVALID_ARGUMENT'],
    ['Unavailable', 503, 'SERVICE_UNAVAILABLE'],
    ['InternalError', 500, 'INTERNAL'],
    // A code the table does not know falls back to the HTTP status.
    ['SomethingNew', 400, 'INVALID_ARGUMENT'],
    ['SomethingNewer', 503, 'SERVICE_UNAVAILABLE'],
  ];

  it('covers every mapped code of the table in the cases or by construction', () => {
    for (const [code, , expected] of cases) {
      const mapped = (EC2_ERROR_TABLE as Record<string, CloudErrorCode | undefined>)[code];
      if (mapped !== undefined) assert.equal(mapped, expected, code);
    }
    assert.equal(Object.keys(EC2_ERROR_TABLE).length > 40, true);
  });

  for (const [code, status, expected] of cases) {
    it(`${code} (${status}) → ${expected}`, async () => {
      const { client } = clientFor(fake, { retry: { attempts: 1 } });
      fake.inject('DescribeInstances', { code, status, message: `said EC2 about ${code}` });
      const err = await client.getInstance('i-0123456789abcdef0').catch((e: unknown) => e);
      assert.ok(isCloudError(err), String(err));
      assert.equal(err.code, expected);
      assert.equal(err.detail.providerCode, code);
      assert.equal(err.detail.httpStatus, status);
      assert.match(err.message, new RegExp(`said EC2 about ${code.replace(/\./g, '\\.')}`));
    });
  }

  it('an instance id EC2 does not know is INSTANCE_NOT_FOUND from the real answer', async () => {
    const { client } = clientFor(fake);
    for (const id of ['i-0123456789abcdef0', 'cp-conformance-missing']) {
      const err = await client.getInstance(id).catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'INSTANCE_NOT_FOUND'), String(err));
    }
  });

  it('a launch without capacity is INSUFFICIENT_CAPACITY, not retried', async () => {
    const { client } = clientFor(fake);
    const before = fake.countRequests('RunInstances');
    fake.inject('RunInstances', { code: 'InsufficientInstanceCapacity' });
    const err = await client
      .createInstance({
        refId: randomUUID(),
        publicKey: keys.publicKey,
        location: 'us-east-1',
        instanceType: 'p3.2xlarge',
      })
      .catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INSUFFICIENT_CAPACITY'), String(err));
    assert.equal(fake.countRequests('RunInstances') - before, 1);
  });

  it('retries throttling and server errors on reads, then succeeds', async () => {
    const { client, logger } = clientFor(fake);
    const before = fake.countRequests('DescribeRegions');
    fake.inject('DescribeRegions', { code: 'RequestLimitExceeded' });
    fake.inject('DescribeRegions', { code: 'InternalError' });
    assert.equal((await client.getLocations()).length, 3);
    assert.equal(fake.countRequests('DescribeRegions') - before, 3);
    assert.deepEqual(
      logger.entries.filter((e) => e.msg === 'AWS request failed; retrying').map((e) => e.obj.code),
      ['RATE_LIMITED', 'INTERNAL'],
    );
  });

  it('gives up after the bounded attempts with the last error', async () => {
    const { client } = clientFor(fake);
    const before = fake.countRequests('DescribeInstances');
    const remove = fake.inject('DescribeInstances', { code: 'Unavailable', times: 99 });
    try {
      const err = await client.listInstances().catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'SERVICE_UNAVAILABLE'), String(err));
      assert.equal(fake.countRequests('DescribeInstances') - before, 4);
    } finally {
      remove();
    }
  });

  it('never retries a client error', async () => {
    const { client } = clientFor(fake);
    const before = fake.countRequests('DescribeRegions');
    fake.inject('DescribeRegions', { code: 'UnauthorizedOperation' });
    await assert.rejects(client.getLocations(), (e: unknown) =>
      isCloudError(e, 'PERMISSION_DENIED'),
    );
    assert.equal(fake.countRequests('DescribeRegions') - before, 1);
  });

  it('reports a wrong key as UNAUTHENTICATED without the secret anywhere', async () => {
    const secret = 'wJalrXUtnFEMIK7MDENGbPxRfiCYSECRETKEY';
    const credential = {
      ...fake.credential(),
      accessKeyId: 'AKIAWRONGWRONGWRONG1',
      secretAccessKey: secret,
    };
    const { client, logger } = clientFor(fake, { credential });
    const err = await client.getLocations().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'UNAUTHENTICATED'), String(err));
    assert.doesNotMatch(JSON.stringify(err.toJSON()), new RegExp(secret));
    assert.doesNotMatch(JSON.stringify(logger.entries), new RegExp(secret));
  });

  it('scrubs a secret an answer might echo', async () => {
    const { client } = clientFor(fake, { retry: { attempts: 1 } });
    fake.inject('DescribeRegions', {
      code: 'InvalidParameterValue',
      message: `bad value ${fake.secretAccessKey}`,
    });
    const err = await client.getLocations().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INVALID_ARGUMENT'));
    assert.doesNotMatch(JSON.stringify(err.toJSON()), new RegExp(fake.secretAccessKey));
    assert.match(err.message, /\[redacted\]/);
  });
});
