import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { capabilityMismatches } from '@cloudplane/sdk';
import {
  FLUIDSTACK_DEFAULT_BASE_URL,
  FluidstackCredentialSchema,
  provider,
  regionBaseUrl,
} from '../src/index.js';

const PROJECT = '123e4567-e89b-12d3-a456-426614174003';
const valid = {
  apiKey: 'fs_secret_abc',
  projectId: PROJECT,
  regions: ['us-west-1'],
  prices: { 'h100-hgx-80gb.8x': 23.92 },
};

function problems(input: unknown): string[] {
  const parsed = FluidstackCredentialSchema.safeParse(input);
  return parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}

describe('Fluidstack provider definition', () => {
  it('is locational, stops and starts, puts firewalls in user data, declares what its client has', () => {
    assert.equal(provider.id, 'fluidstack');
    assert.equal(provider.apiType, 'locational');
    assert.equal(provider.firewallAtCreate, 'boot-script');
    assert.deepEqual(provider.capabilities(), ['stopStart']);
    assert.deepEqual(provider.secretFields, ['apiKey']);
    for (const location of [undefined, 'us-west-1']) {
      const client = provider.makeClient({
        credential: FluidstackCredentialSchema.parse(valid),
        cloudCredRefId: 'c',
        ...(location ? { location } : {}),
      });
      assert.deepEqual(capabilityMismatches(provider.capabilities(), client), {
        missing: [],
        undeclared: [],
      });
    }
  });

  it('puts the region into the production host, or into a given template', () => {
    assert.equal(
      regionBaseUrl(FluidstackCredentialSchema.parse(valid), 'us-west-1'),
      'https://us-west-1.atlas.fluidstack.io/api/v1alpha1',
    );
    assert.equal(FLUIDSTACK_DEFAULT_BASE_URL, 'https://{region}.atlas.fluidstack.io/api/v1alpha1');
    const proxied = FluidstackCredentialSchema.parse({
      ...valid,
      baseUrl: 'http://127.0.0.1:9/{region}/api/v1alpha1',
    });
    assert.equal(
      regionBaseUrl(proxied, 'eu-north-1'),
      'http://127.0.0.1:9/eu-north-1/api/v1alpha1',
    );
  });

  it('accepts a credential with prices of up to six decimals', () => {
    assert.deepEqual(problems(valid), []);
    assert.deepEqual(problems({ ...valid, prices: { a: 0.000001, b: 2 } }), []);
    assert.deepEqual(problems({ ...valid, prices: {} }), []);
  });

  it('says what is wrong with a credential, never echoing the token', () => {
    const cases: [unknown, RegExp][] = [
      [{ ...valid, apiKey: undefined }, /^apiKey: required/],
      [{ ...valid, apiKey: 'fs_secret_pasted with space' }, /^apiKey: must not contain spaces/],
      [{ ...valid, projectId: 'my-project' }, /^projectId: the id \(a UUID\)/],
      [{ ...valid, regions: [] }, /^regions: give at least one region/],
      [{ ...valid, regions: ['US West'] }, /^regions\.0: a region name/],
      [{ ...valid, regions: ['a', 'a'] }, /^regions: a region is listed twice/],
      [{ ...valid, prices: { t: 0 } }, /^prices\.t: a price must be more than 0/],
      [{ ...valid, prices: { t: -1 } }, /^prices\.t: a price must be more than 0/],
      [{ ...valid, prices: { t: '2.5' } }, /^prices\.t: a price is a number of US dollars/],
      [{ ...valid, prices: { t: 1.0000001 } }, /^prices\.t: a price has at most 6 decimals/],
      [{ ...valid, prices: undefined }, /^prices: /],
      [{ ...valid, baseUrl: 'https://api.example.com/v1' }, /^baseUrl: must contain "\{region\}"/],
      [{ ...valid, baseUrl: 'ftp://{region}.example.com' }, /^baseUrl: an http\(s\) URL/],
      [{ ...valid, api_key: 'fs_secret_typo' }, /unknown field\(s\) api_key/],
      ['fs_secret_just_a_string', /is a JSON object/],
    ];
    for (const [input, expected] of cases) {
      const found = problems(input);
      assert.ok(
        found.some((p) => expected.test(p)),
        `${JSON.stringify(input)}: ${found.join('; ')}`,
      );
      assert.ok(!found.some((p) => /fs_secret/.test(p)), 'no secret in the message');
    }
  });
});
