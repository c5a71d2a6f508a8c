import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { runConformance, type ConformanceReport } from '@cloudplane/conformance';
import { REGION } from './fake/fixtures.js';
import type { NebiusFake } from './fake/nebius-fake.js';
import { KEY, testProvider, useFake } from './helpers.js';

/** The conformance suite's contract, catalog and lifecycle checks, against the adapter + fake. */
describe('conformance against the Nebius fake', () => {
  let fake: NebiusFake;
  let report: ConformanceReport;

  // No addresses: the fake has no machines to reach, so the SSH and firewall checks skip.
  useFake({ before, after }, (f) => (fake = f), { assignAddresses: false });
  before(async () => {
    const controller = new AbortController();
    try {
      report = await runConformance({
        provider: testProvider(),
        credential: fake.credential(KEY),
        cloudCredRefId: randomUUID(),
        location: REGION,
        stableInstanceTypeIds: ['eu-north1/gpu-h100-sxm.8gpu-128vcpu-1600gb'],
        timeouts: { callMs: 60_000, runningMs: 60_000, transitionMs: 60_000, pollMs: 50 },
        signal: controller.signal,
        probes: {
          provokeCapacityError: () => {
            const restore = fake.exhaustCapacity();
            return Promise.resolve(() => {
              restore();
              return Promise.resolve();
            });
          },
          failListPage: () => {
            // The run has one instance, so one page: it fails (later pages: lifecycle.test.ts).
            const remove = fake.inject('InstanceService.List', {
              code: grpc.status.UNAVAILABLE,
              times: 1_000,
            });
            return Promise.resolve(() => {
              remove();
              return Promise.resolve();
            });
          },
        },
      });
    } finally {
      controller.abort();
    }
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
      'lifecycle.list-by-tag',
      'lifecycle.reboot',
      'lifecycle.ssh',
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
