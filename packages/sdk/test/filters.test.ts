import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { filterInstances, isEmptyFilter, matchesLocations } from '../src/index.js';
import { sampleInstance } from './fixtures.js';

describe('filters', () => {
  const a = sampleInstance({ cloudId: 'a', location: 'us-east', tags: { team: 'ml' } });
  const b = sampleInstance({ cloudId: 'b', location: 'eu-west', tags: { team: 'infra' } });

  it('treats an omitted field as no constraint and "all" as every location', () => {
    assert.deepEqual(
      filterInstances([a, b]).map((i) => i.cloudId),
      ['a', 'b'],
    );
    assert.equal(matchesLocations('all', 'anywhere'), true);
    assert.equal(matchesLocations(undefined, 'anywhere'), true);
  });

  it('treats an empty list as matching nothing', () => {
    assert.deepEqual(filterInstances([a, b], { instanceIds: [] }), []);
    assert.equal(isEmptyFilter({ instanceIds: [] }), true);
    assert.equal(isEmptyFilter({ tagFilters: { team: [] } }), true);
    assert.equal(isEmptyFilter({ locations: 'all' }), false);
  });

  it('ORs values within a field and ANDs fields', () => {
    assert.deepEqual(
      filterInstances([a, b], {
        locations: ['us-east', 'eu-west'],
        tagFilters: { team: ['ml'] },
      }).map((i) => i.cloudId),
      ['a'],
    );
    assert.deepEqual(filterInstances([a, b], { tagFilters: { team: ['ml', 'infra'] } }).length, 2);
    assert.deepEqual(filterInstances([a, b], { tagFilters: { owner: ['x'] } }), []);
  });
});
