import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { capabilityMismatches } from '@cloudplane/sdk';
import provider, { LaunchPadCredentialSchema, provider as named } from '../src/index.js';

const valid = {
  apiToken: 'lp_secret_token_1234',
  orgName: 'Acme',
  requesterName: 'Ada Operator',
  requesterEmail: 'ada@example.com',
  catalogIdAlias: 'LP-15',
};

function problems(input: unknown): string[] {
  const parsed = LaunchPadCredentialSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('the provider', () => {
  it('is exported as `provider` and as the default export', () => {
    assert.equal(provider, named);
    assert.equal(provider.id, 'launchpad');
    assert.equal(provider.apiType, 'global');
    assert.equal(provider.firewallAtCreate, 'unsupported');
    assert.deepEqual(provider.secretFields, ['apiToken']);
    assert.deepEqual([...provider.capabilities()].sort(), ['stopStart', 'tags']);
  });

  it('makes clients with exactly the declared capability groups', () => {
    const client = provider.makeClient({
      credential: LaunchPadCredentialSchema.parse(valid),
      cloudCredRefId: 'cred-1',
    });
    assert.deepEqual(capabilityMismatches(provider.capabilities(), client), {
      missing: [],
      undeclared: [],
    });
    assert.ok(client.stopStart && client.tags);
    assert.equal(client.cloudCredRefId, 'cred-1');
  });
});

describe('the credential', () => {
  it('accepts a complete credential and fills the price currency', () => {
    const parsed = LaunchPadCredentialSchema.parse({
      ...valid,
      baseUrl: 'https://launchpad.example.com',
      requestId: 'TRY-1234',
      lifetimeDays: 0,
      prices: { 'dmz.l40sx2.pcie': { hourly: '3.10' } },
    });
    assert.deepEqual(parsed.prices, { 'dmz.l40sx2.pcie': { hourly: '3.10', currency: 'USD' } });
  });

  it('wants exactly one way to name the experience', () => {
    const { catalogIdAlias: _, ...none } = valid;
    assert.match(
      problems(none).join('\n'),
      /exactly one of experienceId, catalogId, catalogIdAlias \(0 given\)/,
    );
    assert.match(problems({ ...valid, catalogId: 'aBY3Z000000xBL4NCO' }).join('\n'), /\(2 given\)/);
    assert.match(problems({ ...none, experienceId: 'not-a-uuid' }).join('\n'), /^experienceId:/m);
  });

  it('refuses unknown fields, a pasted "Token " prefix and a bad e-mail, never echoing the token', () => {
    const typo = problems({ ...valid, api_token: 'x' });
    assert.match(typo.join('\n'), /unknown field\(s\) api_token/);
    const prefixed = problems({ ...valid, apiToken: 'Token lp_secret_token_1234' });
    assert.match(prefixed.join('\n'), /^apiToken: .*"Token " prefix/m);
    assert.doesNotMatch(prefixed.join('\n'), /lp_secret_token_1234/);
    assert.match(problems({ ...valid, requesterEmail: 'nobody' }).join('\n'), /^requesterEmail:/m);
  });

  it('validates the operator price list', () => {
    assert.match(
      problems({ ...valid, prices: { t: { hourly: '2,50' } } }).join('\n'),
      /^prices\.t\.hourly: a decimal amount/m,
    );
    assert.match(
      problems({ ...valid, prices: { t: { hourly: '0' } } }).join('\n'),
      /more than zero/,
    );
    assert.match(
      problems({ ...valid, prices: { t: { hourly: '1', currency: 'XYZ' } } }).join('\n'),
      /^prices\.t\.currency:/m,
    );
    assert.match(
      problems({ ...valid, prices: { t: { hourly: '1', per: 'hour' } } }).join('\n'),
      /^prices\.t:/m,
    );
  });
});
