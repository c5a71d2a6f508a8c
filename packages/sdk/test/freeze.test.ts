import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deepFreeze } from '../src/index.js';

describe('deepFreeze', () => {
  it('freezes a value and everything it holds, and hands the same value back', () => {
    const value = { a: { b: [1, { c: 'x' }] }, d: null };
    assert.equal(deepFreeze(value), value);
    assert.ok(Object.isFrozen(value));
    assert.ok(Object.isFrozen(value.a));
    assert.ok(Object.isFrozen(value.a.b));
    assert.ok(Object.isFrozen(value.a.b[1]));
  });

  it('stops at a cycle', () => {
    const node: { self?: unknown; list: unknown[] } = { list: [] };
    node.self = node;
    node.list.push(node);
    deepFreeze(node);
    assert.ok(Object.isFrozen(node) && Object.isFrozen(node.list));
  });

  it('leaves primitives as they are', () => {
    assert.equal(deepFreeze(3), 3);
    assert.equal(deepFreeze('s'), 's');
    assert.equal(deepFreeze(null), null);
  });
});
