import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WarnOnce } from '@cloudplane/provider-kit';
import {
  instanceTypeId,
  InstanceTypeSchema,
  LocationSchema,
  memoryLogger,
  moneyToDecimal,
} from '@cloudplane/sdk';
import { mapCatalog } from '../src/catalog.js';
import { SPEC_EXAMPLE, defaultOffers, type FakeOffer } from './fake/catalog.js';
import { clientFor, useFake, withFake } from './helpers.js';

describe('catalog', () => {
  const fake = useFake({ before, after });

  it('gives one InstanceType per (cloud, type, region), available as Shadeform says', async () => {
    const { client } = clientFor(fake());
    const types = await client.getInstanceTypes();
    for (const t of types) InstanceTypeSchema.parse(t);
    const example = types.filter((t) => t.type === 'hyperstack.A6000');
    assert.deepEqual(
      example.map((t) => [t.id, t.location, t.available]),
      [
        ['us-central-1/hyperstack.A6000', 'us-central-1', true],
        ['us-central-2/hyperstack.A6000', 'us-central-2', false],
      ],
    );
    const [first] = example;
    assert.ok(first);
    assert.equal(first.id, instanceTypeId({ location: 'us-central-1', type: 'hyperstack.A6000' }));
    assert.equal(first.provider, 'shadeform');
    assert.equal(first.cloud, 'hyperstack');
    assert.deepEqual(first.price, { amount: 210, scale: 2, currency: 'USD' }, 'cents, exact');
    assert.equal(moneyToDecimal(first.price), '2.10');
    assert.deepEqual(first.memory, { value: SPEC_EXAMPLE.configuration.memory_in_gb, unit: 'GiB' });
    assert.deepEqual(first.storage, [
      { kind: 'ssd', count: 1, size: { value: 256, unit: 'GB' }, elastic: false },
    ]);
    assert.equal(first.vcpu, 6);
    assert.equal(first.estimatedDeploySeconds, 300);
    assert.equal(first.rebootable, true);
    assert.equal(first.stoppable, false);
    assert.equal(first.canModifyFirewallRules, false);
    // Two clouds sell an A6000 in us-central-1: two offers, two ids.
    const central = types.filter((t) => t.location === 'us-central-1').map((t) => t.id);
    assert.ok(central.includes('us-central-1/massedcompute.A6000'));
  });

  it('keeps the ids of a sold-out offer, unavailable, and brings it back when stock returns', async () => {
    const { client } = clientFor(fake());
    const id = 'us-houston-1/denvr.GH200';
    fake().setCapacity('denvr', 'GH200', 'us-houston-1', 0);
    const out = (await client.getInstanceTypes()).find((t) => t.id === id);
    assert.equal(out?.available, false);
    fake().setCapacity('denvr', 'GH200', 'us-houston-1', 1);
    const back = (await client.getInstanceTypes()).find((t) => t.id === id);
    assert.equal(back?.available, true);
  });

  it("normalizes GPUs from Shadeform's own fields with the SDK normalizer", async () => {
    const { client } = clientFor(fake());
    const types = await client.getInstanceTypes({ locations: 'all' });
    const gpuOf = (type: string) => types.find((t) => t.type === type)?.gpus;
    assert.deepEqual(gpuOf('lambdalabs.H100_sxm5x8'), [
      {
        count: 8,
        raw: 'H100',
        nvlink: true,
        gpu: {
          name: 'H100',
          manufacturer: 'NVIDIA',
          memoryGiB: 80,
          memoryType: 'HBM3',
          formFactor: 'SXM5',
          architecture: 'Hopper',
        },
      },
    ]);
    assert.equal(gpuOf('massedcompute.A6000')?.[0]?.gpu.name, 'RTXA6000');
    assert.equal(gpuOf('datacrunch.A100_80G')?.[0]?.gpu.memoryGiB, 80);
    const gh200 = types.find((t) => t.type === 'denvr.GH200');
    assert.equal(gh200?.gpus[0]?.gpu.formFactor, 'Superchip');
    assert.equal(gh200.architecture, 'arm64', 'Grace superchips have Arm CPUs');
  });

  it("serves the spec's own example, and logs the normalizer's doubt once", async () => {
    const { client, logger } = clientFor(fake());
    await client.getInstanceTypes();
    const types = await client.getInstanceTypes();
    const example = types.find((t) => t.type === 'hyperstack.A6000');
    assert.equal(example?.gpus[0]?.raw, 'A100', 'the example says A100 with 48 GB');
    const doubts = logger.entries.filter((e) => e.obj.type === 'hyperstack.A6000');
    assert.equal(doubts.length, 1, 'one warning although the catalog was read twice');
    assert.equal(doubts[0]?.obj.warning, 'name-memory-conflict');
  });

  it('filters by location and type name; an empty filter asks nothing', async () => {
    const { client } = clientFor(fake());
    const central = await client.getInstanceTypes({ locations: ['us-central-1'] });
    assert.ok(central.length > 1 && central.every((t) => t.location === 'us-central-1'));
    const named = await client.getInstanceTypes({ instanceTypes: ['datacrunch.A100_80G'] });
    assert.deepEqual(named.map((t) => t.id).sort(), [
      'FIN-01/datacrunch.A100_80G',
      'ICE-01/datacrunch.A100_80G',
    ]);
    const asked = fake().requests.length;
    assert.deepEqual(await client.getInstanceTypes({ locations: [] }), []);
    assert.equal(fake().requests.length, asked);
  });

  it('lists every region any type names, available when a type can launch there', async () => {
    const { client } = clientFor(fake());
    const locations = await client.getLocations();
    for (const l of locations) LocationSchema.parse(l);
    const byName = new Map(locations.map((l) => [l.name, l]));
    assert.equal(byName.get('us-central-1')?.description, 'US, Wichita, KS');
    assert.equal(byName.get('us-central-1')?.available, true);
    assert.equal(byName.get('us-central-2')?.available, false);
    assert.equal(byName.get('ny-2')?.available, false);
    assert.equal(new Set(locations.map((l) => l.name)).size, locations.length);
  });

  it('reads a large catalog completely (3000 types over 4 regions each)', () => {
    const regions = ['us-east-1', 'us-west-1', 'eu-west-1', 'ap-south-1'];
    const gpus = [
      { type: 'H100', vram: 80, interconnect: 'sxm5' },
      { type: 'A100', vram: 80, interconnect: 'sxm4' },
      { type: 'L40S', vram: 48, interconnect: 'pcie' },
      { type: 'A6000', vram: 48, interconnect: 'pcie' },
    ];
    const [template] = defaultOffers();
    assert.ok(template);
    const offers: FakeOffer[] = Array.from({ length: 3000 }, (_, i) => {
      const gpu = gpus[i % gpus.length] ?? gpus[0];
      assert.ok(gpu);
      return {
        type: {
          ...template.type,
          cloud: `cloud${i % 25}`,
          shade_instance_type: `${gpu.type}x${(i % 8) + 1}_v${i}`,
          configuration: {
            ...template.type.configuration,
            gpu_type: gpu.type,
            vram_per_gpu_in_gb: gpu.vram,
            interconnect: gpu.interconnect,
            num_gpus: (i % 8) + 1,
          },
          hourly_price: 99 + i,
        },
        capacity: Object.fromEntries(regions.map((r, k) => [r, (i + k) % 3])),
      };
    });
    return withFake({ offers }, async (big) => {
      const { client } = clientFor(big);
      const types = await client.getInstanceTypes();
      assert.equal(types.length, 3000 * regions.length);
      assert.equal(new Set(types.map((t) => t.id)).size, types.length, 'ids are unique');
      const available = types.filter((t) => t.available).length;
      assert.equal(
        available,
        offers.reduce((n, o) => n + Object.values(o.capacity).filter((c) => c > 0).length, 0),
      );
      const priced = types.find((t) => t.type.endsWith('_v2999'));
      assert.equal(priced && moneyToDecimal(priced.price), '30.98');
      assert.ok(types.every((t) => t.gpus[0]?.gpu.name !== null));
    });
  });
});

