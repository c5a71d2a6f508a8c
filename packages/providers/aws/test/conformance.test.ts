import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertNothingLeft,
  assertPassed,
  assertSkippedExactly,
  fakeProbes,
  runFakeConformance,
} from '@cloudplane/provider-testkit';
import type { ConformanceReport } from '@cloudplane/conformance';
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
    report = await runFakeConformance({
      provider: testProvider(),
      credential: fake.credential(),
      stableInstanceTypeIds: ['us-east-1/g5.xlarge', 'us-east-1/p4d.24xlarge'],
      // The EC2 fake answers a failing DescribeInstances page with InternalError (500).
      probes: fakeProbes(fake, {
        exhaustCapacity: () => fake.exhaustCapacity(),
        listRoute: 'DescribeInstances',
        failStatus: 500,
      }),
    });
  });

  it('passes every check that can run without a machine', () => {
    assertPassed(report, [
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
    ]);
  });

  it('covers every region of the credential', () => {
    assert.deepEqual((report.facts.locations ?? '').split(', ').sort(), [
      'eu-central-1',
      'us-east-1',
      'us-west-2',
    ]);
  });

  it('skips only what a fake without machines cannot show', () => {
    assertSkippedExactly(report, [
      'firewall.allowed-port-open',
      'firewall.docker-published-port',
      'firewall.other-port-closed',
      'lifecycle.ssh',
    ]);
  });

  it('leaves nothing running', () => {
    assertNothingLeft(
      report,
      fake.live().map((i) => i.id),
    );
  });
});
