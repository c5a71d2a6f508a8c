import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NebiusCredentialSchema, provider } from '../src/index.js';
import { PRICES, PROJECT_ID } from './fake/fixtures.js';
import { KEY } from './helpers.js';

const valid = {
  serviceAccount: {
    serviceAccountId: KEY.serviceAccountId,
    publicKeyId: KEY.publicKeyId,
    privateKey: KEY.privateKey,
  },
  projectId: PROJECT_ID,
  prices: PRICES,
};

function issues(input: unknown): string[] {
  const parsed = NebiusCredentialSchema.safeParse(input);
  if (parsed.success) assert.fail('the credential was accepted');
  return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('the Nebius credential', () => {
  it('accepts a service-account key, a project and prices, with USD by default', () => {
    const parsed = NebiusCredentialSchema.parse(valid);
    assert.equal(parsed.currency, 'USD');
    assert.equal(parsed.projectId, PROJECT_ID);
    assert.deepEqual(provider.secretFields, ['serviceAccount']);
  });

  it('refuses a private key that is not one, without echoing it', () => {
    const broken = `${KEY.privateKey.slice(0, 200)}\n-----END PRIVATE KEY-----\n`;
    const found = issues({
      ...valid,
      serviceAccount: { ...valid.serviceAccount, privateKey: broken },
    });
    assert.match(
      found.join('\n'),
      /serviceAccount\.privateKey: cannot be read as an RSA private key/,
    );
    const body = KEY.privateKey.split('\n')[1] ?? '';
    assert.ok(body.length > 20);
    assert.ok(!found.join('\n').includes(body), 'the key is not in the message');
  });

  it('refuses ids of the wrong kind, unknown fields and bad prices', () => {
    assert.match(
      issues({ ...valid, projectId: 'tenant-e00x' }).join(),
      /projectId: must look like "project-e00/,
    );
    assert.match(issues({ ...valid, project_id: 'x' }).join(), /unknown field\(s\) project_id/);
    assert.match(
      issues({ ...valid, prices: { 'cpu-d3': { '4vcpu-16gb': 'cheap' } } }).join(),
      /prices\.cpu-d3\.4vcpu-16gb: a positive decimal price/,
    );
    assert.match(
      issues({ ...valid, prices: { 'cpu-d3': { '4vcpu-16gb': '0' } } }).join(),
      /a positive decimal price/,
    );
  });

  it('allows plaintext only when every endpoint is a loopback override', () => {
    const local = '127.0.0.1:5000';
    const all = { compute: local, iam: local, tokens: local, vpc: local };
    assert.ok(
      NebiusCredentialSchema.safeParse({ ...valid, endpoints: all, plaintext: true }).success,
    );
    assert.match(
      issues({
        ...valid,
        endpoints: { ...all, tokens: 'tokens.example.com:443' },
        plaintext: true,
      }).join(),
      /plaintext: .*tokens is tokens\.example\.com:443/,
    );
    assert.match(issues({ ...valid, plaintext: true }).join(), /compute is the production host/);
    assert.match(
      issues({ ...valid, endpoints: { compute: 'https://x:443' } }).join(),
      /a host:port/,
    );
  });
});
