import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Instance } from '@cloudplane/sdk';
import { sampleInstance } from '../../sdk/test/fixtures.js';
import type { InstanceAction } from '../src/db/schema.js';
import { observe, type ObservedRow } from '../src/instances/observe.js';

/**
 * What a provider's `failed` does to a pending action: the machine will not reach what a stop,
 * start or reboot waits for, so those are cleared; a terminate stays pending (a failed machine
 * may still bill) until the provider lists it terminated.
 */

const at = new Date('2026-12-01T00:00:00Z');

function rowWith(pendingAction: InstanceAction): ObservedRow {
  return {
    id: 'row-1',
    refId: 'ref-1',
    userId: 'user-1',
    location: 'eu-1',
    cloudId: 'i-1',
    state: 'running',
    nativeStatus: 'active',
    statusMessage: null,
    publicIp: '10.0.0.1',
    privateIp: null,
    hostname: null,
    sshUser: 'ubuntu',
    sshPort: 22,
    stoppable: true,
    rebootable: true,
    launchedAt: at,
    pendingAction,
    terminatedAt: null,
    updatedAt: at,
  };
}

function seenAs(lifecycle: 'failed' | 'terminated'): Instance {
  return sampleInstance({
    location: 'eu-1',
    status: { lifecycle, native: lifecycle === 'failed' ? 'unhealthy' : 'terminated' },
    createdAt: at.toISOString(),
    publicIp: '10.0.0.1',
  });
}

describe('a failed instance and its pending action', () => {
  it('clears a pending stop, start or reboot', () => {
    for (const action of ['stop', 'start', 'reboot'] as const) {
      const { set } = observe(rowWith(action), seenAs('failed'), at);
      assert.equal(set.pendingAction, null, action);
      assert.equal(set.state, 'failed');
    }
  });

  it('keeps a pending terminate until the provider lists the instance terminated', () => {
    const failed = observe(rowWith('terminate'), seenAs('failed'), at).set;
    assert.equal(failed.state, 'failed');
    assert.ok(!('pendingAction' in failed), 'the terminate stays pending');
    const ended = observe(rowWith('terminate'), seenAs('terminated'), at).set;
    assert.equal(ended.pendingAction, null);
    assert.equal(ended.terminatedAt, at);
  });
});
