import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setMostRecent } from '../src/index.js';

describe('setMostRecent', () => {
  it('keeps the most recently set entries, dropping the oldest beyond the bound', () => {
    const map = new Map<string, number>();
    setMostRecent(map, 'a', 1, 2);
    setMostRecent(map, 'b', 2, 2);
    setMostRecent(map, 'a', 3, 2); // a is now the newest
    setMostRecent(map, 'c', 4, 2);
    assert.deepEqual(
      [...map.entries()],
      [
        ['a', 3],
        ['c', 4],
      ],
    );
  });
});
