import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { instanceTypeId, parseInstanceTypeId } from '../src/index.js';

describe('instanceTypeId', () => {
  it('is the same for a catalog entry and an instance built from the same parts', () => {
    const fromCatalog = instanceTypeId({ location: 'us-east-1', type: 'gpu_1x_a100' });
    const fromInstance = instanceTypeId({ type: 'gpu_1x_a100', location: 'us-east-1' });
    assert.equal(fromCatalog, fromInstance);
    assert.equal(fromCatalog, 'us-east-1/gpu_1x_a100');
  });

  it('distinguishes sub-locations, so a zone change is a different offer', () => {
    const a = instanceTypeId({ location: 'eu', subLocation: 'eu-a', type: 't' });
    const b = instanceTypeId({ location: 'eu', subLocation: 'eu-b', type: 't' });
    assert.notEqual(a, b);
    assert.equal(instanceTypeId({ location: 'eu', subLocation: '', type: 't' }), 'eu/t');
  });

  it('cannot be made ambiguous by a slash inside a name', () => {
    const tricky = instanceTypeId({ location: 'a/b', type: 'c' });
    const plain = instanceTypeId({ location: 'a', subLocation: 'b', type: 'c' });
    assert.notEqual(tricky, plain);
    assert.deepEqual(parseInstanceTypeId(tricky), { location: 'a/b', type: 'c' });
    assert.deepEqual(parseInstanceTypeId(plain), { location: 'a', subLocation: 'b', type: 'c' });
  });

  it("returns a provider's stable id unchanged", () => {
    assert.equal(instanceTypeId({ location: 'x', type: 'y', stableId: 'offer-123' }), 'offer-123');
    assert.throws(() => instanceTypeId({ location: 'x', type: 'y', stableId: '' }), /stableId/);
  });

  it('rejects empty parts with the part named', () => {
    assert.throws(() => instanceTypeId({ location: '', type: 't' }), /location/);
    assert.throws(() => instanceTypeId({ location: 'l', type: '' }), /type/);
  });

  it('catches the classic mismatch: an instance id built from a different spelling', () => {
    const catalog = instanceTypeId({ location: 'us-east-1', type: 'gpu_1x_a100' });
    const instance = instanceTypeId({ location: 'us-east-1', type: 'gpu_1x_A100' });
    assert.notEqual(
      catalog,
      instance,
      'type names are case-sensitive ids: adapters must not re-case them',
    );
  });
});
