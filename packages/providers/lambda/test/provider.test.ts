import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { capabilityMismatches } from '@cloudplane/sdk';
import { LAMBDA_DEFAULT_BASE_URL, LambdaCredentialSchema, provider } from '../src/index.js';

function problems(input: unknown): string[] {
  const parsed = LambdaCredentialSchema.safeParse(input);
  return parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}

describe('Lambda provider definition', () => {
  it('is global, reboots, refuses firewall rules, and declares what its client has', () => {
    assert.equal(provider.id, 'lambda');
    assert.equal(provider.apiType, 'global');
    assert.equal(provider.firewallAtCreate, 'unsupported');
    assert.deepEqual(provider.capabilities(), ['reboot']);
    assert.deepEqual(provider.secretFields, ['apiKey']);
    const client = provider.makeClient({
      credential: { apiKey: 'k' },
      cloudCredRefId: 'c',
    });
    assert.deepEqual(capabilityMismatches(provider.capabilities(), client), {
      missing: [],
      undeclared: [],
    });
    assert.ok(provider.maxCreatesPerMinute <= 5, "Lambda's launch limit is one per 12 s");
  });

  it('accepts a key alone (production endpoint) or with another endpoint', () => {
    assert.deepEqual(problems({ apiKey: 'secret_abc.def' }), []);
    assert.deepEqual(problems({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9999/api/v1' }), []);
    assert.equal(LAMBDA_DEFAULT_BASE_URL, 'https://cloud.lambda.ai/api/v1');
  });

  it('says what is wrong with a credential, never echoing the key', () => {
    const cases: [unknown, RegExp][] = [
      [{}, /^apiKey: required/],
      [{ apiKey: '' }, /^apiKey: must not be empty/],
      [{ apiKey: 'secret_pasted with space' }, /^apiKey: must not contain spaces/],
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