describe('catalog mapping of odd entries', () => {
  const [good] = defaultOffers();
  const entry = (extra: Record<string, unknown> = {}) => ({
    ...good?.type,
    availability: [{ region: 'r1', available: true, display_name: 'Region 1' }],
    ...extra,
  });

  it('leaves out entries it cannot read or that make no valid type, with a warning', () => {
    const logger = memoryLogger();
    const warnings = new WarnOnce(logger, 'shadeform');
    const catalog = mapCatalog(
      [
        entry(),
        { cloud: 'broken', shade_instance_type: 'X' },
        entry({
          shade_instance_type: 'zero_cpu',
          configuration: { ...good?.type.configuration, vcpus: 0 },
        }),
        entry({ cloud: 'dotted.cloud' }),
        entry(),
      ],
      warnings,
    );
    assert.deepEqual(
      catalog.types.map((t) => t.id),
      [`r1/${good?.type.cloud ?? ''}.${good?.type.shade_instance_type ?? ''}`],
    );
    const warned = logger.entries.map((e) => e.msg);
    assert.ok(warned.some((m) => m.includes('cannot be read')));
    assert.ok(warned.some((m) => m.includes('does not make a valid InstanceType')));
    assert.ok(warned.some((m) => m.includes('has a dot')));
    assert.ok(warned.some((m) => m.includes('twice in one region')));
  });
});
