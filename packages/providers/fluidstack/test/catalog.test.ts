import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { bytes, InstanceTypeSchema, moneyToDecimal } from '@cloudplane/sdk';
import { parseQuantity } from '../src/index.js';
import type { FluidstackFake } from './fake/fluidstack-fake.js';
import { SPEC_EXAMPLE_TYPE } from './fake/catalog.js';
import { clientFor, countRequests, useFake } from './helpers.js';

describe('Fluidstack catalog', () => {
  let fake: FluidstackFake;
  useFake({ before, after }, (f) => (fake = f));

  it("lists the region's types, priced from the credential, available by capacity", async () => {
    const { client } = clientFor(fake);
    const types = await client.getInstanceTypes();
    for (const t of types) InstanceTypeSchema.parse(t);
    assert.deepEqual(
      types.map((t) => [t.id, moneyToDecimal(t.price), t.available]),
      [
        ['us-west-1/a100-sxm-80gb.1x', '1.65', true],
        ['us-west-1/h100-hgx-80gb.8x', '23.92', true],
        ['us-west-1/l40s-48gb.1x', '0.95', true],
      ],
    );
    const h100 = types.find((t) => t.type === SPEC_EXAMPLE_TYPE.name);
    assert.ok(h100);
    assert.equal(h100.vcpu, 96);
    assert.deepEqual(h100.memory, bytes(960, 'GiB'));
    assert.equal(h100.gpus[0]?.count, 8);
    assert.equal(h100.gpus[0].gpu.name, 'H100');
    assert.equal(h100.gpus[0].raw, 'GH100_H100_SXM5_80GB');
    assert.equal(h100.stoppable, true);
    assert.equal(h100.rebootable, false);
  });

  it('leaves out a type the price list does not price, warning once, and never guesses', async () => {
    const { client, logger } = clientFor(fake);
    await client.getInstanceTypes();
    await client.getInstanceTypes();
    assert.ok(!(await client.getInstanceTypes()).some((t) => t.type === 'gh200-96gb.1x'));
    const warned = logger.entries.filter((e) => e.obj.type === 'gh200-96gb.1x');
    assert.equal(warned.length, 1);
    assert.equal(warned[0]?.level, 'warn');
    assert.match(warned[0].msg, /no price/);
    const priced = clientFor(fake, {
      credential: { prices: { ...fake.fluidstackCredential.prices, 'gh200-96gb.1x': 3.19 } },
    }).client;
    const gh200 = (await priced.getInstanceTypes()).find((t) => t.type === 'gh200-96gb.1x');
    assert.equal(gh200 && moneyToDecimal(gh200.price), '3.19');
    assert.equal(gh200?.architecture, 'arm64', 'Grace pairs the GPU with an Arm CPU');
  });

  it("marks a type without capacity unavailable, and a region's types carry its name", async () => {
    const { client } = clientFor(fake, { location: 'eu-north-1' });
    const types = await client.getInstanceTypes();
    assert.deepEqual(
      types.map((t) => [t.id, t.location, t.available]),
      [
        ['eu-north-1/h200-sxm-141gb.8x', 'eu-north-1', true],
        ['eu-north-1/l40s-48gb.1x', 'eu-north-1', false],
      ],
    );
  });

  it("answers another location's filter without asking Fluidstack", async () => {
    const { client } = clientFor(fake);
    const before = countRequests(fake, 'GET /instance-types');
    assert.deepEqual(await client.getInstanceTypes({ locations: ['eu-north-1'] }), []);
    assert.deepEqual(await client.getInstanceTypes({ instanceTypes: [] }), []);
    assert.equal(countRequests(fake, 'GET /instance-types'), before);
    const named = await client.getInstanceTypes({
      locations: 'all',
      instanceTypes: ['l40s-48gb.1x'],
    });
    assert.deepEqual(
      named.map((t) => t.id),
      ['us-west-1/l40s-48gb.1x'],
    );
  });

  it('leaves out an entry it cannot read, with a warning, keeping the others', async () => {
    const odd: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (!url.endsWith('/instance-types')) return response;
      const body = (await response.json()) as unknown[];
      return Response.json([
        ...body,
        { name: 'broken', cpu: 'many' },
        { name: 'odd', cpu: 4, memory: 'lots' },
      ]);
    };
    const { client, logger } = clientFor(fake, {
      fetch: odd,
      credential: { prices: { ...fake.fluidstackCredential.prices, odd: 1 } },
    });
    const types = await client.getInstanceTypes();
    assert.equal(types.length, 3);
    assert.ok(logger.entries.some((e) => /cannot be read/.test(e.msg)));
    assert.ok(logger.entries.some((e) => e.obj.type === 'odd' && /memory/.test(e.msg)));
  });
});

describe('parseQuantity', () => {
  it('reads Kubernetes quantities with their unit, and refuses the rest', () => {
    assert.deepEqual(parseQuantity('960Gi'), bytes(960, 'GiB'));
    assert.deepEqual(parseQuantity('1.5Ti'), bytes(1.5, 'TiB'));
    assert.deepEqual(parseQuantity('512M'), bytes(512, 'MB'));
    assert.deepEqual(parseQuantity('1024'), bytes(1024, 'B'));
    for (const bad of ['', 'lots', '12Qi', '-4Gi', '0Gi', '4 GiB']) {
      assert.equal(parseQuantity(bad), undefined, bad);
    }
  });
});
