import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { moneyToDecimal } from '@cloudplane/sdk';
import { PROJECT_ID, REGION } from './fake/fixtures.js';
import type { NebiusFake } from './fake/nebius-fake.js';
import { clientFor, KEY, useFake } from './helpers.js';

describe('catalog', () => {
  let fake: NebiusFake;
  useFake({ before, after }, (f) => (fake = f));

  it("has one location: the project's region, read from ProjectService", async () => {
    const { client } = clientFor(fake);
    assert.deepEqual(await client.getLocations(), [
      { name: REGION, description: 'Nebius eu-north1 (Finland)', available: true, country: 'FI' },
    ]);
    assert.equal(fake.callsOf('ProjectService.Get').at(-1)?.request.id, PROJECT_ID);
  });

  it('lists every priced preset of every page of platforms, with the GPU normalized', async () => {
    const { client } = clientFor(fake);
    const before = fake.callsOf('PlatformService.List').length;
    const types = await client.getInstanceTypes();
    assert.equal(
      fake.callsOf('PlatformService.List').length - before,
      2,
      'two pages of two platforms',
    );
    const h100 = types.find((t) => t.type === 'gpu-h100-sxm.8gpu-128vcpu-1600gb');
    assert.ok(h100);
    assert.equal(h100.id, `${REGION}/gpu-h100-sxm.8gpu-128vcpu-1600gb`);
    assert.equal(h100.vcpu, 128);
    assert.deepEqual(h100.memory, { value: 1600, unit: 'GiB' });
    const [gpu] = h100.gpus;
    assert.ok(gpu);
    assert.equal(gpu.count, 8);
    assert.equal(gpu.gpu.name, 'H100');
    assert.equal(gpu.gpu.memoryGiB, 80);
    assert.equal(gpu.raw, 'gpu-h100-sxm');
    assert.equal(moneyToDecimal(h100.price), '23.60');
    assert.equal(h100.price.currency, 'USD');
    assert.equal(h100.stoppable, true);
    assert.equal(h100.rebootable, false);
    const cpu = types.find((t) => t.type === 'cpu-d3.4vcpu-16gb');
    assert.deepEqual(cpu?.gpus, []);
    assert.equal(
      types.find((t) => t.type === 'gpu-h200-sxm.1gpu-16vcpu-200gb')?.gpus[0]?.gpu.memoryGiB,
      141,
    );
  });

  it('leaves out presets without a price, with one warning each, never inventing one', async () => {
    const { client, logger } = clientFor(fake);
    await client.getInstanceTypes();
    const types = await client.getInstanceTypes();
    assert.ok(!types.some((t) => t.type.startsWith('gpu-l40s-a')));
    const warned = logger.entries.filter((e) => e.obj.type === 'gpu-l40s-a.1gpu-8vcpu-32gb');
    assert.equal(warned.length, 1);
    assert.match(warned[0]?.msg ?? '', /no price/);
  });

  it('prices in the currency the credential names', async () => {
    const { client } = clientFor(fake, { credential: fake.credential(KEY, { currency: 'EUR' }) });
    const types = await client.getInstanceTypes({ instanceTypes: ['cpu-d3.8vcpu-32gb'] });
    assert.equal(types.length, 1);
    const [type] = types;
    assert.ok(type);
    assert.equal(type.price.currency, 'EUR');
    assert.equal(moneyToDecimal(type.price), '0.24');
  });

  it('applies filters: another location has nothing, an empty filter asks nothing', async () => {
    const { client } = clientFor(fake);
    assert.deepEqual(await client.getInstanceTypes({ locations: ['us-central1'] }), []);
    const before = fake.calls.length;
    assert.deepEqual(await client.getInstanceTypes({ instanceTypes: [] }), []);
    assert.equal(fake.calls.length, before);
  });
});
