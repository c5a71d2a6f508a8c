import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ShadeformFake, testKeys } from './fake/shadeform-fake.js';
import { shadeformSpec } from './fake/spec.js';
import { useFake } from './helpers.js';

/** The fake itself: it refuses what Shadeform would refuse and never sends what it could not. */
describe('the Shadeform fake', () => {
  const fake = useFake({ before, after });

  const call = (method: string, path: string, body?: unknown, apiKey = fake().apiKey) =>
    fetch(`${fake().url}${path}`, {
      method,
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it('refuses a launch the spec forbids and a wrong key', async () => {
    const missing = await call('POST', '/instances/create', { cloud: 'massedcompute' });
    assert.equal(missing.status, 400);
    assert.match(((await missing.json()) as { error: string }).error, /required/);
    assert.equal((await call('GET', '/instances', undefined, 'wrong')).status, 401);
    assert.equal(fake().live().length, 0);
  });

  it('serves the spec example as catalog data, valid under the spec', async () => {
    const answer = await call('GET', '/instances/types');
    const body = (await answer.json()) as { instance_types: { cloud: string }[] };
    shadeformSpec.assertResponse('get', '/instances/types', 200, body);
    assert.ok(body.instance_types.some((t) => t.cloud === 'hyperstack'));
  });

  it('never sends an answer that breaks the spec: it records the violation instead', async () => {
    const broken = await ShadeformFake.start();
    try {
      const [offer] = broken.offers;
      assert.ok(offer);
      Object.assign(offer.type, { hourly_price: 'a lot' });
      await assert.rejects(
        fetch(`${broken.url}/instances/types`, { headers: { 'x-api-key': broken.apiKey } }),
      );
      assert.equal(broken.violations.length, 1);
      assert.match(broken.violations[0]?.message ?? '', /breaks the spec/);
    } finally {
      await broken.close();
    }
  });

  it('launches use up capacity (then out of stock), and deleting gives it back', async () => {
    const key = (await (
      await call('POST', '/sshkeys/add', { name: 'k', public_key: testKeys.publicKey })
    ).json()) as { id: string };
    fake().setCapacity('denvr', 'GH200', 'us-houston-1', 1);
    const launch = () =>
      call('POST', '/instances/create', {
        cloud: 'denvr',
        region: 'us-houston-1',
        shade_instance_type: 'GH200',
        shade_cloud: true,
        name: 'x',
        ssh_key_id: key.id,
      });
    const first = await launch();
    assert.equal(first.status, 200);
    const { id } = (await first.json()) as { id: string };
    const second = await launch();
    assert.equal(second.status, 400);
    assert.match(((await second.json()) as { error: string }).error, /out of stock/);
    assert.equal((await call('POST', `/instances/${id}/delete`)).status, 200);
    assert.equal((await launch()).status, 200);
    assert.deepEqual(fake().violations, []);
  });
});
