import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  conformanceProbes,
  createNetnsBackend,
  startDevcloud,
  type Devcloud,
  type NetnsBackend,
} from '@cloudplane/devcloud';
import { DEVCLOUD_DEFECTS, provider, type DevcloudDefect } from '@cloudplane/provider-devcloud';
import { CHECK_IDS, runConformance, type ConformanceReport } from '../src/index.js';

/**
 * The suite proves itself: clean devcloud passes every check that applies, and each defect
 * switch fails exactly the checks that name that defect, and no others. A check that cannot fail
 * would show up here as a defect nobody catches.
 */

const NETNS_ONLY: readonly DevcloudDefect[] = ['firewall-leaves-port-open', 'wrong-public-key'];

/**
 * Each defect → every verdict that must change from the clean run, as `check:status`. The first
 * names the defect; the others follow from it for a stated reason:
 * - unstable ids also break the subset test (ids differ between calls) and create (the instance's
 *   id cannot equal a catalog id that keeps changing);
 * - a missing reboot group makes lifecycle.reboot skip, pointing at contract.capabilities;
 * - with the wrong key installed nothing can log in, so the firewall checks cannot start their
 *   listeners and skip, pointing at lifecycle.ssh.
 */
const EXPECTED_CHANGES: Readonly<Record<DevcloudDefect, readonly string[]>> = {
  'unstable-type-ids': [
    'catalog.ids-stable:fail',
    'catalog.location-subset:fail',
    'lifecycle.create:fail',
  ],
  'duplicate-type-ids': ['catalog.ids-unique:fail'],
  'instance-type-id-mismatch': ['lifecycle.create:fail'],
  'missing-ref-id': ['lifecycle.create:fail'],
  'wrong-cloud-cred-ref-id': ['lifecycle.second-client:fail'],
  'partial-list': ['lifecycle.list-complete:fail'],
  'terminate-not-idempotent': ['lifecycle.terminate:fail'],
  'generic-capacity-error': ['lifecycle.capacity-error:fail'],
  'missing-declared-capability': ['contract.capabilities:fail', 'lifecycle.reboot:skip'],
  'firewall-leaves-port-open': ['firewall.other-port-closed:fail'],
  'wrong-public-key': [
    'lifecycle.ssh:fail',
    'firewall.allowed-port-open:skip',
    'firewall.other-port-closed:skip',
  ],
};

const FAST = { bootStepMs: 20, stopMs: 20, startMs: 20, rebootMs: 20, terminateMs: 20 };

async function run(cloud: Devcloud, defects: DevcloudDefect[]): Promise<ConformanceReport> {
  return runConformance({
    provider,
    credential: { apiKey: cloud.apiKey, baseUrl: cloud.url, defects },
    probes: conformanceProbes(cloud),
    timeouts: { pollMs: 50, runningMs: 10_000, transitionMs: 10_000, callMs: 20_000 },
  });
}

function verdicts(report: ConformanceReport): Map<string, string> {
  return new Map(report.checks.map((c) => [c.id, c.status]));
}

