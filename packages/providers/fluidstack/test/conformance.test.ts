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
    runFakeConformance({
      provider: testProvider(),
      credential: fake.fluidstackCredential,
      ...(location === undefined ? {} : { location }),
      stableInstanceTypeIds: ['us-west-1/l40s-48gb.1x', 'eu-north-1/h200-sxm-141gb.8x'].filter(
        (id) => location === undefined || id.startsWith(`${location}/`),
      ),
      // The fake answers a failing list with 500, as Fluidstack's spec declares.
      probes: fakeProbes(fake, {
        exhaustCapacity: () => fake.exhaustCapacity(),
        listRoute: 'GET /instances',
        failStatus: 500,
      }),
    });

  before(async () => {
    everywhere = await run();
    inOne = await run('eu-north-1');
  });

  it('passes every check that can run without a machine, over every region', () => {
    assertPassed(everywhere, [
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
    assert.equal(everywhere.facts.locations, 'us-west-1, eu-north-1');
  });

  it('passes in one given region, launching there', () => {
    assertPassed(inOne, ['lifecycle.capacity-error']);
    assert.equal(inOne.facts.locations, 'eu-north-1');
    assert.match(inOne.facts.instanceType ?? '', / in eu-north-1 /);
  });

  it('skips only what a fake without machines, tag updates or reboot cannot show', () => {
    assertSkippedExactly(everywhere, [
      'firewall.allowed-port-open',
      'firewall.docker-published-port',
      'firewall.other-port-closed',
      'lifecycle.list-by-tag',
      'lifecycle.reboot',
      'lifecycle.ssh',
    ]);
  });

  it('leaves nothing running: out-of-stock launches were deleted too', () => {
    const live = fake.live().map((i) => `${i.id} ${i.region}`);
    assertNothingLeft(everywhere, live);
    assertNothingLeft(inOne, live);
  });
});
