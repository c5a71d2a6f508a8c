import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WarnOnce } from '@cloudplane/provider-kit';
import { InstanceTypeSchema, memoryLogger, parseMoney } from '@cloudplane/sdk';
import { mapCatalog, regionsOf, typeName, typeNameOf } from '../src/index.js';
import { InstanceTypeWire } from '../src/wire.js';
import { defaultOffers } from './fake/catalog.js';
import type { LaunchPadFake } from './fake/launchpad-fake.js';
import { clientFor, useFake } from './helpers.js';

describe('instance type names', () => {
  it('join cloud, GPU model and count, interconnect and workshop', () => {
    assert.equal(
      typeName({ cloud: 'oci', gpuModel: 'A100-80GB', gpuCount: 1, interconnect: 'SXM' }),
      'oci.a100-80gbx1.sxm',
    );
    assert.equal(
      typeName({
        cloud: 'nebius',
        gpuModel: 'L4',
        gpuCount: 1,
        interconnect: 'pcie',
        workshopId: 'January training',
      }),
      'nebius.l4x1.pcie.january-training',
    );
    assert.equal(
      typeName({ cloud: 'dmz', gpuModel: 'RTX Pro 6000', gpuCount: 8, interconnect: null }),
      'dmz.rtx-pro-6000x8.any',
    );
  });

  it('take a count per region over the list of regions with capacity', () => {
    const wire = {
      ...entry(1),
      capacity: { pdx: 0, 'us-east': 2 },
      regions: ['pdx', 'sjc'],
    };
    assert.deepEqual([...regionsOf(InstanceTypeWire.parse(wire))].sort(), [
      ['pdx', false],
      ['sjc', true],
      ['us-east', true],
    ]);
  });
});

describe('the catalog, through the adapter and the fake', () => {
  let fake: LaunchPadFake;
  // Two entries a page: the five offers take three pages.
  useFake({ before, after }, (f) => (fake = f), { maxPageSize: 2 });

  it('reads every page and publishes one offer per type and region', async () => {
    const { client } = clientFor(fake);
    const before = fake.requests.length;
    const types = await client.getInstanceTypes();
    const pages = fake.requests.slice(before).map((r) => r.query.get('page'));
    assert.deepEqual(pages, ['1', '2', '3']);
    assert.deepEqual(
      types.map((t) => t.id),
      // Sorted by type, then location.
      [
        'pdx/dmz.h100x1.pcie',
        'us-east/dmz.h100x1.pcie',
        'pdx/dmz.l40sx2.pcie',
        'eu-north1/nebius.l4x1.pcie.january-training',
        'us-tx-1/oci.a100-80gbx1.sxm',
        'us-tx-1/oci.gh200x1.sxm',
      ],
    );
    for (const t of types) InstanceTypeSchema.parse(t);
  });

  it('maps the shape: GPUs through the normalizer, memory in GiB, disks in GB, architecture', async () => {
    const { client } = clientFor(fake);
    const [a100] = await client.getInstanceTypes({ instanceTypes: ['oci.a100-80gbx1.sxm'] });
    assert.ok(a100);
    assert.equal(a100.cloud, 'oci');
    assert.equal(a100.provider, 'launchpad');
    assert.equal(a100.vcpu, 16);
    assert.deepEqual(a100.memory, { value: 120, unit: 'GiB' });
    assert.deepEqual(
      a100.storage.map((s) => [s.kind, s.size.value, s.size.unit]),
      [
        ['ssd', 1024, 'GB'],
        ['ssd', 2048, 'GB'],
      ],
    );
    const [gpu] = a100.gpus;
    assert.ok(gpu);
    assert.equal(gpu.count, 1);
    assert.equal(gpu.raw, 'A100-80GB');
    assert.equal(gpu.gpu.name, 'A100');
    assert.equal(gpu.gpu.memoryGiB, 80);
    assert.equal(gpu.gpu.formFactor, 'SXM4');
    assert.equal(a100.stoppable, true);
    assert.equal(a100.rebootable, false);
    const [gh200] = await client.getInstanceTypes({ instanceTypes: ['oci.gh200x1.sxm'] });
    assert.equal(gh200?.architecture, 'arm64');
  });

  it("uses LaunchPad's price, and the operator's where LaunchPad has none", async () => {
    const { client } = clientFor(fake);
    const types = await client.getInstanceTypes();
    const price = (type: string) => types.find((t) => t.type === type)?.price;
    assert.deepEqual(price('oci.a100-80gbx1.sxm'), parseMoney('2.5', 'USD'));
    assert.deepEqual(price('dmz.h100x1.pcie'), parseMoney('2.37', 'USD'));
    // LaunchPad answers 0 for it; the credential's price list has 3.10.
    assert.deepEqual(price('dmz.l40sx2.pcie'), parseMoney('3.10', 'USD'));
  });

  it('leaves out, with one warning, a type nobody prices', async () => {
    const { client, logger } = clientFor(fake, {
      credential: fake.launchpadCredential({ prices: {} }),
    });
    const first = await client.getInstanceTypes();
    await client.getInstanceTypes();
    assert.equal(first.filter((t) => t.type === 'dmz.l40sx2.pcie').length, 0);
    assert.ok(first.some((t) => t.type === 'dmz.h100x1.pcie'));
    const warnings = logger.entries.filter(
      (e) => e.level === 'warn' && e.obj.type === 'dmz.l40sx2.pcie',
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.msg ?? '', /no price/);
  });

  it('marks out-of-stock regions unavailable and keeps their ids', async () => {
    const { client } = clientFor(fake);
    const before = await client.getInstanceTypes();
    assert.equal(before.find((t) => t.id === 'us-tx-1/oci.gh200x1.sxm')?.available, false);
    const restore = fake.exhaustCapacity();
    try {
      const after = await client.getInstanceTypes();
      assert.deepEqual(
        after.map((t) => t.id),
        before.map((t) => t.id),
      );
      assert.ok(after.every((t) => !t.available));
      assert.ok((await client.getLocations()).every((l) => !l.available));
    } finally {
      restore();
    }
  });

  it('lists every region as a location, available where some type has capacity', async () => {
    const { client } = clientFor(fake);
    assert.deepEqual(
      (await client.getLocations()).map((l) => [l.name, l.available]),
      [
        ['eu-north1', true],
        ['pdx', true],
        ['us-east', true],
        ['us-tx-1', true],
      ],
    );
  });

  it('filters, and answers an empty filter without asking LaunchPad', async () => {
    const { client } = clientFor(fake);
    const pdx = await client.getInstanceTypes({ locations: ['pdx'] });
    assert.deepEqual(pdx.map((t) => t.type).sort(), ['dmz.h100x1.pcie', 'dmz.l40sx2.pcie']);
    const arm = await client.getInstanceTypes({ architectures: ['arm64'] });
    assert.deepEqual(
      arm.map((t) => t.type),
      ['oci.gh200x1.sxm'],
    );
    const oci = await client.getInstanceTypes({ clouds: ['oci'] });
    assert.ok(oci.length === 2 && oci.every((t) => t.cloud === 'oci'));
    const before = fake.requests.length;
    assert.deepEqual(await client.getInstanceTypes({ locations: [] }), []);
    assert.equal(fake.requests.length, before);
  });
});

