import { describe, it, before, after } from 'node:test';
import {
  assertNothingLeft,
  assertPassed,
  assertSkippedExactly,
  fakeProbes,
  runFakeConformance,
} from '@cloudplane/provider-testkit';
import type { ConformanceReport } from '@cloudplane/conformance';
import type { LambdaFake } from './fake/lambda-fake.js';
import { testProvider, useFake } from './helpers.js';

/** The conformance suite's contract, catalog and lifecycle checks, against the adapter + fake. */
describe('conformance against the Lambda fake', () => {
  let fake: LambdaFake;
  let report: ConformanceReport;

  useFake({ before, after }, (f) => (fake = f), { bootMs: 100, terminateMs: 100 });
  before(async () => {
    report = await runFakeConformance({
      provider: testProvider(),
      credential: fake.credential,
      stableInstanceTypeIds: ['us-east-1/gpu_1x_a10', 'us-west-3/gpu_8x_h100_sxm5'],
      probes: fakeProbes(fake, {
        exhaustCapacity: () => fake.exhaustCapacity(),
        listRoute: 'GET /instances',
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
      'lifecycle.list-by-location',
      'lifecycle.second-client',
      'lifecycle.list-complete',
      'lifecycle.running',
      'lifecycle.reboot',
      'lifecycle.capacity-error',
      'lifecycle.terminate',
      'lifecycle.unknown-id',
    ]);
  });

  it('skips only what a fake without machines, tags or stop cannot show', () => {
    assertSkippedExactly(report, [
      'firewall.allowed-port-open',
      'firewall.docker-published-port',
      'firewall.other-port-closed',
      'lifecycle.list-by-tag',
      'lifecycle.ssh',
      'lifecycle.stop-start',
    ]);
  });

  it('leaves nothing running', () => {
    assertNothingLeft(
      report,
      fake.live().map((i) => i.id),
    );
  });
});
