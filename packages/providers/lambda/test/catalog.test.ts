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
import { KNOWN_REGIONS } from '../src/index.js';
import { mapCatalog } from '../src/catalog.js';
import { defaultOffers, SPEC_EXAMPLE_REGION, type FakeOffer } from './fake/catalog.js';
import type { LambdaFake } from './fake/lambda-fake.js';
import { lambdaSpec } from './fake/spec.js';
import { clientFor, useFake, withFake } from './helpers.js';

describe('catalog', () => {
  let fake: LambdaFake;
  useFake({ before, after }, (f) => (fake = f));

  it('gives one available InstanceType per type and region with capacity', async () => {
    const { client } = clientFor(fake);
    const types = await client.getInstanceTypes();
    for (const t of types) InstanceTypeSchema.parse(t);
    const a10 = types.filter((t) => t.type === 'gpu_1x_a10');
    assert.deepEqual(
      a10.map((t) => [t.id, t.location, t.available]),
      [
        ['us-east-1/gpu_1x_a10', 'us-east-1', true],
        ['us-west-1/gpu_1x_a10', 'us-west-1', true],
      ],
    );
    const [first] = a10;
    assert.ok(first);
    assert.equal(first.id, instanceTypeId({ location: 'us-east-1', type: 'gpu_1x_a10' }));
    assert.equal(first.provider, 'lambda');
    assert.equal(first.cloud, 'lambda');
    assert.deepEqual(first.price, { amount: 75, scale: 2, currency: 'USD' });
    assert.deepEqual(first.memory, { value: 200, unit: 'GiB' });
    assert.deepEqual(first.storage, [
      { kind: 'ssd', count: 1, size: { value: 1400, unit: 'GiB' }, elastic: false },
    ]);
    assert.equal(first.vcpu, 30);
    assert.equal(first.rebootable, true);
    assert.equal(first.stoppable, false);
    assert.equal(first.canModifyFirewallRules, false);
  });

  it('reports a type without capacity once per known region, unavailable, with stable ids', async () => {
    const { client } = clientFor(fake);
    const a100 = (await client.getInstanceTypes()).filter(
      (t) => t.type === 'gpu_8x_a100_80gb_sxm4',
    );
    const locations = await client.getLocations();
    assert.deepEqual(
      a100.map((t) => t.location),
      locations.map((l) => l.name),
    );
    assert.ok(a100.every((t) => !t.available));
    for (const r of KNOWN_REGIONS)
      assert.ok(
        a100.some((t) => t.location === r.name),
        r.name,
      );
    // When capacity appears, the entry for that region keeps its id and becomes available.
    fake.setCapacity('gpu_8x_a100_80gb_sxm4', 'us-midwest-1', 1);
    const after = (await client.getInstanceTypes()).filter(
      (t) => t.type === 'gpu_8x_a100_80gb_sxm4',
    );
    assert.deepEqual(
      after.map((t) => [t.id, t.available]),
      [['us-midwest-1/gpu_8x_a100_80gb_sxm4', true]],
    );
    assert.ok(a100.some((t) => t.id === after[0]?.id));
    fake.setCapacity('gpu_8x_a100_80gb_sxm4', 'us-midwest-1', 0);
  });

  it('normalizes GPUs with the SDK normalizer, keeping the raw description', async () => {
    const { client } = clientFor(fake);
    const types = await client.getInstanceTypes({ locations: 'all' });
    const gpuOf = (type: string) => types.find((t) => t.type === type)?.gpus;
    assert.deepEqual(gpuOf('gpu_8x_h100_sxm5'), [
      {
        count: 8,
        raw: 'H100 (80 GB SXM5)',
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
    // Lambda's "RTX 6000" is the Turing Quadro (provider-scoped alias in the normalizer).
    assert.equal(gpuOf('gpu_1x_rtx6000')?.[0]?.gpu.name, 'QRTX6000');
    const gh200 = types.find((t) => t.type === 'gpu_1x_gh200');
    assert.ok(gh200);
    assert.equal(gh200.gpus[0]?.gpu.formFactor, 'Superchip');
    assert.equal(gh200.architecture, 'arm64', 'Grace superchips have Arm CPUs');
    assert.equal(types.find((t) => t.type === 'gpu_1x_a10')?.architecture, 'x86_64');
  });

  it("serves the spec's own instanceType example, and logs the normalizer's doubt once", async () => {
    const { client, logger } = clientFor(fake);
    await client.getInstanceTypes();
    const types = await client.getInstanceTypes();
    const example = types.find(
      (t) => t.type === 'gpu_1x_a100' && t.location === SPEC_EXAMPLE_REGION.name,
    );
    assert.ok(example);
    const [gpu] = example.gpus;
    assert.ok(gpu);
    assert.equal(gpu.count, 4);
    assert.equal(gpu.raw, 'RTX A100 (24 GB)');
    assert.equal(moneyToDecimal(example.price), '1.10');
    const doubts = logger.entries.filter((e) => e.obj.type === 'gpu_1x_a100');
    assert.equal(doubts.length, 1, 'one warning although the catalog was read twice');
    assert.equal(doubts[0]?.obj.warning, 'name-memory-conflict');
  });

  it('filters by location and type name; an empty filter asks nothing', async () => {
    const { client } = clientFor(fake);
    const inUtah = await client.getInstanceTypes({ locations: ['us-west-3'] });
    assert.ok(inUtah.length > 0 && inUtah.every((t) => t.location === 'us-west-3'));
    const named = await client.getInstanceTypes({ instanceTypes: ['gpu_1x_gh200'] });
    assert.deepEqual(
      named.map((t) => t.id),
      ['us-east-3/gpu_1x_gh200'],
    );
    const asked = fake.requests.length;
    assert.deepEqual(await client.getInstanceTypes({ locations: [] }), []);
    assert.equal(fake.requests.length, asked);
  });

  it('lists known regions and the regions Lambda names, all valid Locations', async () => {
    const { client } = clientFor(fake);
    const locations = await client.getLocations();
    for (const l of locations) LocationSchema.parse(l);
    const names = locations.map((l) => l.name);
    assert.ok(names.includes(SPEC_EXAMPLE_REGION.name), 'a region seen only in the answer');
    assert.equal(
      locations.find((l) => l.name === SPEC_EXAMPLE_REGION.name)?.description,
      SPEC_EXAMPLE_REGION.description,
    );
    assert.equal(locations.find((l) => l.name === 'europe-central-1')?.country, 'DE');
    assert.equal(new Set(names).size, names.length);
  });

  it('reads a large catalog completely (600 types, 15 regions with capacity)', async () => {
    const regions = KNOWN_REGIONS.map((r) => r.name);
    const offers: FakeOffer[] = Array.from({ length: 600 }, (_, i) => ({
      instanceType: {
        name: `gpu_${(i % 8) + 1}x_h100_v${i}`,
        description: `${(i % 8) + 1}x H100 (80 GB SXM5)`,
        gpu_description: 'H100 (80 GB SXM5)',
        price_cents_per_hour: 199 + i,
        specs: { vcpus: 26, memory_gib: 225, storage_gib: 2800, gpus: (i % 8) + 1 },
      },
      capacity: Object.fromEntries(regions.map((r, k) => [r, (i + k) % 3])),
    }));
    return withFake({ offers }, async (big) => {
      const { client } = clientFor(big);
      const types = await client.getInstanceTypes();
      const expected = offers.reduce(
        (n, o) => n + Math.max(1, Object.values(o.capacity).filter((c) => c > 0).length),
        0,
      );
      const withoutCapacity = offers.filter((o) =>
        Object.values(o.capacity).every((c) => c === 0),
      ).length;
      assert.equal(withoutCapacity, 0, 'every generated type has capacity somewhere');
      assert.equal(types.length, expected);
      assert.equal(new Set(types.map((t) => t.id)).size, types.length, 'ids are unique');
      const priced = types.find((t) => t.type.endsWith('_v599'));
      assert.equal(priced && moneyToDecimal(priced.price), '7.98');
    });
  });
});

describe('catalog mapping of odd entries', () => {
  it('leaves out an entry it cannot read, with a warning, and keeps the rest', () => {
    const logger = memoryLogger();
    const [good] = defaultOffers();
    assert.ok(good);
    const catalog = mapCatalog(
      {
        good: {
          instance_type: good.instanceType,
          regions_with_capacity_available: [SPEC_EXAMPLE_REGION],
        },
        broken: { instance_type: { name: 'broken' }, regions_with_capacity_available: [] },
        zero_cpu: {
          instance_type: {
            ...good.instanceType,
            name: 'zero_cpu',
            specs: { ...good.instanceType.specs, vcpus: 0 },
          },
          regions_with_capacity_available: [SPEC_EXAMPLE_REGION],
        },
      },
      new WarnOnce(logger, 'lambda'),
    );
    assert.deepEqual(
      catalog.types.map((t) => t.type),
      [good.instanceType.name],
    );
    const warned = logger.entries
      .filter((e) => e.msg.includes('left out of the catalog'))
      .map((e) => e.obj.type);
    assert.deepEqual(warned.sort(), ['broken', 'zero_cpu']);
  });

  it("reads prices written as strings, as the spec's own example does", () => {
    const [example] = lambdaSpec.examplesOf('instanceTypes_200_response') as {
      data: Record<string, { instance_type: Record<string, unknown> }>;
    }[];
    assert.ok(example);
    const price = example.data.gpu_1x_a100?.instance_type.price_cents_per_hour;
    assert.equal(price, '80', 'the spec example writes cents as a string');
    const [good] = defaultOffers();
    assert.ok(good);
    const catalog = mapCatalog(
      {
        a: {
          instance_type: { ...good.instanceType, price_cents_per_hour: '80' },
          regions_with_capacity_available: [SPEC_EXAMPLE_REGION],
        },
      },
      new WarnOnce(memoryLogger(), 'lambda'),
    );
    assert.deepEqual(catalog.types[0]?.price, { amount: 80, scale: 2, currency: 'USD' });
  });

  it("cannot serve the spec's example of the whole answer: it breaks the spec's own schema", () => {
    const [example] = lambdaSpec.examplesOf('instanceTypes_200_response');
    assert.throws(() => {
      lambdaSpec.assertResponse('get', '/instance-types', 200, example);
    }, /price_cents_per_hour|gpu_description|gpus/);
  });
});
