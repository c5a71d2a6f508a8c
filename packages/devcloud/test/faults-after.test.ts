import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateSshKeyPair } from '@cloudplane/sdk';
import { loadOpenApiSpec } from '@cloudplane/spec-fake';
import { z } from 'zod';
import { listAllInstances, type Devcloud } from '../src/index.js';
import { FAST, sleep, withCloud, type Api } from './helpers.js';

/**
 * The `-after` faults: the request takes effect, then the answer fails. The client's view (an
 * error or no answer) is checked against the ground truth of GET /admin/instances.
 */

const spec = loadOpenApiSpec(new URL('../openapi.yaml', import.meta.url));
const publicKey = generateSshKeyPair().publicKey;
const REF_TAG = 'cloudplane-ref-id';

const OfferSchema = z.object({ name: z.string(), region: z.string(), zone: z.string().nullable() });
const InstanceBody = z.object({
  instance: z.object({
    id: z.string(),
    status: z.string(),
    tags: z.record(z.string(), z.string()),
  }),
});
const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

async function launchBody(call: Api['call'], refId: string) {
  const { json } = await call('GET', '/v1/instance-types?limit=1');
  const offer = z.object({ instance_types: z.array(OfferSchema).min(1) }).parse(json)
    .instance_types[0];
  assert.ok(offer);
  return {
    instance_type: offer.name,
    region: offer.region,
    zone: offer.zone,
    public_key: publicKey,
    tags: { [REF_TAG]: refId },
  };
}

/** What the cloud really holds for one refId, whatever the /v1 answers said. */
async function held(cloud: Devcloud, refId: string) {
  return listAllInstances(cloud, { tag: `${REF_TAG}:${refId}` });
}

async function setRules(admin: Api['admin'], rules: unknown[]): Promise<void> {
  const r = await admin('PUT', '/admin/faults', { rules });
  assert.equal(r.status, 200, JSON.stringify(r.json));
}

