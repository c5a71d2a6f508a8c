import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudError,
  UnexpectedStatusError,
  WaitTimeoutError,
  waitForStatus,
  type Instance,
  type LifecycleState,
} from '../src/index.js';
import { sampleInstance } from './fixtures.js';

function sequence(states: LifecycleState[]): () => Promise<Instance> {
  let i = 0;
  return () => {
    const state = states[Math.min(i++, states.length - 1)] ?? 'pending';
    return Promise.resolve(sampleInstance({ status: { lifecycle: state, native: state } }));
  };
}

describe('waitForStatus', () => {
  it('returns once the target state is reached', async () => {
    const seen: string[] = [];
    const result = await waitForStatus(sequence(['pending', 'pending', 'running']), 'running', {
      timeoutMs: 5000,
      intervalMs: 1,
      onStatus: (i) => seen.push(i.status.lifecycle),
    });
    assert.equal(result?.status.lifecycle, 'running');
    assert.deepEqual(seen, ['pending', 'pending', 'running']);
  });

  it('fails with a typed timeout naming the last state', async () => {
    await assert.rejects(
      waitForStatus(sequence(['pending']), 'running', { timeoutMs: 20, intervalMs: 5 }),
      (err: unknown) =>
        err instanceof WaitTimeoutError &&
        err.last?.status.lifecycle === 'pending' &&
        /pending/.test(err.message),
    );
  });

  it('stops early when the instance fails', async () => {
    await assert.rejects(
      waitForStatus(sequence(['pending', 'failed']), 'running', { timeoutMs: 5000, intervalMs: 1 }),
      UnexpectedStatusError,
    );
  });

  it('passes not-found through, unless waiting for terminated says otherwise', async () => {
    const gone = () => Promise.reject(new CloudError('INSTANCE_NOT_FOUND'));
    await assert.rejects(
      waitForStatus(gone, 'running', { timeoutMs: 100 }),
      (err: unknown) => err instanceof CloudError && err.code === 'INSTANCE_NOT_FOUND',
    );
    assert.equal(
      await waitForStatus(gone, 'terminated', { timeoutMs: 100, notFoundIsTerminated: true }),
      undefined,
    );
  });

  it('honours an abort signal', async () => {
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort(new Error('user pressed Ctrl-C'));
    }, 10);
    await assert.rejects(
      waitForStatus(sequence(['pending']), 'running', {
        timeoutMs: 10_000,
        intervalMs: 1000,
        signal: controller.signal,
      }),
      /Ctrl-C/,
    );
  });
});
