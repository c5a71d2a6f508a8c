import { loadSpec } from '@cloudplane/provider-testkit';
import type { OpenApiSpec } from '@cloudplane/spec-fake';

/**
 * Lambda's published spec, for the fake (test/fake/lambda-fake.ts): every response it sends is
 * checked against the spec before it leaves, and every request body against the spec's request
 * schema, so the fake refuses what Lambda would refuse. Test code only.
 */

export const LAMBDA_SPEC_PATH = new URL('../../openapi.yaml', import.meta.url);

export const lambdaSpec: OpenApiSpec = loadSpec(LAMBDA_SPEC_PATH);

/**
 * The body of every Lambda error. A status an operation does not declare (429 and 5xx from
 * Lambda's edge, which real clients still get) must at least carry it.
 */
export const LAMBDA_ERROR_SCHEMA = 'errorResponseBody';
