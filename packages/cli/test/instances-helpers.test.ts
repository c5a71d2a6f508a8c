import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Duration,
  IdempotencyKey,
  InstanceName,
  SseParser,
  Tags,
  firewallRules,
  pickInstance,
  progress,
  type Instance,
} from '../src/commands/instances.js';

function instance(patch: Partial<Instance>): Instance {
  return {
    id: 'i-1',
    name: 'train-1',
    provider: 'devcloud',
    region: 'us-east',
    type: 'dc.h100x1.pcie',
    gpu: { name: 'H100', count: 1, memoryGiB: 80 },
    price: { perHour: '2.49', currency: 'USD' },
    state: 'pending',
    nativeStatus: null,
    statusMessage: null,
    pendingAction: 'create',
    lastError: null,
    publicIp: null,
    ssh: null,
    sshKeyIds: ['k-1'],
    tags: {},
    actions: ['terminate'],
    createdAt: '2026-01-01T00:00:00.000Z',
    terminatedAt: null,
    ...patch,
  };
}

describe('instances: flag values', () => {
  it('reads durations, a bare number as seconds', () => {
    assert.equal(Duration.parse('10m'), 600_000);
    assert.equal(Duration.parse('90s'), 90_000);
    assert.equal(Duration.parse('1h'), 3_600_000);
    assert.equal(Duration.parse('250ms'), 250);
    assert.equal(Duration.parse('30'), 30_000);
    for (const bad of ['0', '10 m', 'm', '-5s', '1d']) {
      assert.equal(Duration.safeParse(bad).success, false, bad);
    }
  });

  it('reads tags as key=value, the value may hold "="; refuses duplicates and reserved keys', () => {
    assert.deepEqual(Tags.parse(['team=vision', 'expr=a=b', 'empty=']), {
      team: 'vision',
      expr: 'a=b',
      empty: '',
    });
    assert.equal(Tags.safeParse(['novalue']).success, false);
    assert.equal(Tags.safeParse(['=v']).success, false);
    assert.equal(Tags.safeParse(['a=1', 'a=2']).success, false);
    assert.equal(Tags.safeParse(['cloudplane-ref=x']).success, false);
    assert.equal(Tags.safeParse(Array.from({ length: 21 }, (_, i) => `k${i}=v`)).success, false);
  });

  it('checks names and idempotency keys as the API does', () => {
    assert.equal(InstanceName.safeParse('train-1').success, true);
    for (const bad of ['Train', '1abc', '', 'a_b', 'a'.repeat(64)]) {
      assert.equal(InstanceName.safeParse(bad).success, false, bad);
    }
    assert.equal(IdempotencyKey.safeParse('run-42/launch').success, true);
    assert.equal(IdempotencyKey.safeParse('has space').success, false);
    assert.equal(IdempotencyKey.safeParse('x'.repeat(129)).success, false);
  });

  it('reads a firewall file as FirewallRules, saying what is wrong', () => {
    assert.deepEqual(
      firewallRules(
        '{"ingress":[{"protocol":"tcp","fromPort":8888,"toPort":8888,"cidrs":["203.0.113.0/24"]}]}',
      ),
      {
        ingress: [{ protocol: 'tcp', fromPort: 8888, toPort: 8888, cidrs: ['203.0.113.0/24'] }],
        egress: [],
      },
    );
    assert.throws(() => firewallRules('{'), /not JSON/);
    assert.throws(
      () => firewallRules('{"ingress":[{"protocol":"icmp","fromPort":1,"toPort":1,"cidrs":[]}]}'),
      /ingress\.0\.protocol/,
    );
  });
});

describe('instances: naming one', () => {
  const old = instance({ id: 'i-old', state: 'terminated', createdAt: '2026-01-01T00:00:00Z' });
  const older = instance({ id: 'i-older', state: 'terminated', createdAt: '2025-01-01T00:00:00Z' });
  const live = instance({ id: 'i-live', state: 'running', createdAt: '2025-06-01T00:00:00Z' });

  it('takes an id first, then the live instance of that name, then the newest terminated', () => {
    assert.equal(pickInstance([old, live, older], 'i-older').id, 'i-older');
    assert.equal(pickInstance([old, live, older], 'train-1').id, 'i-live');
    assert.equal(pickInstance([older, old], 'train-1').id, 'i-old');
  });

  it('fails on an unknown name and on two live ones (an admin sees several users)', () => {
    assert.throws(() => pickInstance([live], 'nope'), /no instance with id or name "nope"/);
    assert.throws(
      () => pickInstance([live, instance({ id: 'i-2', state: 'stopped' })], 'train-1'),
      /2 live instances are named "train-1" \(i-live, i-2\); name one by id/,
    );
  });
});

describe('instances --wait: when it is over', () => {
  it('is done at the target with nothing pending', () => {
    assert.deepEqual(progress(instance({ state: 'running', pendingAction: null }), 'running'), {
      kind: 'done',
    });
    assert.deepEqual(progress(instance({ state: 'running', pendingAction: 'stop' }), 'stopped'), {
      kind: 'waiting',
    });
    assert.deepEqual(progress(instance({ state: 'stopping', pendingAction: 'stop' }), 'stopped'), {
      kind: 'waiting',
    });
    assert.deepEqual(
      progress(instance({ state: 'terminated', pendingAction: 'terminate' }), 'terminated'),
      { kind: 'done' },
    );
    assert.deepEqual(
      progress(instance({ state: 'pending', pendingAction: null }), 'running'),
      { kind: 'waiting' },
      'a reboot accepted by the provider, on its way back to running',
    );
    assert.deepEqual(progress(instance({ state: 'failed', pendingAction: null }), 'terminated'), {
      kind: 'done',
    });
  });

  it('fails with the last error when the instance fails, ends elsewhere, or its action fails', () => {
    const failed = progress(
      instance({
        state: 'failed',
        pendingAction: null,
        lastError: { code: 'INSUFFICIENT_CAPACITY', message: 'no capacity' },
      }),
      'running',
    );
    assert.deepEqual(failed, {
      kind: 'failed',
      reason: 'train-1 failed, not running: INSUFFICIENT_CAPACITY: no capacity',
    });
    assert.equal(
      progress(instance({ state: 'terminated', pendingAction: null }), 'stopped').kind,
      'failed',
    );
    const refused = progress(
      instance({
        state: 'running',
        pendingAction: null,
        lastError: { code: 'INTERNAL', message: 'stop failed' },
      }),
      'stopped',
    );
    assert.deepEqual(refused, {
      kind: 'failed',
      reason: 'train-1 is running, not stopped: INTERNAL: stop failed',
    });
  });
});

describe('instances events: the SSE wire format', () => {
  it('assembles messages across chunks, with CRLF, comments, multi-line data and ids', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push(': hello\n\nevent: instance\nid: 4'), []);
    assert.deepEqual(parser.push('2\ndata: {"a":\r'), []);
    assert.deepEqual(parser.push('\ndata: 1}\r\n\r\n'), [
      { event: 'instance', id: '42', data: '{"a":\n1}' },
    ]);
    assert.equal(parser.lastEventId, '42');
    assert.deepEqual(parser.push('data:x\n\nid\n'), [{ event: 'message', id: '42', data: 'x' }]);
    assert.deepEqual(parser.push('data: y\n\n'), [{ event: 'message', id: '', data: 'y' }]);
  });
});
