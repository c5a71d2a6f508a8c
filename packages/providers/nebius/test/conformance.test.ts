import { describe, it, before, after } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import {
  assertNothingLeft,
  assertPassed,
  assertSkippedExactly,
  fakeProbes,
  runFakeConformance,
  type ProbeTarget,
} from '@cloudplane/provider-testkit';
import type { ConformanceReport } from '@cloudplane/conformance';
import { REGION } from './fake/fixtures.js';
import type { NebiusFake } from './fake/nebius-fake.js';
import { KEY, testProvider, useFake } from './helpers.js';

/**
 * The testkit's probes speak HTTP faults; the gRPC fake takes a status code. The only route the
 * probes fail is the instance list: its page is UNAVAILABLE, as many times as the probe asks.
 */
function grpcFaults(fake: NebiusFake): ProbeTarget {
  return {
    inject: (_listRoute, fault) =>
      fake.inject('InstanceService.List', {
        code: grpc.status.UNAVAILABLE,
        ...(fault.times !== undefined && { times: fault.times }),
      }),
  };
}

/** The conformance suite's contract, catalog and lifecycle checks, against the adapter + fake. */
describe('conformance against the Nebius fake', () => {
  let fake: NebiusFake;
  let report: ConformanceReport;

  // No addresses: the fake has no machines to reach, so the SSH and firewall checks skip.
  useFake({ before, after }, (f) => (fake = f), { assignAddresses: false });
  before(async () => {
    const controller = new AbortController();
    try {
      report = await runFakeConformance({
        provider: testProvider(),
        credential: fake.credential(KEY),
        location: REGION,
        stableInstanceTypeIds: ['eu-north1/gpu-h100-sxm.8gpu-128vcpu-1600gb'],
        signal: controller.signal,
        probes: fakeProbes(grpcFaults(fake), {
          exhaustCapacity: () => fake.exhaustCapacity(),
          // The run has one instance, so one page: it fails (later pages: lifecycle.test.ts).
          listRoute: 'InstanceService.List',
        }),
      });
    } finally {
      controller.abort();
    }
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
      'lifecycle.list-by-tag',
      'lifecycle.reboot',
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
