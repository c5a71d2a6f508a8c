import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { generateSshKeyPair, isCloudError, type CloudErrorCode } from '@cloudplane/sdk';
import {
  assertSameSet,
  assertStatusMapping,
  assertStatusTableMatchesSpec,
  assertUnknownStatusLoggedOnce,
  errorTableTests,
  specEnum,
} from '@cloudplane/provider-testkit';
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

describe('status table', () => {
  it('names exactly the deployment states of the spec', () => {
    assertStatusTableMatchesSpec(
      statusMap,
      specEnum(launchpadSpec, 'DeploymentState'),
      DEPLOYMENT_STATES,
    );
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
    assertStatusMapping(statusMap, expected);
    assert.deepEqual({ ...DEPLOYMENT_STATE_TABLE }, expected);
  });

  it('maps an unknown state to pending and logs it once', () => {
    assertUnknownStatusLoggedOnce(statusMap, 'pending', 'hibernating');
  });

  it('names exactly the task statuses of the spec, and only `failed` fails', () => {
    assertSameSet(TASK_STATUSES, specEnum(launchpadSpec, 'StatusEnum'), 'the task statuses');
    assertSameSet(Object.keys(TASK_STATUS_TABLE), TASK_STATUSES, 'the task status table');
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

  // A 404 on a deployment is the instance's; anywhere else, some other resource's.
  errorTableTests(it, [{ onInstance: 'INSTANCE_NOT_FOUND', otherwise: 'RESOURCE_NOT_FOUND' }], {
    title: () =>
      'maps a 404 to INSTANCE_NOT_FOUND on a deployment and RESOURCE_NOT_FOUND elsewhere',
    onInstance: () => clientFor(fake).client.getInstance(randomUUID()),
    otherwise: () => {
      fake.inject('GET /v1/catalog/instance-types/', { status: 404, detail: 'Not found.' });
      return clientFor(fake).client.getInstanceTypes();
    },
    also: (err) => {
      assert.equal(err.detail.httpStatus, 404);
    },
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
