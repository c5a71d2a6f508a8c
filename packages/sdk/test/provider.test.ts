import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  capabilityMismatches,
  DEFAULT_MAX_CREATES_PER_MINUTE,
  DEFAULT_POLL_INTERVALS,
  defineProvider,
  type CloudClient,
} from '../src/index.js';

function bareClient(extra: Partial<CloudClient> = {}): CloudClient {
  const unused = () => Promise.reject(new Error('not used in this test'));
  return {
    providerId: 'p',
    cloudCredRefId: 'c',
    getLocations: unused,
    getInstanceTypes: unused,
    createInstance: unused,
    getInstance: unused,
    listInstances: unused,
    terminateInstance: unused,
    ...extra,
  };
}

const base = {
  id: 'example',
  displayName: 'Example',
  credentialSchema: z.object({ apiKey: z.string() }),
  secretFields: ['apiKey'] as const,
  apiType: 'global' as const,
  firewallAtCreate: 'boot-script' as const,
  capabilities: () => ['reboot'] as const,
  makeClient: () => bareClient(),
};

describe('defineProvider', () => {
  it('fills the default poll times and create rate', () => {
    const p = defineProvider({ ...base, secretFields: ['apiKey'] });
    assert.deepEqual(p.pollIntervals, DEFAULT_POLL_INTERVALS);
    assert.equal(p.maxCreatesPerMinute, DEFAULT_MAX_CREATES_PER_MINUTE);
  });

  it('keeps what the implementer chose', () => {
    const p = defineProvider({
      ...base,
      secretFields: ['apiKey'],
      pollIntervals: { instanceTypesMs: 300_000 },
      maxCreatesPerMinute: 2,
    });
    assert.equal(p.pollIntervals.instanceTypesMs, 300_000);
    assert.equal(p.pollIntervals.instancesMs, DEFAULT_POLL_INTERVALS.instancesMs);
    assert.equal(p.maxCreatesPerMinute, 2);
  });

  it('rejects nonsense choices with the reason', () => {
    assert.throws(
      () => defineProvider({ ...base, secretFields: ['apiKey'], maxCreatesPerMinute: 0 }),
      /maxCreatesPerMinute/,
    );
    assert.throws(
      () =>
        defineProvider({ ...base, secretFields: ['apiKey'], pollIntervals: { instancesMs: 10 } }),
      /poll intervals/,
    );
    assert.throws(
      () => defineProvider({ ...base, secretFields: ['apiKey'], id: 'Bad Id' }),
      /lowercase/,
    );
  });
});

describe('capabilityMismatches', () => {
  it('finds a declared capability whose group is missing, and an undeclared group', () => {
    const client = bareClient({ tags: { updateTags: () => Promise.resolve() } });
    assert.deepEqual(capabilityMismatches(['reboot'], client), {
      missing: ['reboot'],
      undeclared: ['tags'],
    });
  });

  it('is empty when declaration and implementation agree', () => {
    const client = bareClient({ reboot: { rebootInstance: () => Promise.resolve() } });
    assert.deepEqual(capabilityMismatches(['reboot'], client), { missing: [], undeclared: [] });
  });
});
