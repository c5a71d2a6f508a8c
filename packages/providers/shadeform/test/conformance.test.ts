import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { runConformance, type ConformanceReport } from '@cloudplane/conformance';
import { ShadeformFake } from './fake/shadeform-fake.js';
import { testProvider } from './helpers.js';

/** The conformance suite's contract, catalog and lifecycle checks, against the adapter + fake. */
describe('conformance against the Shadeform fake', () => {
  let fake: ShadeformFake;
  let report: ConformanceReport;

  before(async () => {
    fake = await ShadeformFake.start({ bootMs: 100, terminateMs: 100 });
    report = await runConformance({
      provider: testProvider(),
      credential: fake.credential,
      cloudCredRefId: randomUUID(),
      stableInstanceTypeIds: ['us-central-1/massedcompute.A6000', 'us-central-1/hyperstack.A6000'],
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

  after(async () => {
    await fake.close();
    assert.deepEqual(fake.violations, []);
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
      'lifecycle.reboot',
      'lifecycle.capacity-error',
      'lifecycle.terminate',
      'lifecycle.unknown-id',
    ]) {
      assert.ok(passed.has(id), `${id} passed`);
    }
  });

  it('skips only what a fake without machines or stop cannot show', () => {
    const skipped = report.checks
      .filter((c) => c.status === 'skip')
      .map((c) => `${c.id}: ${c.message ?? ''}`)
      .sort();
    assert.deepEqual(
      skipped.map((s) => s.split(':')[0]),
      [
        'firewall.allowed-port-open',
        'firewall.docker-published-port',
        'firewall.other-port-closed',
        'lifecycle.ssh',
        'lifecycle.stop-start',
      ],
      skipped.join('\n'),
    );
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
    assert.deepEqual(report.leaked, []);
    assert.deepEqual(
      fake.live().map((i) => i.id),
      [],
    );
  });
});
