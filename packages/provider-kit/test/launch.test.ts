import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudError,
  isCloudError,
  memoryLogger,
  type Instance,
  type LifecycleState,
} from '@cloudplane/sdk';
import {
  instanceState,
  launchAllOrNothing,
  terminatedAnyway,
  type LaunchOptions,
  type RetryPolicy,
} from '../src/index.js';

/** No real waiting: the tests count requests, they never time them. */
const FAST: RetryPolicy = { attempts: 3, minDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 60_000 };

const IDS = { refId: 'ref-1', cloudCredRefId: 'cred-1' };

function instance(cloudId: string, overrides: Partial<Instance> = {}): Instance {
  return {
    cloudId,
    ...IDS,
    name: cloudId,
    provider: 'acme',
    cloud: 'acme',
    location: 'here',
    instanceTypeId: 'acme:small',
    instanceType: 'small',
    status: { lifecycle: 'pending', native: 'booting' },
    createdAt: '2026-01-01T00:00:00.000Z',
    publicIp: null,
    privateIp: null,
    hostname: null,
    sshUser: 'ubuntu',
    sshPort: 22,
    tags: {},
    stoppable: false,
    rebootable: true,
    ...overrides,
  };
}

const unavailable = () =>
  new CloudError('SERVICE_UNAVAILABLE', { message: 'launch: no answer from Acme' });
const refused = () =>
  new CloudError('INVALID_ARGUMENT', { message: 'launch: bad type', detail: { httpStatus: 400 } });

/**
 * An in-memory cloud behind the launch steps. `launches` scripts each launch in turn: the ids it
 * accepts, or an error (`landed: true` puts the instance in the list although the launch failed).
 */
function cloud(
  script: {
    launches?: (string[] | { error: CloudError; landed?: string })[];
    listed?: Instance[];
    get?: (cloudId: string, asked: number) => Instance | CloudError;
    terminate?: (cloudId: string) => CloudError | undefined;
    policy?: RetryPolicy;
  } = {},
) {
  const logger = memoryLogger();
  const state = {
    listed: [...(script.listed ?? [])],
    launched: 0,
    lists: 0,
    gets: 0,
    terminated: [] as string[],
  };
  const options: LaunchOptions = {
    ids: IDS,
    launch: () => {
      const step = script.launches?.[state.launched] ?? ['i-new'];
      state.launched++;
      if (Array.isArray(step)) {
        state.listed.push(...step.map((id) => instance(id)));
        return Promise.resolve(step);
      }
      if (step.landed !== undefined) state.listed.push(instance(step.landed));
      return Promise.reject(step.error);
    },
    list: () => {
      state.lists++;
      return Promise.resolve(state.listed);
    },
    get: (cloudId) => {
      state.gets++;
      const got = script.get?.(cloudId, state.gets) ?? instance(cloudId);
      return got instanceof CloudError ? Promise.reject(got) : Promise.resolve(got);
    },
    terminate: (cloudId) => {
      const failure = script.terminate?.(cloudId);
      if (failure) return Promise.reject(failure);
      state.terminated.push(cloudId);
      return Promise.resolve();
    },
    policy: script.policy ?? FAST,
    logger,
    providerId: 'acme',
    displayName: 'Acme',
  };
  return { options, state, logger };
}

