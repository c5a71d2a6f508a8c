import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadOpenApiSpec, SpecViolation } from '../src/index.js';

const lambda = loadOpenApiSpec(
  new URL('../../../../shared/apis/lambda.openapi.yaml', import.meta.url),
);

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
});
