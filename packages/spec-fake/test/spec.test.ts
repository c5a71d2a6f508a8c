import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadOpenApiSpec, SpecViolation } from '../src/index.js';

const lambda = loadOpenApiSpec(new URL('../../providers/lambda/openapi.yaml', import.meta.url));

describe('loadOpenApiSpec', () => {
  it('accepts a response that fits the operation schema', () => {
    lambda.assertResponse('get', '/instances', 200, { data: [] });
  });

  it('rejects a response that breaks it, naming the operation and the rule', () => {
    assert.throws(
      () => {
        lambda.assertResponse('get', '/instances', 200, { data: 'not a list' });
      },
      (err: unknown) =>
        err instanceof SpecViolation &&
        /GET \/instances \(200\)/.test(err.message) &&
        /array/.test(err.message),
    );
  });

  it('refuses operations and statuses the spec does not declare', () => {
    assert.throws(() => {
      lambda.assertResponse('get', '/nope', 200, {});
    }, SpecViolation);
    assert.equal(lambda.hasOperation('get', '/instance-types'), true);
    assert.equal(lambda.hasOperation('delete', '/instance-types'), false);
  });

  it('says which statuses an operation declares, a default response not counting', () => {
    assert.equal(lambda.declaresStatus('get', '/instances', 200), true);
    assert.equal(lambda.declaresStatus('get', '/instances', 503), false);
    assert.equal(lambda.declaresStatus('get', '/nope', 200), false);
  });

  it('lists the problems of a value under a component schema', () => {
    assert.deepEqual(
      lambda.schemaProblems('terminateInstance_request', { instance_ids: ['a'] }),
      [],
    );
    const problems = lambda.schemaProblems('terminateInstance_request', { instance_ids: 'a' });
    assert.ok(
      problems.some((p) => p.startsWith('/instance_ids ')),
      problems.join('; '),
    );
  });

  it('checks answers: declared statuses by the spec, others must be errors with the error body', () => {
    lambda.assertAnswer('get', '/instances', 200, { data: [] });
    assert.throws(() => {
      lambda.assertAnswer('get', '/instances', 204, undefined);
    }, /declares no 204 response/);
    lambda.assertAnswer('get', '/instances', 503, 'anything goes without an error schema');
    const body = { error: { code: 'global/unknown', message: 'down' } };
    lambda.assertAnswer('get', '/instances', 503, body, { errorSchema: 'errorResponseBody' });
    assert.throws(() => {
      lambda.assertAnswer(
        'get',
        '/instances',
        503,
        { oops: 1 },
        { errorSchema: 'errorResponseBody' },
      );
    }, SpecViolation);
  });
});
