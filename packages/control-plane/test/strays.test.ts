import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Instance } from '@cloudplane/sdk';
import { sampleInstance } from '../../sdk/test/fixtures.js';
import { isStray } from '../src/instances/strays.js';

/**
 * Which instances listed under a row's refId are strays (terminated by the syncer) and which
 * are the row's own; the syncer's tests run both kinds against devcloud
 * (instance-syncer.test.ts), this one names every rule, the re-id case among them.
 */

function listed(cloudId: string): Instance {
  return sampleInstance({ cloudId });
}

const ended = new Date('2026-12-01T01:00:00Z');

describe('isStray', () => {
  it('takes any instance under an ended row as a stray, its own former one included', () => {
    const context = { rowMatched: false };
    assert.equal(isStray({ cloudId: null, terminatedAt: ended }, listed('i-2'), context), true);
    assert.equal(isStray({ cloudId: 'i-1', terminatedAt: ended }, listed('i-2'), context), true);
    assert.equal(isStray({ cloudId: 'i-1', terminatedAt: ended }, listed('i-1'), context), true);
  });

  it("never takes a live row's own instance as a stray", () => {
    const context = { rowMatched: true };
    assert.equal(isStray({ cloudId: 'i-1', terminatedAt: null }, listed('i-1'), context), false);
  });

  it('takes another instance as a stray once the row has matched its own this sync', () => {
    const ownListed = { rowMatched: true };
    assert.equal(isStray({ cloudId: 'i-1', terminatedAt: null }, listed('i-2'), ownListed), true);
  });

  it("gives the row the other instance when the row's own is not listed at all", () => {
    const ownMissing = { rowMatched: false };
    assert.equal(isStray({ cloudId: 'i-1', terminatedAt: null }, listed('i-2'), ownMissing), false);
  });

  it('adopts the first instance of a row without one, and takes a second one as a stray', () => {
    assert.equal(
      isStray({ cloudId: null, terminatedAt: null }, listed('i-1'), { rowMatched: false }),
      false,
    );
    assert.equal(
      isStray({ cloudId: null, terminatedAt: null }, listed('i-2'), { rowMatched: true }),
      true,
    );
  });
});
