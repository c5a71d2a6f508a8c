import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  defineStatusMap,
  memoryLogger,
  statusTableGaps,
  type LifecycleState,
} from '../src/index.js';

const NATIVE = ['booting', 'active', 'unhealthy', 'terminated'] as const;
type Native = (typeof NATIVE)[number];

const table: Record<Native, LifecycleState> = {
  booting: 'pending',
  active: 'running',
  unhealthy: 'failed',
  terminated: 'terminated',
};

describe('defineStatusMap', () => {
  const map = defineStatusMap(table, { fallback: 'pending', provider: 'test' });

  it('maps every native value of the table', () => {
    assert.deepEqual([...map.natives].sort(), [...NATIVE].sort());
    for (const native of NATIVE) assert.equal(map.map(native).lifecycle, table[native]);
  });

  it('maps an unmapped native status to the fallback and logs it once', () => {
    const logger = memoryLogger();
    const first = map.map('preempted', { logger, message: 'spot reclaimed' });
    map.map('preempted', { logger });
    assert.deepEqual(first, {
      lifecycle: 'pending',
      native: 'preempted',
      message: 'spot reclaimed',
    });
    const warnings = logger.entries.filter((e) => e.level === 'warn');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.obj.native, 'preempted');
  });

  it('does not treat prototype keys as known statuses', () => {
    assert.equal(map.isKnown('toString'), false);
    assert.equal(map.map('constructor').lifecycle, 'pending');
  });
});

describe('statusTableGaps', () => {
  it('is empty for an exact table', () => {
    assert.deepEqual(statusTableGaps(NATIVE, table), { missing: [], extra: [] });
  });

  it('names the natives a table misses and the keys no native has', () => {
    const { booting: _booting, ...partial } = table;
    const stale = { ...partial, retired: 'terminated' as const };
    assert.deepEqual(statusTableGaps([...NATIVE, 'rebooting'], stale), {
      missing: ['booting', 'rebooting'],
      extra: ['retired'],
    });
  });

  it('does not count inherited keys as entries', () => {
    assert.deepEqual(statusTableGaps(['toString'], table).missing, ['toString']);
  });
});
