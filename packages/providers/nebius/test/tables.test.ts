import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { z } from 'zod';
import { isCloudError, LIFECYCLE_STATES, memoryLogger, type CloudErrorCode } from '@cloudplane/sdk';
import {
  cloudErrorFromStatus,
  GRPC_CODE_TABLE,
  NEBIUS_STATUS_TABLE,
  SERVICE_ERROR_TABLE,
  statusMap,
} from '../src/index.js';
import { INSTANCE_STATES, nebiusApi, type ServiceErrorInput } from '../src/proto.js';
import type { NebiusFake } from './fake/nebius-fake.js';
import { clientFor, useFake } from './helpers.js';

/** The parts of proto-loader's DescriptorProto objects these tests read. */
const EnumsOf = z.object({
  enumType: z.array(z.object({ name: z.string(), value: z.array(z.object({ name: z.string() })) })),
});
const FieldsOf = z.object({ field: z.array(z.object({ name: z.string(), type: z.string() })) });

describe('status table', () => {
  it('names exactly the values of InstanceStatus.InstanceState in the proto', () => {
    const descriptor = EnumsOf.parse(nebiusApi().nebius.compute.v1.InstanceStatus.type);
    const fromProto =
      descriptor.enumType.find((e) => e.name === 'InstanceState')?.value.map((v) => v.name) ?? [];
    assert.ok(fromProto.length > 0);
    assert.deepEqual(Object.keys(NEBIUS_STATUS_TABLE).sort(), [...fromProto].sort());
    assert.deepEqual(Object.keys(INSTANCE_STATES).sort(), [...fromProto].sort());
  });

  it('maps every state to a lifecycle state', () => {
    const expected = {
      UNSPECIFIED: 'pending',
      CREATING: 'pending',
      UPDATING: 'pending',
      STARTING: 'pending',
      RUNNING: 'running',
      STOPPING: 'stopping',
      STOPPED: 'stopped',
      DELETING: 'terminating',
      ERROR: 'failed',
    } as const;
    for (const native of Object.keys(INSTANCE_STATES) as (keyof typeof INSTANCE_STATES)[]) {
      const mapped = statusMap.map(native);
      assert.equal(mapped.lifecycle, expected[native], native);
      assert.equal(mapped.native, native);
      assert.ok(LIFECYCLE_STATES.includes(mapped.lifecycle));
    }
  });

  it('maps an unknown state to pending and logs it once', () => {
    const logger = memoryLogger();
    assert.equal(statusMap.map('HIBERNATING', { logger }).lifecycle, 'pending');
    statusMap.map('HIBERNATING', { logger });
    assert.equal(logger.entries.filter((e) => e.obj.native === 'HIBERNATING').length, 1);
  });
});

const quota: ServiceErrorInput = {
  service: 'compute',
  code: 'QuotaFailure',
  quotaFailure: {
    violations: [{ quota: 'compute.gpu.h100', message: 'over', limit: '8', requested: '16' }],
  },
};
const capacity: ServiceErrorInput = {
  service: 'compute',
  code: 'NotEnoughResources',
  notEnoughResources: { violations: [{ resourceType: 'gpu', message: 'no hosts' }] },
};
const tooMany: ServiceErrorInput = {
  service: 'compute',
  code: 'TooManyRequests',
  tooManyRequests: { violation: 'compute.requests' },
};

