import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { runConformance, type ConformanceReport } from '@cloudplane/conformance';
import type { FluidstackFake } from './fake/fluidstack-fake.js';
import { testProvider, useFake } from './helpers.js';

/**
 * The conformance suite against the adapter and its fake, as a locational provider: once over
 * every region of the credential (the catalog from each region's host, the lifecycle in one),
 * and once in one given region.
 */
describe('conformance against the Fluidstack fake', () => {
  let fake: FluidstackFake;
  let everywhere: ConformanceReport;
  let inOne: ConformanceReport;

  useFake({ before, after }, (f) => (fake = f), {
    createMs: 100,
    transitionMs: 100,
    terminateMs: 100,
  });

  const run = (location?: string) =>
    runConformance({
      provider: testProvider(),
      credential: fake.fluidstackCredential,
      cloudCredRefId: randomUUID(),
      ...(location === undefined ? {} : { location }),
      stableInstanceTypeIds: ['us-west-1/l40s-48gb.1x', 'eu-north-1/h200-sxm-141gb.8x'].filter(
        (id) => location === undefined || id.startsWith(`${location}/`),
      ),
      timeouts: { callMs: 60_000, runningMs: 60_000, transitionMs: 60_000, pollMs: 50 },
      probes: {
        provokeCapacityError: () => {
          const restore = fake.exhaustCapacity();
          return Promise.resolve(() => {
            restore();
            return Promise.resolve();
          });
        },
        failListPage: () => {
          const remove = fake.inject('GET /instances', { status: 500, times: 1_000 });
          return Promise.resolve(() => {
            remove();
            return Promise.resolve();
          });
        },
      },
    });

  before(async () => {
    everywhere = await run();
    inOne = await run('eu-north-1');
  });

  const failures = (report: ConformanceReport) =>
    report.checks
      .filter((c) => c.status === 'fail' || c.status === 'error')
      .map((c) => `${c.id}: ${c.message ?? ''} ${c.expected ?? ''} ${c.actual ?? ''}`);

  it('passes every check that can run without a machine, over every region', () => {
    assert.deepEqual(failures(everywhere), []);
    assert.equal(everywhere.facts.locations, 'us-west-1, eu-north-1');
    const passed = new Set(everywhere.checks.filter((c) => c.status === 'pass').map((c) => c.id));
    for (const id of [
      'contract.provider-shape',
      'contract.capabilities',
      'catalog.locations',
      'catalog.types-valid',
      'catalog.ids-unique',
      'catalog.ids-stable',
      'catalog.name-filter',
      'catalog.location-subset',
      'catalog.stable-ids-exist',
      'catalog.gpus-legal',
      'catalog.capability-flags',
      'lifecycle.create',
      'lifecycle.get',
      'lifecycle.list-by-id',
      'lifecycle.list-by-location',
      'lifecycle.second-client',
      'lifecycle.list-complete',
      'lifecycle.running',
      'lifecycle.stop-start',
      'lifecycle.capacity-error',
      'lifecycle.terminate',
      'lifecycle.unknown-id',
    ]) {
      assert.ok(passed.has(id), `${id} passed`);
    }
  });

  it('passes in one given region, launching there', () => {
    assert.deepEqual(failures(inOne), []);
    assert.equal(inOne.facts.locations, 'eu-north-1');
    assert.match(inOne.facts.instanceType ?? '', / in eu-north-1 /);
    assert.equal(inOne.checks.find((c) => c.id === 'lifecycle.capacity-error')?.status, 'pass');
  });

  it('skips only what a fake without machines, tag updates or reboot cannot show', () => {
    const skipped = everywhere.checks
      .filter((c) => c.status === 'skip')
      .map((c) => c.id)
      .sort();
    assert.deepEqual(skipped, [
      'firewall.allowed-port-open',
      'firewall.docker-published-port',
      'firewall.other-port-closed',
      'lifecycle.list-by-tag',
      'lifecycle.reboot',
      'lifecycle.ssh',
    ]);
  });

  it('leaves nothing running: out-of-stock launches were deleted too', () => {
    assert.deepEqual(everywhere.leaked, []);
    assert.deepEqual(inOne.leaked, []);
    assert.deepEqual(
      fake.live().map((i) => `${i.id} ${i.region}`),
      [],
    );
  });
});