describe('conformance suite against devcloud (virtual backend)', () => {
  let cloud: Devcloud;
  let baseline: ConformanceReport;

  before(async () => {
    cloud = await startDevcloud({ timings: FAST, capacityPerOffer: 50 });
    baseline = await run(cloud, []);
  });
  after(async () => {
    await cloud.close();
  });

  it('passes every check that applies, and skips only machine checks and unset options', () => {
    const failed = baseline.checks.filter((c) => c.status === 'fail' || c.status === 'error');
    assert.deepEqual(failed, []);
    const skipped = baseline.checks
      .filter((c) => c.status === 'skip')
      .map((c) => c.id)
      .sort();
    assert.deepEqual(skipped, [
      'catalog.stable-ids-exist',
      'firewall.allowed-port-open',
      'firewall.docker-published-port',
      'firewall.other-port-closed',
      'lifecycle.ssh',
    ]);
    assert.deepEqual(
      baseline.checks.map((c) => c.id),
      [...CHECK_IDS],
    );
    assert.deepEqual(baseline.leaked, []);
  });

  for (const defect of DEVCLOUD_DEFECTS.filter((d) => !NETNS_ONLY.includes(d))) {
    it(`catches the "${defect}" defect with exactly the checks that name it`, async () => {
      const report = await run(cloud, [defect]);
      const base = verdicts(baseline);
      const changed = report.checks
        .filter((c) => base.get(c.id) !== c.status)
        .map((c) => `${c.id}:${c.status}`);
      const expected = EXPECTED_CHANGES[defect];
      assert.deepEqual(changed.sort(), [...expected].sort());
      for (const check of report.checks.filter((c) => c.status === 'fail')) {
        assert.ok(check.hint && check.hint.length > 0, `${check.id} names its rule`);
        assert.ok(check.message, `${check.id} says what was wrong`);
      }
      assert.deepEqual(report.leaked, [], 'nothing is left behind');
    });
  }

  it('leaves nothing in the cloud after every run', async () => {
    const response = await fetch(`${cloud.url}/v1/instances?limit=500`, {
      headers: { authorization: `Bearer ${cloud.apiKey}` },
    });
    const body = (await response.json()) as { instances: { status: string }[] };
    assert.deepEqual(
      body.instances.filter((i) => i.status !== 'terminated' && i.status !== 'terminating'),
      [],
    );
  });
});

describe('abort mid-lifecycle', () => {
  it('skips the rest, cleans up, and reports nothing leaked', async () => {
    const cloud = await startDevcloud({ timings: { ...FAST, bootStepMs: 500 } });
    try {
      const controller = new AbortController();
      const report = await runConformance({
        provider,
        credential: { apiKey: cloud.apiKey, baseUrl: cloud.url },
        signal: controller.signal,
        timeouts: { pollMs: 50, runningMs: 10_000 },
        onProgress: (r) => {
          if (r.id === 'lifecycle.get') controller.abort(new Error('Ctrl-C'));
        },
      });
      assert.equal(report.checks.find((c) => c.id === 'lifecycle.create')?.status, 'pass');
      assert.ok(report.checks.filter((c) => c.message === 'aborted').length > 5);
      assert.deepEqual(report.leaked, []);
      const live = cloud.cloud.liveCount;
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(live <= 1 && cloud.cloud.liveCount === 0, 'the launched instance is terminated');
    } finally {
      await cloud.close();
    }
  });
});

describe('conformance suite against devcloud (netns backend: real machines, root)', () => {
  let cloud: Devcloud;
  let backend: NetnsBackend;
  let baseline: ConformanceReport;

  before(async () => {
    backend = await createNetnsBackend();
    cloud = await startDevcloud({ backend, timings: FAST, capacityPerOffer: 50 });
    baseline = await run(cloud, []);
  });
  after(async () => {
    await cloud.close();
    assert.deepEqual(await backend.leftovers(), [], 'no namespace, veth or bridge is left');
  });

  it('passes every check, including SSH with the launch key and the firewall', () => {
    const notPassed = baseline.checks
      .filter((c) => c.status !== 'pass')
      .map((c) => `${c.id}:${c.status}`);
    assert.deepEqual(notPassed, [
      'catalog.stable-ids-exist:skip',
      'firewall.docker-published-port:skip',
    ]);
    assert.equal(
      baseline.checks.find((c) => c.id === 'firewall.docker-published-port')?.message,
      'Docker is not on the image',
    );
    assert.match(baseline.facts.hostKey ?? '', /^SHA256:/);
  });

  for (const defect of NETNS_ONLY) {
    it(`catches the "${defect}" defect on a real machine`, async () => {
      const report = await run(cloud, [defect]);
      const base = verdicts(baseline);
      const changed = report.checks
        .filter((c) => base.get(c.id) !== c.status)
        .map((c) => `${c.id}:${c.status}`);
      assert.deepEqual(changed.sort(), [...EXPECTED_CHANGES[defect]].sort());
      assert.deepEqual(report.leaked, []);
    });
  }
});
