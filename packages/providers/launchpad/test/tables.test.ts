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
import {
  DEPLOYMENT_STATES,
  DEPLOYMENT_STATE_TABLE,
  describeLaunchPadError,
  LAUNCHPAD_ERROR_TABLE,
  statusMap,
  TASK_STATUSES,
  TASK_STATUS_TABLE,
} from '../src/index.js';
import type { LaunchPadFake } from './fake/launchpad-fake.js';
import { launchpadSpec } from './fake/spec.js';
import { clientFor, countRequests, useFake } from './helpers.js';

type Schemas = Record<string, { enum?: string[] }>;
const schemas = (launchpadSpec.document.components as { schemas: Schemas }).schemas;

describe('status table', () => {
  it('names exactly the deployment states of the spec', () => {
    assert.deepEqual(
      [...DEPLOYMENT_STATES].sort(),
      [...(schemas.DeploymentState?.enum ?? [])].sort(),
    );
    assert.deepEqual([...statusMap.natives].sort(), [...DEPLOYMENT_STATES].sort());
  });

  it('maps every state to the lifecycle state it means', () => {
    const expected = {
      waiting: 'pending',
      starting: 'pending',
      retrying: 'pending',
      paused: 'pending',
      ready: 'running',
      stopping: 'stopping',
      stopped: 'stopped',
      failed: 'failed',
      error: 'failed',
      destroying: 'terminating',
      destroyed: 'terminated',
    } as const;
    for (const native of DEPLOYMENT_STATES) {
      const mapped = statusMap.map(native);
      assert.equal(mapped.lifecycle, expected[native], native);
      assert.equal(mapped.native, native);
      assert.ok(LIFECYCLE_STATES.includes(DEPLOYMENT_STATE_TABLE[native]));
    }
  });

  it('maps an unknown state to pending and logs it once', () => {
    const logger = memoryLogger();
    assert.equal(statusMap.map('hibernating', { logger }).lifecycle, 'pending');
    assert.equal(statusMap.map('hibernating', { logger }).native, 'hibernating');
    const warnings = logger.entries.filter((e) => e.obj.native === 'hibernating');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.level, 'warn');
  });

  it('names exactly the task statuses of the spec, and only `failed` fails', () => {
    assert.deepEqual([...TASK_STATUSES].sort(), [...(schemas.StatusEnum?.enum ?? [])].sort());
    assert.deepEqual(Object.keys(TASK_STATUS_TABLE).sort(), [...TASK_STATUSES].sort());
    for (const status of TASK_STATUSES) {
      assert.equal(TASK_STATUS_TABLE[status], status === 'failed' ? 'failed' : 'accepted');
    }
  });
});

describe('reading error bodies', () => {
  it('reads DRF detail, field lists and non-field errors', () => {
    assert.deepEqual(describeLaunchPadError({ detail: 'Invalid token.', code: 'auth' }), {
      providerCode: 'auth',
      providerMessage: 'Invalid token.',
    });
    assert.deepEqual(
      describeLaunchPadError({
        gpu_count: ['Ensure this value is less than or equal to 512.'],
        non_field_errors: ['No cluster can meet these requirements.'],
      }),
      {
        providerMessage:
          'gpu_count: Ensure this value is less than or equal to 512.; No cluster can meet these requirements.',
      },
    );
    assert.equal(describeLaunchPadError('<html>bad gateway</html>'), undefined);
    assert.equal(describeLaunchPadError({ unrelated: { nested: true } }), undefined);
  });
});

const keys = generateSshKeyPair();