describe('launchAllOrNothing', () => {
  it('launches once and answers the launched instance', async () => {
    const { options, state } = cloud();
    const got = await launchAllOrNothing(options);
    assert.equal(got.cloudId, 'i-new');
    assert.deepEqual([state.launched, state.lists, state.terminated], [1, 1, []]);
  });

  it('reuses an earlier live launch with the same refId and sends no launch', async () => {
    const { options, state } = cloud({
      listed: [
        instance('i-other-ref', { refId: 'ref-2' }),
        instance('i-other-cred', { cloudCredRefId: 'cred-2' }),
        instance('i-ending', { status: { lifecycle: 'terminating', native: 'shutting-down' } }),
        instance('i-gone', { status: { lifecycle: 'terminated', native: 'terminated' } }),
        instance('i-earlier', { status: { lifecycle: 'running', native: 'active' } }),
      ],
    });
    const got = await launchAllOrNothing(options);
    assert.equal(got.cloudId, 'i-earlier');
    assert.equal(state.launched, 0);
  });

  it('does not reuse a terminating or foreign instance: it launches', async () => {
    const { options, state } = cloud({
      listed: [
        instance('i-other-ref', { refId: 'ref-2' }),
        instance('i-ending', { status: { lifecycle: 'terminating', native: 'shutting-down' } }),
      ],
    });
    assert.equal((await launchAllOrNothing(options)).cloudId, 'i-new');
    assert.equal(state.launched, 1);
  });

  it('relaunches after a failure that may be relaunched, looking for the instance first', async () => {
    const { options, state, logger } = cloud({
      launches: [{ error: unavailable() }, ['i-second']],
    });
    const got = await launchAllOrNothing(options);
    assert.equal(got.cloudId, 'i-second');
    assert.deepEqual([state.launched, state.lists], [2, 2]);
    const warnings = logger.entries.filter((e) => e.level === 'warn');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.msg ?? '', /^Acme launch failed or its outcome is unknown/);
    assert.deepEqual(warnings[0]?.obj, {
      provider: 'acme',
      refId: 'ref-1',
      attempt: 1,
      code: 'SERVICE_UNAVAILABLE',
    });
  });

  it('adopts a launch that landed although its answer was lost, instead of launching again', async () => {
    const { options, state } = cloud({
      launches: [{ error: unavailable(), landed: 'i-landed' }],
    });
    const got = await launchAllOrNothing(options);
    assert.equal(got.cloudId, 'i-landed');
    assert.equal(state.launched, 1);
  });

  it('never relaunches after a final failure: the error is thrown as it came', async () => {
    const failure = refused();
    const { options, state } = cloud({ launches: [{ error: failure }] });
    await assert.rejects(launchAllOrNothing(options), (err) => err === failure);
    assert.deepEqual([state.launched, state.lists], [1, 1]);
  });

  it('never reports a refusal after an attempt that may have launched: the caller must look first', async () => {
    const capacity = new CloudError('INSUFFICIENT_CAPACITY', {
      message: 'launch: no capacity',
      detail: { httpStatus: 400 },
    });
    const { options, state } = cloud({
      launches: [{ error: unavailable() }, { error: capacity }],
    });
    const err = await launchAllOrNothing(options).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'SERVICE_UNAVAILABLE'), String(err));
    assert.equal(err.retryable, true);
    assert.match(err.message, /may have started an instance/);
    assert.match(err.message, /INSUFFICIENT_CAPACITY: launch: no capacity/);
    assert.equal(err.cause, capacity);
    // Looked before each launch and once more after the refusal.
    assert.deepEqual([state.launched, state.lists], [2, 3]);
  });

  it('reports a later launch that started nothing as the earlier unknown outcome too', async () => {
    const { options } = cloud({ launches: [{ error: unavailable() }, []] });
    const err = await launchAllOrNothing(options).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'SERVICE_UNAVAILABLE'), String(err));
    assert.match(err.message, /started no instance/);
  });

  it('takes a refusal code as a refusal whatever its status: nothing to look for after it', async () => {
    const capacity = new CloudError('INSUFFICIENT_CAPACITY', {
      message: 'launch: sold out',
      detail: { httpStatus: 503 },
    });
    const { options } = cloud({ launches: [{ error: capacity }, { error: refused() }] });
    const err = await launchAllOrNothing(options).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INVALID_ARGUMENT'), String(err));
  });

  it('answers the first launch when the last look finds it after a later refusal', async () => {
    const capacity = new CloudError('INSUFFICIENT_CAPACITY', {
      message: 'launch: no capacity',
      detail: { httpStatus: 400 },
    });
    const { options } = cloud({
      launches: [{ error: unavailable() }, { error: capacity, landed: 'i-first' }],
    });
    assert.equal((await launchAllOrNothing(options)).cloudId, 'i-first');
  });

  it('never relaunches a launch the cloud accepted with an answer it could not read', async () => {
    const unreadable = () =>
      new CloudError('INTERNAL', {
        message: 'launch: the answer did not match its schema',
        detail: { httpStatus: 200 },
      });
    const lost = cloud({ launches: [{ error: unreadable() }] });
    const err = await launchAllOrNothing(lost.options).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INTERNAL'), String(err));
    assert.deepEqual([lost.state.launched, lost.state.lists], [1, 2]);

    const landed = cloud({ launches: [{ error: unreadable(), landed: 'i-accepted' }] });
    assert.equal((await launchAllOrNothing(landed.options)).cloudId, 'i-accepted');
    assert.equal(landed.state.launched, 1);
  });

  it('relaunches after a refusal (429) but stops at a Retry-After beyond the policy', async () => {
    const limited = new CloudError('RATE_LIMITED', {
      message: 'slow down',
      retryAfterMs: 120_000,
      detail: { httpStatus: 429 },
    });
    const { options, state } = cloud({ launches: [{ error: limited }] });
    await assert.rejects(launchAllOrNothing(options), (err) => err === limited);
    assert.equal(state.launched, 1);
  });

  it('throws the last error when every attempt failed, after one last look', async () => {
    const { options, state } = cloud({
      launches: [{ error: unavailable() }, { error: unavailable() }, { error: unavailable() }],
    });
    await assert.rejects(launchAllOrNothing(options), (err) =>
      isCloudError(err, 'SERVICE_UNAVAILABLE'),
    );
    assert.deepEqual([state.launched, state.lists], [3, 4]);
  });

  it('answers an instance the last look finds after every attempt failed', async () => {
    const { options } = cloud({
      launches: [
        { error: unavailable() },
        { error: unavailable() },
        { error: unavailable(), landed: 'i-late' },
      ],
    });
    assert.equal((await launchAllOrNothing(options)).cloudId, 'i-late');
  });

  it('asks again while the cloud does not know the new id yet', async () => {
    const { options, state } = cloud({
      get: (cloudId, asked) =>
        asked < 3
          ? new CloudError('INSTANCE_NOT_FOUND', { message: `no ${cloudId} yet` })
          : instance(cloudId),
    });
    assert.equal((await launchAllOrNothing(options)).cloudId, 'i-new');
    assert.deepEqual([state.gets, state.terminated], [3, []]);
  });

  it('terminates the instance and throws the original error when the get after acceptance fails', async () => {
    const lost = new CloudError('INTERNAL', { message: 'Acme did not keep the tags' });
    const { options, state } = cloud({ get: () => lost });
    await assert.rejects(launchAllOrNothing(options), (err) => err === lost);
    assert.deepEqual([state.launched, state.terminated], [1, ['i-new']]);
  });

  it('terminates the instance when it stays unknown for every try', async () => {
    const { options, state } = cloud({
      get: () => new CloudError('INSTANCE_NOT_FOUND', { message: 'never heard of it' }),
    });
    await assert.rejects(launchAllOrNothing(options), (err) =>
      isCloudError(err, 'INSTANCE_NOT_FOUND'),
    );
    assert.deepEqual([state.gets, state.terminated], [FAST.attempts, ['i-new']]);
  });

  it('terminates an instance that comes back with other correlation data', async () => {
    const { options, state } = cloud({ get: (id) => instance(id, { refId: 'ref-2' }) });
    await assert.rejects(
      launchAllOrNothing(options),
      (err) => isCloudError(err, 'INTERNAL') && /other correlation data/.test(err.message),
    );
    assert.deepEqual(state.terminated, ['i-new']);
  });

  it('names the instance to terminate by hand when the cleanup fails too', async () => {
    const lost = new CloudError('INTERNAL', { message: 'Acme did not keep the tags' });
    const { options, logger } = cloud({
      get: () => lost,
      terminate: () => new CloudError('SERVICE_UNAVAILABLE', { message: 'down' }),
    });
    await assert.rejects(
      launchAllOrNothing(options),
      (err) =>
        isCloudError(err, 'INTERNAL') &&
        err.message.startsWith(lost.message) &&
        /i-new/.test(err.message) &&
        /terminate it by hand/.test(err.message),
    );
    assert.ok(logger.entries.some((e) => e.level === 'error' && e.obj.cloudId === 'i-new'));
  });

  it('answers no refusal when a refused launch left a machine it could not terminate', async () => {
    const soldOut = new CloudError('INSUFFICIENT_CAPACITY', { message: 'Acme: out of stock' });
    const { options } = cloud({
      get: () => soldOut,
      terminate: () => new CloudError('SERVICE_UNAVAILABLE', { message: 'down' }),
    });
    const err = await launchAllOrNothing(options).catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'INTERNAL'), String(err));
    assert.match(err.message, /^Acme: out of stock; terminating instance i-new failed too/);
  });

  it('terminates surplus instances and keeps the first', async () => {
    const { options, state } = cloud({ launches: [['i-a', 'i-b', 'i-c']] });
    assert.equal((await launchAllOrNothing(options)).cloudId, 'i-a');
    assert.deepEqual(state.terminated, ['i-b', 'i-c']);
  });

  it('is INSUFFICIENT_CAPACITY when the cloud accepted the launch but started nothing', async () => {
    const { options, state } = cloud({ launches: [[]] });
    await assert.rejects(
      launchAllOrNothing(options),
      (err) =>
        isCloudError(err, 'INSUFFICIENT_CAPACITY') &&
        err.message === 'launch instance: Acme accepted the launch but started no instance',
    );
    assert.equal(state.launched, 1);
  });

  it('stops before any request when the signal is aborted', async () => {
    const { options, state } = cloud();
    const abort = new AbortController();
    abort.abort(new Error('shutting down'));
    await assert.rejects(launchAllOrNothing({ ...options, signal: abort.signal }), /shutting down/);
    assert.deepEqual([state.launched, state.lists], [0, 0]);
  });
});

