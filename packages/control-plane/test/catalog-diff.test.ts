import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InstanceType } from '@cloudplane/sdk';
import { diffCatalog, type CatalogDiff, type FetchedType } from '../src/catalog/diff.js';
import { canonicalJson, fingerprintOfJson, storedOfferOf } from '../src/catalog/offer-row.js';
import { l4Type } from './helpers/instance-types.js';

/**
 * A diff against the list whose sync left the stored catalog (`applied`) takes the items it finds
 * at their place in that list as unchanged without looking them up. Whatever the new list does
 * (reprice, drop, add, reorder), its answer must be the full diff's.
 */

function fetchedOf(type: InstanceType): FetchedType {
  return { type, fingerprint: fingerprintOfJson(canonicalJson(type)) };
}

const applied = ['a', 'b', 'c', 'd', 'e'].map((name) =>
  fetchedOf(l4Type('devcloud', 'eu-1', name)),
);
const stored = new Map(applied.map((f) => [f.type.id, storedOfferOf(f.type, f.fingerprint)]));

/** The parts of a diff that say what changed, by type id. */
function summary(diff: CatalogDiff) {
  return {
    added: diff.added.map((f) => f.type.id),
    changed: diff.changed.map((c) => [c.type.id, c.kinds]),
    removed: diff.removed.map((r) => r.typeId),
    unchanged: diff.unchanged,
    liveBefore: diff.liveBefore,
  };
}

function assertSameAsFullDiff(fetched: readonly FetchedType[]) {
  const quick = summary(diffCatalog(stored, fetched, applied));
  assert.deepEqual(quick, summary(diffCatalog(stored, fetched)));
  return quick;
}

const [a, b, c, d, e] = applied;
assert.ok(a && b && c && d && e);
const repriced = fetchedOf({ ...c.type, price: { ...c.type.price, amount: 999 } });
const added = fetchedOf(l4Type('devcloud', 'eu-1', 'f'));

describe('catalog diff against the applied list', () => {
  it('finds a repriced type among unchanged ones at their place', () => {
    const diff = assertSameAsFullDiff([a, b, repriced, d, e]);
    assert.deepEqual(diff.changed, [['eu-1/c', ['price']]]);
    assert.equal(diff.unchanged, 4);
  });

  it('finds a type removed from the end or the middle', () => {
    assert.deepEqual(assertSameAsFullDiff([a, b, c, d]).removed, ['eu-1/e']);
    assert.deepEqual(assertSameAsFullDiff([a, c, d, e]).removed, ['eu-1/b']);
  });

  it('finds a new type in place of a removed one, and types that moved', () => {
    const diff = assertSameAsFullDiff([a, added, c, d, e]);
    assert.deepEqual([diff.added, diff.removed], [['eu-1/f'], ['eu-1/b']]);
    assert.equal(assertSameAsFullDiff([e, d, c, b, a]).unchanged, 5);
  });

  it('counts every applied type as live before', () => {
    assert.equal(assertSameAsFullDiff([]).liveBefore, 5);
  });
});
