import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { runConformance, type ConformanceReport } from '@cloudplane/conformance';
import type { LaunchPadFake } from './fake/launchpad-fake.js';
import { testProvider, useFake } from './helpers.js';

/** The conformance suite's contract, catalog and lifecycle checks, against the adapter + fake. */
describe('conformance against the LaunchPad fake', () => {
  let fake: LaunchPadFake;
  let report: ConformanceReport;

  useFake({ before, after }, (f) => (fake = f), { stepMs: 40 });
  before(async () => {
    report = await runConformance({
      provider: testProvider(),
      credential: fake.launchpadCredential(),
      cloudCredRefId: randomUUID(),
      stableInstanceTypeIds: ['pdx/dmz.h100x1.pcie', 'us-tx-1/oci.a100-80gbx1.sxm'],
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
          const remove = fake.inject('GET /v1/catalog/deployments/', {
            status: 503,
            times: 1_000,
          });
          return Promise.resolve(() => {
            remove();
            return Promise.resolve();
          });
        },
      },
    });
  });

  it('passes every check that can run without a machine', () => {
    const failed = report.checks.filter((c) => c.status === 'fail' || c.status === 'error');
    assert.deepEqual(
      failed.map((c) => `${c.id}: ${c.message ?? ''} ${c.expected ?? ''} ${c.actual ?? ''}`),
      [],
    );
    const passed = new Set(report.checks.filter((c) => c.status === 'pass').map((c) => c.id));
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
      'lifecycle.list-by-tag',
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

  it('skips only what a fake without machines or reboot cannot show', () => {
    const skipped = report.checks
      .filter((c) => c.status === 'skip')
      .map((c) => c.id)
      .sort();
    assert.deepEqual(skipped, [
      'firewall.allowed-port-open',
      'firewall.docker-published-port',
      'firewall.other-port-closed',
      'lifecycle.reboot',
      'lifecycle.ssh',
    ]);
  });

  it('leaves nothing running', () => {
    assert.deepEqual(report.leaked, []);
    assert.deepEqual(
      fake.live().map((d) => d.id),
      [],
    );
  });
});
