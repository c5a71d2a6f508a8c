import { describe, it, before, after } from 'node:test';
import {
  assertNothingLeft,
  assertPassed,
  assertSkippedExactly,
  fakeProbes,
  runFakeConformance,
} from '@cloudplane/provider-testkit';
import type { ConformanceReport } from '@cloudplane/conformance';
import type { LaunchPadFake } from './fake/launchpad-fake.js';
import { testProvider, useFake } from './helpers.js';

/** The conformance suite's contract, catalog and lifecycle checks, against the adapter + fake. */
describe('conformance against the LaunchPad fake', () => {
  let fake: LaunchPadFake;
  let report: ConformanceReport;

  useFake({ before, after }, (f) => (fake = f), { stepMs: 40 });
  before(async () => {
    report = await runFakeConformance({
      provider: testProvider(),
      credential: fake.launchpadCredential(),
      stableInstanceTypeIds: ['pdx/dmz.h100x1.pcie', 'us-tx-1/oci.a100-80gbx1.sxm'],
      probes: fakeProbes(fake, {
        exhaustCapacity: () => fake.exhaustCapacity(),
        listRoute: 'GET /v1/catalog/deployments/',
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
    ]);
  });

  it('skips only what a fake without machines or reboot cannot show', () => {
    assertSkippedExactly(report, [
      'firewall.allowed-port-open',
      'firewall.docker-published-port',
      'firewall.other-port-closed',
      'lifecycle.reboot',
      'lifecycle.ssh',
    ]);
  });

  it('leaves nothing running', () => {
    assertNothingLeft(
      report,
      fake.live().map((d) => d.id),
    );
  });
});
