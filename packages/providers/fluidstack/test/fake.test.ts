import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FluidstackFake } from './fake/fluidstack-fake.js';
import { useFake } from './helpers.js';

/** The fake itself: it refuses what Fluidstack would refuse and never sends what it could not. */
describe('the Fluidstack fake', () => {
  let fake: FluidstackFake;
  useFake({ before, after }, (f) => (fake = f));

  const call = (
    method: string,
    path: string,
    options: { body?: unknown; token?: string; project?: string | null; region?: string } = {},
  ) =>
    fetch(`${fake.baseUrlTemplate.replace('{region}', options.region ?? 'us-west-1')}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token ?? fake.apiKey}`,
        'content-type': 'application/json',
        ...(options.project === null ? {} : { 'x-project-id': options.project ?? fake.projectId }),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });

  it('refuses launches the spec or its stated rules forbid', async () => {
    const refused: [unknown, RegExp][] = [
      [{ type: 'l40s-48gb.1x' }, /name/],
      [{ name: 'a', type: 'l40s-48gb.1x', userData: 'not base64!' }, /userData/],
      [{ name: 'a', type: 'l40s-48gb.1x', tags: { '-x': 'y' } }, /tag key/],
      [{ name: 'a', type: 'no-such-type' }, /not sold/],
    ];
    for (const [body, why] of refused) {
      const answer = await call('POST', '/instances', { body });
      assert.equal(answer.status, 400);
      assert.match(((await answer.json()) as { message: string }).message, why);
    }
    assert.equal(fake.live().length, 0);
  });

  it('wants the token, the project header and a UUID id', async () => {
    assert.equal((await call('GET', '/instances', { token: 'wrong' })).status, 401);
    assert.equal((await call('GET', '/instances', { project: null })).status, 400);
    const other = '11111111-1111-4111-8111-111111111111';
    assert.equal((await call('GET', '/instances', { project: other })).status, 403);
    assert.equal((await call('GET', '/instance-types', { project: null })).status, 200);
    assert.equal((await call('GET', '/instances/abc')).status, 400);
    assert.equal((await call('GET', '/instances', { region: 'mars-1' })).status, 404);
  });

  it('accepts a launch without capacity, which then goes out-of-stock', async () => {
    fake.setCapacity('eu-north-1', 'h200-sxm-141gb.8x', 0);
    const answer = await call('POST', '/instances', {
      region: 'eu-north-1',
      body: { name: 'a', type: 'h200-sxm-141gb.8x' },
    });
    assert.equal(answer.status, 201);
    const { id, state } = (await answer.json()) as { id: string; state: string };
    assert.equal(state, 'creating');
    await new Promise((r) => setTimeout(r, 80));
    const later = await call('GET', `/instances/${id}`, { region: 'eu-north-1' });
    assert.equal(((await later.json()) as { state: string }).state, 'out-of-stock');
    assert.equal((await call('DELETE', `/instances/${id}`, { region: 'eu-north-1' })).status, 204);
    fake.setCapacity('eu-north-1', 'h200-sxm-141gb.8x', 1);
  });

  it('keeps regions apart: an instance is not found through another region', async () => {
    const id = fake.addInstance('us-west-1', { name: 'here' });
    assert.equal((await call('GET', `/instances/${id}`)).status, 200);
    assert.equal((await call('GET', `/instances/${id}`, { region: 'eu-north-1' })).status, 404);
    await call('DELETE', `/instances/${id}`);
  });

  it('never sends an answer that breaks the spec: it records the violation instead', async () => {
    const broken = await FluidstackFake.start();
    try {
      const id = broken.addInstance('us-west-1', { name: 'x' });
      broken.forceState(id, 'hibernating');
      await assert.rejects(
        fetch(`${broken.baseUrlTemplate.replace('{region}', 'us-west-1')}/instances/${id}`, {
          headers: { authorization: `Bearer ${broken.apiKey}`, 'x-project-id': broken.projectId },
        }),
      );
      assert.equal(broken.violations.length, 1);
      assert.match(broken.violations[0]?.message ?? '', /breaks the spec/);
    } finally {
      await broken.close();
    }
  });
});
