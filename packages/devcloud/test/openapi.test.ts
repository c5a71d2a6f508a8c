import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateSshKeyPair } from '@cloudplane/sdk';
import { loadOpenApiSpec } from '@cloudplane/spec-fake';
import { NATIVE_STATUSES } from '../src/index.js';
import { withCloud } from './helpers.js';

const spec = loadOpenApiSpec(new URL('../openapi.yaml', import.meta.url));

describe('devcloud openapi.yaml', () => {
  it('documents every native status the cloud uses', () => {
    const schemas = (
      spec.document.components as {
        schemas: { Instance: { properties: { status: { enum: string[] } } } };
      }
    ).schemas;
    assert.deepEqual(schemas.Instance.properties.status.enum, [...NATIVE_STATUSES]);
  });

  it('describes the responses the server really sends', async () => {
    await withCloud({ seedInstances: 2 }, async (_cloud, { call }) => {
      spec.assertResponse('get', '/v1/regions', 200, (await call('GET', '/v1/regions')).json);
      const types = (await call('GET', '/v1/instance-types?limit=2')).json as {
        instance_types: { name: string; region: string; zone: string | null }[];
      };
      spec.assertResponse('get', '/v1/instance-types', 200, types);
      spec.assertResponse('get', '/v1/instances', 200, (await call('GET', '/v1/instances')).json);
      const offer = types.instance_types[0];
      assert.ok(offer);
      const launched = await call('POST', '/v1/instances', {
        instance_type: offer.name,
        region: offer.region,
        zone: offer.zone,
        public_key: generateSshKeyPair().publicKey,
      });
      spec.assertResponse('post', '/v1/instances', 202, launched.json);
      spec.assertResponse(
        'get',
        '/v1/instances/{id}',
        404,
        (await call('GET', '/v1/instances/i-none')).json,
      );
      spec.assertResponse(
        'get',
        '/v1/regions',
        401,
        (await call('GET', '/v1/regions', undefined, 'bad')).json,
      );
    });
  });
});
