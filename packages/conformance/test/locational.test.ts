import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { conformanceProbes, startDevcloud, type Devcloud } from '@cloudplane/devcloud';
import {
  DevcloudCredentialSchema,
  provider as devcloud,
  type DevcloudCredential,
} from '@cloudplane/provider-devcloud';
import { CloudError, defineProvider, type CloudClient, type Provider } from '@cloudplane/sdk';
import { runConformance, type ConformanceReport } from '../src/index.js';

/**
 * The suite runs locational providers (a client is bound to one location) the way the control
 * plane does: locations from a client made without one, the catalog from a client per location,
 * the lifecycle with the client of the instance's location. The devcloud adapter, wrapped so that
 * each client sees only its own location, stands in for such a provider; a defect switch makes
 * bound clients ignore their location, which the fan-out must catch.
 */

interface Wrapped {
  readonly provider: Provider<DevcloudCredential>;
  /** The location of every client made, in order (undefined: made without one). */
  readonly made: (string | undefined)[];
}

function locationalDevcloud(options: { ignoreLocation?: boolean } = {}): Wrapped {
  const made: (string | undefined)[] = [];
  const provider = defineProvider<DevcloudCredential>({
    ...devcloud,
    apiType: 'locational',
    makeClient: (context) => {
      made.push(context.location);
      const { location: _bound, ...global } = context;
      const inner = devcloud.makeClient(global);
      return boundTo(inner, context.location, options.ignoreLocation === true);
    },
  });
  return { provider, made };
}

/** `inner` restricted to `location`; without one, it can only list locations. */
function boundTo(inner: CloudClient, location: string | undefined, ignore: boolean): CloudClient {
  const here = (l: string) => ignore || l === location;
  const need = () => {
    if (location === undefined) {
      throw new CloudError('INVALID_ARGUMENT', { message: 'this client has no location' });
    }
  };
  const mine = async (cloudId: string) => {
    need();
    const instance = await inner.getInstance(cloudId);
    if (!here(instance.location)) throw new CloudError('INSTANCE_NOT_FOUND');
    return instance;
  };
  // The devcloud's groups (stopStart, reboot, tags) pass through: ids are the inner client's.
  return {
    ...(inner.stopStart ? { stopStart: inner.stopStart } : {}),
    ...(inner.reboot ? { reboot: inner.reboot } : {}),
    ...(inner.tags ? { tags: inner.tags } : {}),
    providerId: inner.providerId,
    cloudCredRefId: inner.cloudCredRefId,
    getLocations: () => inner.getLocations(),
    getInstanceTypes: async (args) => {
      need();
      return (await inner.getInstanceTypes(ignore ? {} : args)).filter((t) => here(t.location));
    },
    createInstance: (attrs) => {
      need();
      if (!here(attrs.location)) throw new CloudError('INVALID_ARGUMENT');
      return inner.createInstance(attrs);
    },
    getInstance: mine,
    listInstances: async (args) => {
      need();
      return (await inner.listInstances(args)).filter((i) => here(i.location));
    },
    terminateInstance: async (cloudId) => {
      await mine(cloudId).catch((err: unknown) => {
        if (!(err instanceof CloudError && err.code === 'INSTANCE_NOT_FOUND')) throw err;
      });
      await inner.terminateInstance(cloudId);
    },
  };
}

const FAST = { bootStepMs: 20, stopMs: 20, startMs: 20, rebootMs: 20, terminateMs: 20 };
const TIMEOUTS = { pollMs: 50, runningMs: 10_000, transitionMs: 10_000, callMs: 20_000 };

function failures(report: ConformanceReport): string[] {
  return report.checks
    .filter((c) => c.status === 'fail' || c.status === 'error')
    .map((c) => `${c.id}: ${c.message ?? ''}`);
}

describe('conformance suite against a locational provider', () => {
  let cloud: Devcloud;
  let regions: string[];

  before(async () => {
    cloud = await startDevcloud({ timings: FAST, capacityPerOffer: 50 });
    const client = devcloud.makeClient({
      credential: DevcloudCredentialSchema.parse({ apiKey: cloud.apiKey, baseUrl: cloud.url }),
      cloudCredRefId: 'probe',
    });
    regions = (await client.getLocations()).map((l) => l.name).sort();
    assert.ok(regions.length >= 2, 'the devcloud has several regions');
  });
  after(async () => {
    await cloud.close();
  });

  const run = (provider: Provider<DevcloudCredential>, location?: string) =>
    runConformance({
      provider,
      credential: { apiKey: cloud.apiKey, baseUrl: cloud.url },
      probes: conformanceProbes(cloud),
      timeouts: TIMEOUTS,
      ...(location === undefined ? {} : { location }),
    });

  it('without a location: the catalog from every location, the lifecycle in one', async () => {
    const { provider, made } = locationalDevcloud();
    const report = await run(provider);
    assert.deepEqual(failures(report), []);
    assert.deepEqual(report.facts.locations?.split(', ').sort(), regions);
    assert.deepEqual(
      [...new Set(made.filter((l) => l !== undefined))].sort(),
      regions,
      'a client was made for each location',
    );
    assert.ok(made.includes(undefined), 'locations came from a client without one');
    assert.equal(report.checks.find((c) => c.id === 'lifecycle.create')?.status, 'pass');
    assert.equal(report.checks.find((c) => c.id === 'lifecycle.second-client')?.status, 'pass');
    assert.deepEqual(report.leaked, []);
  });

  it('with a location: only that location, where it also launches', async () => {
    const { provider, made } = locationalDevcloud();
    const where = regions[1] ?? '';
    const report = await run(provider, where);
    assert.deepEqual(failures(report), []);
    assert.equal(report.facts.locations, where);
    assert.deepEqual([...new Set(made.filter((l) => l !== undefined))], [where]);
    assert.match(report.facts.instanceType ?? '', new RegExp(` in ${where} `));
    assert.deepEqual(report.leaked, []);
  });

  it('fails catalog.locations for a location the provider does not list', async () => {
    const { provider } = locationalDevcloud();
    const report = await run(provider, 'nowhere-1');
    const check = report.checks.find((c) => c.id === 'catalog.locations');
    assert.equal(check?.status, 'fail');
    assert.match(check.message ?? '', /not one getLocations\(\) lists/);
  });

  it('catches bound clients that ignore their location (the same types from each)', async () => {
    const { provider } = locationalDevcloud({ ignoreLocation: true });
    const report = await run(provider);
    assert.equal(report.checks.find((c) => c.id === 'catalog.ids-unique')?.status, 'fail');
    assert.deepEqual(report.leaked, []);
  });
});