describe('error table', () => {
  let fake: NebiusFake;
  useFake({ before, after }, (f) => (fake = f));

  it('names every gRPC status code', () => {
    const names = Object.keys(grpc.status).filter((k) => Number.isNaN(Number(k)));
    assert.deepEqual(Object.keys(GRPC_CODE_TABLE).sort(), names.sort());
  });

  it('names every ServiceError detail of error.proto', () => {
    // The `details` oneof holds every message-typed field (service and code are strings,
    // retry_type an enum).
    const { field: fields } = FieldsOf.parse(nebiusApi().nebius.common.v1.ServiceError.type);
    const inProto = fields
      .filter((f) => f.type === 'TYPE_MESSAGE')
      .map((f) => f.name.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase()));
    assert.deepEqual(Object.keys(SERVICE_ERROR_TABLE).sort(), inProto.sort());
  });

  /** Each status as Nebius sends it (code, trailer with a ServiceError), through the adapter. */
  const cases: {
    code: grpc.status;
    detail?: ServiceErrorInput;
    onInstance: CloudErrorCode;
    retryable: boolean;
    times?: number;
  }[] = [
    { code: grpc.status.NOT_FOUND, onInstance: 'INSTANCE_NOT_FOUND', retryable: false },
    { code: grpc.status.PERMISSION_DENIED, onInstance: 'PERMISSION_DENIED', retryable: false },
    // Refused twice: once with the cached token, once with a fresh one (auth.test.ts).
    {
      code: grpc.status.UNAUTHENTICATED,
      onInstance: 'UNAUTHENTICATED',
      retryable: false,
      times: 2,
    },
    { code: grpc.status.INVALID_ARGUMENT, onInstance: 'INVALID_ARGUMENT', retryable: false },
    { code: grpc.status.FAILED_PRECONDITION, onInstance: 'INVALID_ARGUMENT', retryable: false },
    { code: grpc.status.UNIMPLEMENTED, onInstance: 'NOT_IMPLEMENTED', retryable: false },
    { code: grpc.status.UNAVAILABLE, onInstance: 'SERVICE_UNAVAILABLE', retryable: true },
    { code: grpc.status.DEADLINE_EXCEEDED, onInstance: 'SERVICE_UNAVAILABLE', retryable: true },
    { code: grpc.status.INTERNAL, onInstance: 'INTERNAL', retryable: true },
    {
      code: grpc.status.RESOURCE_EXHAUSTED,
      detail: quota,
      onInstance: 'OUT_OF_QUOTA',
      retryable: false,
    },
    {
      code: grpc.status.RESOURCE_EXHAUSTED,
      detail: capacity,
      onInstance: 'INSUFFICIENT_CAPACITY',
      retryable: false,
    },
    {
      code: grpc.status.RESOURCE_EXHAUSTED,
      detail: tooMany,
      onInstance: 'RATE_LIMITED',
      retryable: true,
    },
    { code: grpc.status.RESOURCE_EXHAUSTED, onInstance: 'RATE_LIMITED', retryable: true },
    {
      code: grpc.status.FAILED_PRECONDITION,
      detail: capacity,
      onInstance: 'INSUFFICIENT_CAPACITY',
      retryable: false,
    },
  ];

  for (const c of cases) {
    const name = `${grpc.status[c.code]}${c.detail ? ` + ${c.detail.code ?? ''}` : ''}`;
    it(`${name} → ${c.onInstance}`, async () => {
      const { client } = clientFor(fake, { retry: { attempts: 1 } });
      await client.getLocations();
      fake.inject('InstanceService.Get', {
        code: c.code,
        message: 'said Nebius',
        times: c.times ?? 1,
        ...(c.detail ? { detail: c.detail } : {}),
      });
      const err = await client.getInstance('computeinstance-e00abc').catch((e: unknown) => e);
      assert.ok(isCloudError(err), String(err));
      assert.equal(err.code, c.onInstance);
      assert.equal(err.retryable, c.retryable);
      assert.match(err.message, /^get instance computeinstance-e00abc: said Nebius/);
      assert.match(err.detail.providerCode ?? '', new RegExp(`^${grpc.status[c.code]}`));
    });
  }

  it('says which quota, and what is lacking, in the message', async () => {
    const { client } = clientFor(fake, { retry: { attempts: 1 } });
    await client.getLocations();
    fake.inject('InstanceService.Get', { code: grpc.status.RESOURCE_EXHAUSTED, detail: quota });
    const err = await client.getInstance('computeinstance-e00abc').catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'OUT_OF_QUOTA'));
    assert.match(err.message, /quota compute\.gpu\.h100: over \(limit 8, requested 16\)/);
    assert.equal(err.detail.providerCode, 'RESOURCE_EXHAUSTED/QuotaFailure');
  });

  it('reads a failed operation without detail as lack of capacity, and a failed call as a rate limit', () => {
    const context = { operation: 'create instance', notFound: 'RESOURCE_NOT_FOUND' } as const;
    const op = cloudErrorFromStatus(grpc.status.RESOURCE_EXHAUSTED, 'no', undefined, {
      ...context,
      source: 'operation',
    });
    const rpc = cloudErrorFromStatus(grpc.status.RESOURCE_EXHAUSTED, 'no', undefined, {
      ...context,
      source: 'rpc',
    });
    assert.equal(op.code, 'INSUFFICIENT_CAPACITY');
    assert.equal(rpc.code, 'RATE_LIMITED');
  });

  it('retries a read after UNAVAILABLE and gives up after the bounded attempts', async () => {
    const { client } = clientFor(fake);
    await client.getLocations();
    const count = () => fake.callsOf('PlatformService.List').length;
    let before = count();
    fake.inject('PlatformService.List', { code: grpc.status.UNAVAILABLE });
    assert.ok((await client.getInstanceTypes()).length > 0);
    assert.equal(count() - before, 3, 'one failure, one retry, then the second page');
    before = count();
    const remove = fake.inject('PlatformService.List', {
      code: grpc.status.UNAVAILABLE,
      times: 99,
    });
    try {
      const err = await client.getInstanceTypes().catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'SERVICE_UNAVAILABLE'));
      assert.equal(count() - before, 4);
    } finally {
      remove();
    }
  });

  it('never retries a request Nebius refused', async () => {
    const { client } = clientFor(fake);
    await client.getLocations();
    const before = fake.callsOf('PlatformService.List').length;
    fake.inject('PlatformService.List', { code: grpc.status.INVALID_ARGUMENT });
    await assert.rejects(client.getInstanceTypes(), (e: unknown) =>
      isCloudError(e, 'INVALID_ARGUMENT'),
    );
    assert.equal(fake.callsOf('PlatformService.List').length - before, 1);
  });
});
