import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db, Storage } from '../src/db/open.js';
import { ControlPlaneError } from '../src/errors.js';
import { users } from '../src/db/schema.js';
import { StoreVersions, type Versions } from '../src/db/versions.js';
import { freshStorage, stopClusterAfterAll } from './helpers/storage.js';

/**
 * On PostgreSQL every request reads the versions again, so what a request sees depends on when
 * its query began. Callers that find every query slot taken share one query, which must begin
 * after all of them asked; and it must begin when a slot frees, whatever phase the event loop is
 * in, not from a later turn.
 */

stopClusterAfterAll();

/** `storage` whose versions queries are counted and, while `hold` is set, answered only on `release`. */
function gatedStorage(storage: Storage) {
  const gate = { count: 0, hold: false, waiting: [] as (() => void)[] };
  const execute = async (query: Parameters<Db['execute']>[0]) => {
    gate.count++;
    const result = await storage.db.execute(query);
    if (gate.hold) await new Promise<void>((resolve) => gate.waiting.push(resolve));
    return result;
  };
  const db = new Proxy(storage.db, {
    get: (target, key): unknown => (key === 'execute' ? execute : Reflect.get(target, key, target)),
  });
  const release = () => {
    gate.hold = false;
    for (const resolve of gate.waiting.splice(0)) resolve();
  };
  return { storage: { ...storage, db }, gate, release };
}

describe('store versions on postgres', () => {
  let storage: Storage;
  before(async () => {
    storage = await freshStorage('postgres');
  });
  after(async () => {
    await storage.close();
  });

  it('shares one query among callers that wait for a slot, begun after all of them asked', async () => {
    const { storage: gated, gate, release } = gatedStorage(storage);
    const { versions } = await StoreVersions.open(gated);
    gate.hold = true;
    // Both slots taken by queries that answered before the write below.
    const early = [versions.current(), versions.current()];
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(gate.count, 2, 'two queries run at once');
    await storage.db.insert(users).values({ id: 'u-versions', name: 'versions', role: 'member' });
    const late = [versions.current(), versions.current(), versions.current()];
    assert.equal(gate.count, 2, 'callers that find the slots taken wait for one to free');
    release();
    const [first, second] = (await Promise.all(early)) as [Versions, Versions];
    const answers = await Promise.all(late);
    assert.equal(gate.count, 3, 'the three waiting callers shared one query');
    assert.equal(first.auth, second.auth);
    for (const answer of answers) {
      assert.notEqual(
        answer.auth,
        first.auth,
        'a waiting caller sees the write made before it asked',
      );
      assert.deepEqual(answer, answers[0]);
    }
  });

  it('frees the slot of a query that does not come back, and fails its callers with a 503', async () => {
    const { storage: gated, gate, release } = gatedStorage(storage);
    const { versions } = await StoreVersions.open(gated, { queryDeadlineMs: 200 });
    gate.hold = true;
    const stuck = [versions.current(), versions.current(), versions.current()];
    const outcomes = await Promise.allSettled(stuck);
    assert.equal(gate.count, 3, 'the waiting caller got a slot once one was freed');
    for (const outcome of outcomes) {
      assert.equal(outcome.status, 'rejected');
      assert.ok(outcome.reason instanceof ControlPlaneError);
      assert.equal(outcome.reason.status, 503);
      assert.equal(outcome.reason.code, 'storage/unavailable');
    }
    release();
    const after = await versions.current();
    assert.equal(gate.count, 4, 'a caller after them runs a query of its own');
    assert.equal(typeof after.catalog, 'number');
  });

  it('answers a caller from a query that began after it asked, with slots free', async () => {
    const { versions } = await StoreVersions.open(storage);
    const before = await versions.current();
    await storage.db
      .insert(users)
      .values({ id: 'u-versions-2', name: 'versions-2', role: 'member' });
    const after = await versions.current();
    assert.notEqual(after.auth, before.auth);
  });
});