describe('mapCatalog on entries the fake would not send', () => {
  const logger = memoryLogger();
  const warnings = new WarnOnce(logger, 'launchpad');

  it('skips an unreadable entry and two entries a request cannot tell apart, with warnings', () => {
    const twin = { ...entry(1), cpu: 64 };
    const { types } = mapCatalog([entry(0), { cloud: 'x', gpu: 'not an object' }, entry(1), twin], {
      warnings,
    });
    assert.deepEqual(types.map((t) => t.id).sort(), [
      'pdx/dmz.h100x1.pcie',
      'us-east/dmz.h100x1.pcie',
      'us-tx-1/oci.a100-80gbx1.sxm',
    ]);
    assert.equal(types.find((t) => t.id === 'pdx/dmz.h100x1.pcie')?.vcpu, 26, 'the first is kept');
    const messages = logger.entries.filter((e) => e.level === 'warn').map((e) => e.msg);
    assert.ok(messages.some((m) => /cannot be read/.test(m)));
    assert.ok(messages.some((m) => /cannot tell apart/.test(m)));
  });

  it('never makes up a price: a missing or foreign-currency price needs the operator', () => {
    const base = entry(0);
    const noPrice = { ...base, price: undefined };
    const oddCurrency = {
      ...base,
      cloud: 'odd',
      price: { currency: 'XTS', on_demand_per_hour: 1 },
    };
    assert.deepEqual(mapCatalog([noPrice, oddCurrency], { warnings }).types, []);
    const name = typeNameOf(InstanceTypeWire.parse(noPrice));
    const priced = mapCatalog([noPrice], {
      warnings,
      prices: { [name]: { hourly: '1.75', currency: 'EUR' } },
    }).types;
    assert.deepEqual(priced[0]?.price, parseMoney('1.75', 'EUR'));
  });
});

/** Entry `index` of the fake's catalog, as LaunchPad lists it (no region in `regions`). */
function entry(index: number) {
  const offer = defaultOffers()[index];
  assert.ok(offer, `the fake's catalog has an entry ${index}`);
  return { ...offer.type, capacity: offer.capacity, regions: [] as string[] };
}