describe('instanceState and terminatedAnyway', () => {
  const lifecycle = (state: LifecycleState) => () => Promise.resolve(state);
  const notFound = () =>
    Promise.reject(new CloudError('INSTANCE_NOT_FOUND', { message: 'no such instance' }));

  it('reads a lifecycle as live or ending, and not found as gone', async () => {
    assert.equal(await instanceState(lifecycle('running')), 'live');
    assert.equal(await instanceState(lifecycle('failed')), 'live');
    assert.equal(await instanceState(lifecycle('terminating')), 'ending');
    assert.equal(await instanceState(lifecycle('terminated')), 'ending');
    assert.equal(await instanceState(notFound), 'gone');
    await assert.rejects(
      instanceState(() => Promise.reject(unavailable())),
      (err) => isCloudError(err, 'SERVICE_UNAVAILABLE'),
    );
  });

  it('counts a termination as done when the instance is gone or already on its way out', async () => {
    let looked = 0;
    const state = (s: 'gone' | 'ending' | 'live') => () => {
      looked++;
      return Promise.resolve(s);
    };
    const notFoundError = new CloudError('INSTANCE_NOT_FOUND', { message: 'gone' });
    assert.equal(await terminatedAnyway(notFoundError, state('live')), true);
    assert.equal(looked, 0);
    assert.equal(await terminatedAnyway(refused(), state('ending')), true);
    assert.equal(await terminatedAnyway(refused(), state('gone')), true);
    assert.equal(await terminatedAnyway(refused(), state('live')), false);
    assert.equal(await terminatedAnyway(unavailable(), state('gone')), false);
    assert.equal(looked, 3);
  });
});
