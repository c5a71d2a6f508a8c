import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { runConformance, type ConformanceReport } from '@cloudplane/conformance';
import type { LambdaFake } from './fake/lambda-fake.js';
import { testProvider, useFake } from './helpers.js';

/** The conformance suite's contract, catalog and lifecycle checks, against the adapter + fake. */
describe('conformance against the Lambda fake', () => {
  let fake: LambdaFake;
  let report: ConformanceReport;

  useFake({ before, after }, (f) => (fake = f), { bootMs: 100, terminateMs: 100 });
  before(async () => {
    report = await runConformance({
      provider: testProvider(),
      credential: fake.credential,
      cloudCredRefId: randomUUID(),
      stableInstanceTypeIds: ['us-east-1/gpu_1x_a10', 'us-west-3/gpu_8x_h100_sxm5'],
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
          const remove = fake.inject('GET /instances', { status: 503, times: 1_000 });
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
      'lifecycle.list-by-location',
      'lifecycle.second-client',
      'lifecycle.list-complete',
      'lifecycle.running',
      'lifecycle.reboot',
      'lifecycle.capacity-error',
      'lifecycle.terminate',
      'lifecycle.unknown-id',
    ]) {
      assert.ok(passed.has(id), `${id} passed`);
    }
  });

  it('skips only what a fake without machines, tags or stop cannot show', () => {
    const skipped = report.checks
      .filter((c) => c.status === 'skip')
      .map((c) => c.id)
      .sort();
    assert.deepEqual(skipped, [
      'firewall.allowed-port-open',
      'firewall.docker-published-port',
      'firewall.other-port-closed',
      'lifecycle.list-by-tag',
      'lifecycle.ssh',
      'lifecycle.stop-start',
    ]);
  });

  it('leaves nothing running', () => {
    assert.deepEqual(report.leaked, []);
    assert.deepEqual(
      fake.live().map((i) => i.id),
      [],
    );
  });
});
