import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { runConformance, type ConformanceReport } from '@cloudplane/conformance';
import type { Ec2Fake } from './fake/ec2-fake.js';
import { testProvider, useFake } from './helpers.js';

/**
 * The conformance suite's contract, catalog and lifecycle checks, against the adapter + fake.
 * Given no location, the runner covers every location getLocations() lists, one client each.
 */
describe('conformance against the EC2 fake', () => {
  let fake: Ec2Fake;
  let report: ConformanceReport;

  useFake({ before, after }, (f) => (fake = f), {
    bootMs: 100,
    stopMs: 100,
    terminateMs: 100,
    pageSize: 2,
  });
  before(async () => {
    report = await runConformance({
      provider: testProvider(),
      credential: fake.credential(),
      cloudCredRefId: randomUUID(),
      stableInstanceTypeIds: ['us-east-1/g5.xlarge', 'us-east-1/p4d.24xlarge'],
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
          const remove = fake.inject('DescribeInstances', { code: 'InternalError', times: 1_000 });
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
      failed.map(
        (c) =>
          `${c.id}: ${c.message ?? ''} ${JSON.stringify(c.expected ?? '')} ${JSON.stringify(c.actual ?? '')}`,
      ),
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
      'catalog.storage-prices',
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
      'lifecycle.reboot',
      'lifecycle.capacity-error',
      'lifecycle.terminate',
      'lifecycle.unknown-id',
    ]) {
      assert.ok(passed.has(id), `${id} passed`);
    }
  });

  it('covers every region of the credential', () => {
    assert.deepEqual((report.facts.locations ?? '').split(', ').sort(), [
      'eu-central-1',
      'us-east-1',
      'us-west-2',
    ]);
  });

  it('skips only what a fake without machines cannot show', () => {
    const skipped = report.checks
      .filter((c) => c.status === 'skip')
      .map((c) => c.id)
      .sort();
    assert.deepEqual(skipped, [
      'firewall.allowed-port-open',
      'firewall.docker-published-port',
      'firewall.other-port-closed',
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
