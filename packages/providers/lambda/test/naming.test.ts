import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { isCloudError } from '@cloudplane/sdk';
import { instanceName, keyName, readInstanceName } from '../src/index.js';

const at = new Date('2026-03-01T12:34:56Z');
const minute = new Date('2026-03-01T12:34:00Z');

describe('instance and key names', () => {
  it('fit two UUIDs and the launch minute in exactly 64 characters', () => {
    const ids = { refId: randomUUID(), cloudCredRefId: randomUUID() };
    const name = instanceName(ids, at, 'a long human name that will not fit');
    assert.equal(name.length, 64);
    assert.deepEqual(readInstanceName(name), { ...ids, launchedAt: minute });
  });

  it('add as much of the human name as fits after the minute', () => {
    const ids = { refId: 'job-7', cloudCredRefId: 'cred-1' };
    const name = instanceName(ids, at, 'Nightly Training');
    assert.match(name, /^cp--xjob-7--xcred-1--[0-9a-z]{6}-nightly-training$/);
    assert.deepEqual(readInstanceName(name), { ...ids, launchedAt: minute });
  });

  it('ignore a launch minute that was cut short', () => {
    // 2 + 2 + 25 + 2 + 28 = 59 characters of ids leave 3 for the label.
    const ids = { refId: randomUUID(), cloudCredRefId: `c${'x'.repeat(26)}` };
    const name = instanceName(ids, at);
    assert.equal(name.length, 64);
    assert.deepEqual(readInstanceName(name), ids);
  });

  it('refuse ids that cannot fit, with INVALID_ARGUMENT', () => {
    assert.throws(
      () => instanceName({ refId: 'r'.repeat(40), cloudCredRefId: randomUUID() }, at),
      (e: unknown) => isCloudError(e, 'INVALID_ARGUMENT') && /64/.test(e.message),
    );
  });

  it('read names cloudplane did not make as foreign', () => {
    for (const name of [null, undefined, '', 'training-node-1', 'cp--x', 'cpk--xa--xb']) {
      assert.equal(readInstanceName(name), null, String(name));
    }
  });

  it('name registered keys after the launch, distinct from instance names', () => {
    const ids = { refId: randomUUID(), cloudCredRefId: randomUUID() };
    const name = keyName(ids);
    assert.match(name, /^cpk--[0-9a-z]{25}--[0-9a-z]{25}$/);
    assert.ok(name.length <= 64);
    assert.equal(readInstanceName(name), null, 'a key name is never read as an instance');
  });
});
