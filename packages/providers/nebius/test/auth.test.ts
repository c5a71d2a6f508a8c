import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { isCloudError } from '@cloudplane/sdk';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { JWT_LIFETIME_S } from '../src/index.js';
import { makeServiceAccountKey } from './fake/fixtures.js';
import type { NebiusFake } from './fake/nebius-fake.js';
import { clientFor, KEY, useFake } from './helpers.js';

describe('IAM tokens from the service-account key', () => {
  let fake: NebiusFake;
  useFake({ before, after }, (f) => (fake = f), { tokenTtlS: 3600 });

  it('signs a JWT the fake verifies, and sends the token it got on every call', async () => {
    const { client } = clientFor(fake);
    const before = fake.callsOf('TokenExchangeService.Exchange').length;
    await client.getLocations();
    await client.getInstanceTypes();
    const exchanges = fake.callsOf('TokenExchangeService.Exchange').slice(before);
    assert.equal(exchanges.length, 1, 'one exchange, then the cached token');
    const jwt = String(exchanges[0]?.request.subjectToken);
    const header = decodeProtectedHeader(jwt);
    const claims = decodeJwt(jwt);
    assert.equal(header.alg, 'RS256');
    assert.equal(header.kid, KEY.publicKeyId);
    assert.equal(claims.iss, KEY.serviceAccountId);
    assert.equal(claims.sub, KEY.serviceAccountId);
    assert.equal((claims.exp ?? 0) - (claims.iat ?? 0), JWT_LIFETIME_S);
    const served = fake.calls.filter((c) => c.method !== 'TokenExchangeService.Exchange').slice(-3);
    for (const call of served)
      assert.match(call.authorization ?? '', /^Bearer v1\.fake-iam-token-/);
  });

  it('exchanges again before the token expires', async () => {
    let now = Date.now();
    const { client } = clientFor(fake, { now: () => now });
    const count = () => fake.callsOf('TokenExchangeService.Exchange').length;
    await client.getLocations();
    const first = count();
    now += 30 * 60_000;
    await client.getInstanceTypes();
    assert.equal(count(), first, 'half an hour into a one-hour token: still cached');
    now += 26 * 60_000;
    await client.getInstanceTypes();
    assert.equal(count(), first + 1, 'within five minutes of expiry: exchanged again');
  });

  it('exchanges again once when Nebius refuses a token, and carries on', async () => {
    const { client } = clientFor(fake);
    await client.getLocations();
    const first = fake.callsOf('TokenExchangeService.Exchange').length;
    fake.revokeTokens();
    const types = await client.getInstanceTypes();
    assert.ok(types.length > 0);
    assert.equal(fake.callsOf('TokenExchangeService.Exchange').length, first + 1);
  });

  it('retries an exchange the service could not answer', async () => {
    const { client } = clientFor(fake);
    fake.inject('TokenExchangeService.Exchange', { code: grpc.status.UNAVAILABLE });
    assert.ok((await client.getLocations()).length === 1);
  });

  it('reports a key Nebius does not know as UNAUTHENTICATED, with no secret in the error', async () => {
    const stranger = makeServiceAccountKey('99');
    const { client } = clientFor(fake, { credential: fake.credential(stranger) });
    const before = fake.callsOf('TokenExchangeService.Exchange').length;
    const err = await client.getLocations().catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'UNAUTHENTICATED'), String(err));
    assert.match(err.message, /refused the key publickey-e00fake0000000099 of service account/);
    const exchanges = fake.callsOf('TokenExchangeService.Exchange').slice(before);
    assert.equal(exchanges.length, 1, 'a refused key is not retried');
    const jwt = String(exchanges[0]?.request.subjectToken);
    const everything = `${err.message}\n${JSON.stringify(err.toJSON())}\n${String(err.stack)}`;
    const keyBody = stranger.privateKey.split('\n').slice(1, -2).join('');
    assert.ok(!everything.includes(jwt), 'the JWT is not in the error');
    assert.ok(!everything.includes(jwt.split('.')[2] ?? 'x'), 'nor its signature');
    for (const line of stranger.privateKey.split('\n').slice(1, 4)) {
      assert.ok(!everything.includes(line), 'no line of the private key is in the error');
    }
    assert.ok(keyBody.length > 100);
    assert.equal(err.cause, undefined, 'no cause chain that could carry the request');
  });

  it('keeps the access token out of errors of later calls', async () => {
    const { client } = clientFor(fake);
    await client.getLocations();
    const token = (fake.calls.at(-1)?.authorization ?? '').replace('Bearer ', '');
    assert.ok(token.length > 10);
    fake.inject('InstanceService.Get', { code: grpc.status.PERMISSION_DENIED });
    const err = await client.getInstance('computeinstance-e00nope').catch((e: unknown) => e);
    assert.ok(isCloudError(err, 'PERMISSION_DENIED'));
    assert.ok(!JSON.stringify(err.toJSON()).includes(token));
    assert.ok(!err.message.includes(token));
  });
});
