import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateInstanceAttrsSchema,
  generateSshKeyPair,
  InstanceSchema,
  InstanceTypeSchema,
  parseMoney,
} from '../src/index.js';
import { sampleInstance } from './fixtures.js';

describe('boundary schemas', () => {
  it('requires refId and cloudCredRefId on every instance', () => {
    const { refId: _r, ...withoutRef } = sampleInstance();
    assert.equal(InstanceSchema.safeParse(withoutRef).success, false);
    const { cloudCredRefId: _c, ...withoutCred } = sampleInstance();
    assert.equal(InstanceSchema.safeParse(withoutCred).success, false);
  });

  it('accepts valid create attrs and names the bad field otherwise', () => {
    const attrs = {
      refId: 'inst-1',
      publicKey: generateSshKeyPair().publicKey,
      location: 'us-east-1',
      instanceType: 'gpu_1x_a10',
    };
    assert.equal(CreateInstanceAttrsSchema.safeParse(attrs).success, true);
    const bad = CreateInstanceAttrsSchema.safeParse({
      ...attrs,
      publicKey: 'not a key',
      refId: 'has space',
    });
    assert.ok(!bad.success);
    const paths = bad.error.issues.map((i) => i.path.join('.')).sort();
    assert.deepEqual(paths, ['publicKey', 'refId']);
  });

  it('requires a storage price when the size is elastic', () => {
    const type = {
      id: 'us/t',
      type: 't',
      provider: 'p',
      cloud: 'p',
      location: 'us',
      availableZones: [],
      gpus: [],
      vcpu: 8,
      memory: { value: 64, unit: 'GiB' },
      storage: [{ kind: 'network', count: 1, size: { value: 100, unit: 'GiB' }, elastic: true }],
      architecture: 'x86_64',
      price: parseMoney('1.10'),
      available: true,
      stoppable: false,
      rebootable: true,
      canModifyFirewallRules: false,
    };
    const result = InstanceTypeSchema.safeParse(type);
    assert.ok(!result.success);
    assert.match(result.error.issues[0]?.message ?? '', /pricePerGiBHour/);
  });
});