describe('error table, through the adapter and the fake', () => {
  let fake: LaunchPadFake;
  useFake({ before, after }, (f) => (fake = f));

  const launch = (client: ReturnType<typeof clientFor>['client']) =>
    client.createInstance({
      refId: randomUUID(),
      publicKey: keys.publicKey,
      location: 'pdx',
      instanceType: 'dmz.h100x1.pcie',
    });

  /** A refused deployment request, per rule of the table, as LaunchPad's DRF would word it. */
  const launchCases: {
    kind: string;
    status: number;
    body: unknown;
    code: CloudErrorCode;
  }[] = [
    {
      kind: 'no-capacity',
      status: 400,
      body: { non_field_errors: ['No capacity available for the requested GPU in pdx.'] },
      code: 'INSUFFICIENT_CAPACITY',
    },
    {
      kind: 'no-capacity',
      status: 409,
      body: { detail: 'No available clusters match this request.' },
      code: 'INSUFFICIENT_CAPACITY',
    },
    {
      kind: 'quota',
      status: 403,
      body: { detail: 'Deployment quota exceeded for your organization.' },
      code: 'OUT_OF_QUOTA',
    },
    {
      kind: 'quota',
      status: 400,
      body: { non_field_errors: ['You have reached the maximum number of deployments.'] },
      code: 'OUT_OF_QUOTA',
    },
    {
      kind: 'by-status',
      status: 403,
      body: { detail: 'You do not have permission to perform this action.' },
      code: 'PERMISSION_DENIED',
    },
    {
      kind: 'by-status',
      status: 400,
      body: { requester_email: ['Enter a valid email address.'] },
      code: 'INVALID_ARGUMENT',
    },
  ];

  for (const c of launchCases) {
    it(`maps ${c.status} ${JSON.stringify(c.body)} to ${c.code}`, async () => {
      const { client } = clientFor(fake);
      const before = countRequests(fake, 'POST /v1/catalog/deployments/');
      fake.inject('POST /v1/catalog/deployments/', { status: c.status, body: c.body });
      const err = await launch(client).catch((e: unknown) => e);
      assert.ok(isCloudError(err, c.code), `${c.kind}: got ${String(err)}`);
      assert.equal(err.detail.httpStatus, c.status);
      // A refused launch (4xx) is final: not sent again, nothing left behind.
      assert.equal(countRequests(fake, 'POST /v1/catalog/deployments/') - before, 1);
      assert.equal(fake.live().length, 0);
    });
  }

  it('names every rule of the table in the cases above or below', () => {
    const kinds = new Set([...launchCases.map((c) => c.kind), 'not-found']);
    for (const rule of LAUNCHPAD_ERROR_TABLE) assert.ok(kinds.has(rule.kind), rule.kind);
  });

  it('is INSUFFICIENT_CAPACITY, without a request, when the catalog shows no capacity', async () => {
    const { client } = clientFor(fake);
    const restore = fake.exhaustCapacity();
    const before = countRequests(fake, 'POST /v1/catalog/deployments/');
    try {
      const err = await launch(client).catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'INSUFFICIENT_CAPACITY'), String(err));
      assert.equal(err.scope, 'offer');
      assert.equal(countRequests(fake, 'POST /v1/catalog/deployments/'), before);
    } finally {
      restore();
    }
  });

  it('is OUT_OF_QUOTA when the fake account is full', async () => {
    const { LaunchPadFake } = await import('./fake/launchpad-fake.js');
    const small = await LaunchPadFake.start({ quota: 1 });
    try {
      const { client } = clientFor(small);
      await launch(client);
      const err = await launch(client).catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'OUT_OF_QUOTA'), String(err));
    } finally {
      await small.close();
      assert.deepEqual(small.violations, []);
    }
  });

  it('maps a 404 to INSTANCE_NOT_FOUND on a deployment and RESOURCE_NOT_FOUND elsewhere', async () => {
    const { client } = clientFor(fake);
    const err = await client.getInstance(randomUUID()).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INSTANCE_NOT_FOUND'), String(err));
    fake.inject('GET /v1/catalog/instance-types/', { status: 404, detail: 'Not found.' });
    const other = await client.getInstanceTypes().catch((e: unknown) => e);
    assert.ok(isCloudError(other, 'RESOURCE_NOT_FOUND'), String(other));
  });

  it('maps a wrong token to UNAUTHENTICATED without echoing it', async () => {
    const token = 'lp_wrong_token_value';
    const { client } = clientFor(fake, {
      credential: fake.launchpadCredential({ apiToken: token }),
    });
    const err = await client.getLocations().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'UNAUTHENTICATED'), String(err));
    assert.doesNotMatch(JSON.stringify({ m: err.message, d: err.detail }), new RegExp(token));
  });

  it('retries 429 and 5xx, honouring Retry-After, and reports them when they persist', async () => {
    const { client } = clientFor(fake);
    fake.inject('GET /v1/catalog/instance-types/', { status: 429, retryAfter: '0' });
    assert.ok((await client.getInstanceTypes()).length > 0);
    // A wait beyond the policy's longest (2 s in tests) goes to the caller at once.
    const remove = fake.inject('GET /v1/catalog/instance-types/', {
      status: 429,
      retryAfter: '30',
      times: 100,
    });
    const limited = await client.getInstanceTypes().catch((e: unknown) => e);
    remove();
    assert.ok(isCloudError(limited, 'RATE_LIMITED'), String(limited));
    assert.equal(limited.retryAfterMs, 30_000);
    const down = fake.inject('GET /v1/catalog/deployments/', { status: 503, times: 100 });
    const unavailable = await client.listInstances().catch((e: unknown) => e);
    down();
    assert.ok(isCloudError(unavailable, 'SERVICE_UNAVAILABLE'), String(unavailable));
    fake.inject('GET /v1/catalog/deployments/', { status: 500, times: 100 });
    const internal = await client.listInstances().catch((e: unknown) => e);
    assert.ok(isCloudError(internal, 'INTERNAL'), String(internal));
  });
});