describe('devcloud faults after acceptance', () => {
  it('error-after on createInstance: the client gets 500 and the instance exists and boots', async () => {
    await withCloud({}, async (cloud, { call, admin }) => {
      await setRules(admin, [{ endpoint: 'createInstance', kind: 'error-after' }]);
      const r = await call('POST', '/v1/instances', await launchBody(call, 'ref-error'));
      assert.equal(r.status, 500);
      spec.assertAnswer('post', '/v1/instances', r.status, r.json, { errorSchema: 'Error' });
      assert.equal(ErrorBody.parse(r.json).error.code, 'internal');
      const [instance, ...more] = await held(cloud, 'ref-error');
      assert.ok(instance, 'the launch took effect although the client saw 500');
      assert.equal(more.length, 0);
      for (let i = 0; i < 100; i++) {
        const got = InstanceBody.parse((await call('GET', `/v1/instances/${instance.id}`)).json);
        if (got.instance.status === 'running') return;
        await sleep(10);
      }
      assert.fail('the launched instance never came up');
    });
  });

  it('error-after answers the configured status', async () => {
    await withCloud({}, async (cloud, { call, admin }) => {
      await setRules(admin, [{ endpoint: 'createInstance', kind: 'error-after', status: 503 }]);
      const r = await call('POST', '/v1/instances', await launchBody(call, 'ref-503'));
      assert.equal(r.status, 503);
      assert.equal((await held(cloud, 'ref-503')).length, 1);
    });
  });

  it('timeout-after on createInstance: the client times out and the instance exists', async () => {
    await withCloud({}, async (cloud, { call, admin }) => {
      await setRules(admin, [{ endpoint: 'createInstance', kind: 'timeout-after' }]);
      const body = await launchBody(call, 'ref-timeout');
      const started = Date.now();
      await assert.rejects(
        fetch(`${cloud.url}/v1/instances`, {
          method: 'POST',
          headers: { authorization: `Bearer ${cloud.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(300),
        }),
        (err: unknown) => err instanceof Error && err.name === 'TimeoutError',
      );
      assert.ok(Date.now() - started >= 290, 'the answer was held back until the client gave up');
      const instances = await held(cloud, 'ref-timeout');
      assert.equal(instances.length, 1, 'the launch took effect although the client got nothing');
    });
  });

  it('honours times, and a request the cloud refused on its own does not use one up', async () => {
    await withCloud({}, async (cloud, { call, admin }) => {
      await setRules(admin, [{ endpoint: 'createInstance', kind: 'error-after', times: 2 }]);
      const body = await launchBody(call, 'ref-times');
      const refused = await call('POST', '/v1/instances', { ...body, instance_type: 'dc.none' });
      assert.equal(refused.status, 400, 'refused before taking effect: no fault, no count');
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await call('POST', '/v1/instances', body)).status);
      assert.deepEqual(statuses, [500, 500, 202, 202]);
      assert.equal((await held(cloud, 'ref-times')).length, 4, 'every accepted launch exists');
    });
  });

  it('applies to terminate, stop, start, reboot and tags: the action happens, the answer fails', async () => {
    await withCloud({}, async (cloud, { call, admin }) => {
      const launched = InstanceBody.parse(
        (await call('POST', '/v1/instances', await launchBody(call, 'ref-actions'))).json,
      );
      const id = launched.instance.id;
      const status = async () => {
        const [instance] = await held(cloud, 'ref-actions');
        assert.ok(instance);
        return instance;
      };
      const until = async (want: string) => {
        for (let i = 0; i < 200 && (await status()).status !== want; i++) await sleep(10);
        assert.equal((await status()).status, want);
      };
      await until('running');
      await setRules(admin, [{ endpoint: '*', kind: 'error-after', status: 502 }]);
      assert.equal(
        (await call('GET', `/v1/instances/${id}`)).status,
        200,
        'reads are never failed after the fact',
      );
      assert.equal((await call('POST', `/v1/instances/${id}/stop`)).status, 502);
      await until('stopped');
      assert.equal((await call('POST', `/v1/instances/${id}/start`)).status, 502);
      await until('running');
      assert.equal((await call('POST', `/v1/instances/${id}/reboot`)).status, 502);
      assert.equal((await status()).status, 'rebooting');
      await until('running');
      const tagged = await call('PATCH', `/v1/instances/${id}/tags`, { tags: { team: 'ml' } });
      assert.equal(tagged.status, 502);
      assert.equal((await status()).tags.team, 'ml');
      assert.equal((await call('DELETE', `/v1/instances/${id}`)).status, 502);
      await until('terminated');
    });
  });

  it('refuses -after kinds on endpoints that change nothing', async () => {
    await withCloud({}, async (_cloud, { admin }) => {
      const r = await admin('PUT', '/admin/faults', {
        rules: [{ endpoint: 'listInstances', kind: 'timeout-after' }],
      });
      assert.equal(r.status, 400);
      assert.match(ErrorBody.parse(r.json).error.message, /apply to createInstance/);
    });
  });
});

describe('GET /admin/instances', () => {
  it('lists every instance held, tagged or not, terminated ones while kept, unaffected by faults', async () => {
    await withCloud({ seedInstances: 2 }, async (cloud, { call, admin }) => {
      const body = await launchBody(call, 'ref-a');
      const a = InstanceBody.parse((await call('POST', '/v1/instances', body)).json).instance;
      const { tags: _tags, ...untagged } = body;
      const b = InstanceBody.parse((await call('POST', '/v1/instances', untagged)).json).instance;
      await call('DELETE', `/v1/instances/${a.id}`);
      await sleep(100);
      await setRules(admin, [{ endpoint: '*', kind: 'error', status: 503 }]);
      assert.equal((await call('GET', '/v1/instances')).status, 503);

      const all = await admin('GET', '/admin/instances');
      assert.equal(all.status, 200);
      spec.assertResponse('get', '/admin/instances', 200, all.json);
      const instances = await listAllInstances(cloud);
      assert.equal(instances.length, 4);
      const seen = new Map(instances.map((i) => [i.id, i]));
      assert.equal(seen.get(a.id)?.status, 'terminated');
      assert.ok(seen.get(a.id)?.terminated_at);
      assert.deepEqual(seen.get(b.id)?.tags, {});
      assert.equal(seen.get(b.id)?.terminated_at, null);
      assert.ok(instances.every((i) => !Number.isNaN(Date.parse(i.created_at))));
      assert.deepEqual(
        (await held(cloud, 'ref-a')).map((i) => i.id),
        [a.id],
      );

      assert.equal(
        (await call('GET', '/admin/instances')).status,
        401,
        'the API key is not the admin key',
      );
      assert.equal((await admin('GET', '/admin/instances?tag=nocolon')).status, 400);
    });
  });

  it('forgets terminated instances once their retention ends, as the /v1 list does', async () => {
    await withCloud(
      { timings: { ...FAST, terminatedRetentionMs: 50 } },
      async (cloud, { call }) => {
        const body = await launchBody(call, 'ref-gone');
        const a = InstanceBody.parse((await call('POST', '/v1/instances', body)).json).instance;
        await call('DELETE', `/v1/instances/${a.id}`);
        await sleep(200);
        assert.deepEqual(await held(cloud, 'ref-gone'), []);
      },
    );
  });
});
