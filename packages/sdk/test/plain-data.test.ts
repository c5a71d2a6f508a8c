import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { samePlainData, shareUnchanged } from '../src/index.js';

describe('samePlainData', () => {
  it('compares plain data only, keys in any order', () => {
    assert.ok(samePlainData({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 }));
    assert.ok(!samePlainData({ a: 1 }, { a: 1, b: undefined }));
    assert.ok(!samePlainData({ a: [1, 2] }, { a: [2, 1] }));
    const shared = { a: 1 };
    assert.ok(!samePlainData(shared, shared), 'one object is not vouched for');
    assert.ok(!samePlainData(new Date(0), new Date(0)));
    assert.ok(!samePlainData({ at: new Date(0) }, { at: new Date(0) }));
  });
});

describe('shareUnchanged', () => {
  const page = () => ({
    items: [
      { id: 'a', price: '1.00', gpu: { count: 8, name: 'H100' } },
      { id: 'b', price: '2.00', gpu: { count: 1, name: 'A10' } },
      { id: 'c', price: '3.00', gpu: { count: 4, name: 'L40S' } },
    ],
    next: null,
  });

  it('gives back last time’s value whole when nothing changed', () => {
    const before = page();
    assert.equal(shareUnchanged(page(), before), before);
  });

  it('keeps last time’s objects for the unchanged parts and the fresh ones for the rest', () => {
    const before = page();
    const fresh = page();
    const changed = fresh.items[1];
    assert.ok(changed);
    changed.price = '2.50';
    const shared = shareUnchanged(fresh, before);
    assert.equal(shared, fresh, 'the page changed, so it is the fresh one');
    assert.equal(shared.items[0], before.items[0]);
    assert.equal(shared.items[2], before.items[2]);
    assert.equal(shared.items[1], changed, 'the changed item is the fresh one');
    assert.equal(changed.gpu, before.items[1]?.gpu, 'its unchanged part is shared');
    assert.deepEqual(shared, { ...page(), items: [page().items[0], changed, page().items[2]] });
  });

  it('never shares across a change of shape, a shift, or what is not plain data', () => {
    const before = page();
    const fresh = page();
    fresh.items.unshift({ id: 'z', price: '9.00', gpu: { count: 2, name: 'A100' } });
    const shifted = shareUnchanged(fresh, before);
    assert.deepEqual(
      shifted.items.map((item) => item.id),
      ['z', 'a', 'b', 'c'],
    );
    assert.ok(shifted.items.every((item) => !before.items.includes(item)));
    const at = { at: new Date(0) };
    assert.notEqual(shareUnchanged({ at: new Date(0) }, at).at, at.at);
    assert.equal(shareUnchanged(5, 6), 5);
    assert.deepEqual(shareUnchanged({ a: [1, 2] }, { a: [1] }), { a: [1, 2] });
  });
});
