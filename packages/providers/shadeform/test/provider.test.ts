import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { capabilityMismatches } from '@cloudplane/sdk';
import { SHADEFORM_DEFAULT_BASE_URL, ShadeformCredentialSchema, provider } from '../src/index.js';
import { shadeformSpec } from './fake/spec.js';

function problems(input: unknown): string[] {
  const parsed = ShadeformCredentialSchema.safeParse(input);
  return parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}

describe('Shadeform provider definition', () => {
  it('is global, reboots, keeps tags, firewalls by boot script, and declares what its client has', () => {
    assert.equal(provider.id, 'shadeform');
    assert.equal(provider.apiType, 'global');
    assert.equal(provider.firewallAtCreate, 'boot-script');
    assert.deepEqual(provider.capabilities(), ['reboot', 'tags']);
    assert.deepEqual(provider.secretFields, ['apiKey']);
    const client = provider.makeClient({ credential: { apiKey: 'k' }, cloudCredRefId: 'c' });
    assert.deepEqual(capabilityMismatches(provider.capabilities(), client), {
      missing: [],
      undeclared: [],
    });
  });

  it("sends the key in the spec's X-API-KEY header, to the spec's server by default", () => {
    const schemes = (
      shadeformSpec.document.components as {
        securitySchemes: Record<string, { type: string; in: string; name: string }>;
      }
    ).securitySchemes;
    assert.deepEqual(schemes.ApiKeyAuth, { in: 'header', name: 'X-API-KEY', type: 'apiKey' });
    const servers = shadeformSpec.document.servers as { url: string }[];
    assert.equal(servers[0]?.url, SHADEFORM_DEFAULT_BASE_URL);
  });

  it('accepts a key alone (production endpoint) or with another endpoint', () => {
    assert.deepEqual(problems({ apiKey: 'sf_abc.def' }), []);
    assert.deepEqual(problems({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9999/v1' }), []);
  });

  it('says what is wrong with a credential, never echoing the key', () => {
    const cases: [unknown, RegExp][] = [
      [{}, /^apiKey: required/],
      [{ apiKey: '' }, /^apiKey: must not be empty/],
      [{ apiKey: 'secret_pasted with space' }, /^apiKey: must not contain spaces/],
      [{ apiKey: 'k', baseUrl: 'not a url' }, /^baseUrl: an http\(s\) URL/],
      [{ apiKey: 'k', baseUrl: 'ftp://example.com' }, /^baseUrl: an http\(s\) URL/],
      [{ apiKey: 'k', api_key: 'secret_typo' }, /unknown field\(s\) api_key/],
      ['secret_just_a_string', /is a JSON object/],
    ];
    for (const [input, expected] of cases) {
      const found = problems(input);
      assert.ok(
        found.some((p) => expected.test(p)),
        `${JSON.stringify(input)}: ${found.join('; ')}`,
      );
      assert.ok(!found.some((p) => /secret_/.test(p)), 'no secret in the message');
    }
  });
});
