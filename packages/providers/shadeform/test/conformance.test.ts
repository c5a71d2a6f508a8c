import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ConformanceReport } from '@cloudplane/conformance';
import {
  assertNothingLeft,
  assertPassed,
  assertSkippedExactly,
  fakeProbes,
  runFakeConformance,
} from '@cloudplane/provider-testkit';
import type { ShadeformFake } from './fake/shadeform-fake.js';
import { testProvider, useFake } from './helpers.js';

/** The conformance suite's contract, catalog and lifecycle checks, against the adapter + fake. */
describe('conformance against the Shadeform fake', () => {
  let fake: ShadeformFake;
  let report: ConformanceReport;

  const started = useFake({ before, after }, { bootMs: 100, terminateMs: 100 });
  before(async () => {
    fake = started();
    report = await runFakeConformance({
      provider: testProvider(),
      credential: fake.credential,
      stableInstanceTypeIds: ['us-central-1/massedcompute.A6000', 'us-central-1/hyperstack.A6000'],
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
      'lifecycle.list-by-tag',
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

  it('skips only what a fake without machines or stop cannot show', () => {
    assertSkippedExactly(report, [
      'firewall.allowed-port-open',
      'firewall.docker-published-port',
      'firewall.other-port-closed',
      'lifecycle.ssh',
      'lifecycle.stop-start',
    ]);
  });

  it('sent the firewall as the startup script of the launch', () => {
    const launch = fake.requests.find((r) => r.path === '/instances/create');
    const body = launch?.body as
      | {
          launch_configuration?: { type: string; script_configuration?: { base64_script: string } };
        }
      | undefined;
    const config = body?.launch_configuration;
    assert.equal(config?.type, 'script');
    const script = Buffer.from(
      config.script_configuration?.base64_script ?? '',
      'base64',
    ).toString();
    assert.match(script, /cloudplane-firewall/);
  });

  it('leaves nothing running', () => {
    assertNothingLeft(
      report,
      fake.live().map((i) => i.id),
    );
  });
});
