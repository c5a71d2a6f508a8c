import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateSshKeyPair } from '@cloudplane/sdk';
import { LambdaFake } from './fake/lambda-fake.js';
import { useFake } from './helpers.js';

/** The fake itself: it refuses what Lambda would refuse and never sends what Lambda could not. */
describe('the Lambda fake', () => {
  let fake: LambdaFake;
  useFake({ before, after }, (f) => (fake = f));

  const call = (method: string, path: string, body?: unknown, apiKey = fake.apiKey) =>
    fetch(`${fake.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it('refuses a launch the spec forbids (two SSH keys, an unknown field)', async () => {
    fake.addKey('k', generateSshKeyPair().publicKey);
    const twoKeys = await call('POST', '/instance-operations/launch', {
      region_name: 'us-east-1',
      instance_type_name: 'gpu_1x_a10',
      ssh_key_names: ['k', 'k'],
    });
    assert.equal(twoKeys.status, 400);
    const body = (await twoKeys.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'global/invalid-parameters');
    const extra = await call('POST', '/instance-operations/launch', {
      region_name: 'us-east-1',
      instance_type_name: 'gpu_1x_a10',
      ssh_key_names: ['k'],
      user_data: '#!/bin/sh',
    });
    assert.equal(extra.status, 400);
    assert.equal(fake.live().length, 0);
  });

  it('accepts Basic auth as the spec describes, and refuses a wrong key', async () => {
    const basic = await fetch(`${fake.url}/instances`, {
      headers: { authorization: `Basic ${Buffer.from(`${fake.apiKey}:`).toString('base64')}` },
    });
    assert.equal(basic.status, 200);
    assert.equal((await call('GET', '/instances', undefined, 'wrong')).status, 401);
  });

  it('never sends an answer that breaks the spec: it records the violation instead', async () => {
    const broken = await LambdaFake.start();
    try {
      const [offer] = broken.offers;
      assert.ok(offer);
      Object.assign(offer.instanceType, { price_cents_per_hour: 'a lot' });
      await assert.rejects(
        fetch(`${broken.url}/instance-types`, {
          headers: { authorization: `Bearer ${broken.apiKey}` },
        }),
      );
      assert.equal(broken.violations.length, 1);
      assert.match(broken.violations[0]?.message ?? '', /breaks the spec/);
    } finally {
      await broken.close();
    }
  });

  it('launches use up capacity, and terminating gives it back', async () => {
    const key = fake.sshKeys[0];
    assert.ok(key);
    fake.setCapacity('gpu_1x_h100_pcie', 'us-west-3', 1);
    const launch = () =>
      call('POST', '/instance-operations/launch', {
        region_name: 'us-west-3',
        instance_type_name: 'gpu_1x_h100_pcie',
        ssh_key_names: [key.name],
      });
    const first = await launch();
    assert.equal(first.status, 200);
    const { data } = (await first.json()) as { data: { instance_ids: string[] } };
    const second = await launch();
    assert.equal(second.status, 400);
    const terminated = await call('POST', '/instance-operations/terminate', {
      instance_ids: data.instance_ids,
    });
    assert.equal(terminated.status, 200);
    assert.equal((await launch()).status, 200);
    assert.deepEqual(fake.violations, []);
  });
});
