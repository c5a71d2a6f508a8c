import { loadOpenApiSpec, type OpenApiSpec } from '@cloudplane/spec-fake';

/**
 * Lambda's published spec, for the fake: every response it sends is checked against the spec
 * before it leaves, and every request body is checked against the spec's request schema, so the
 * fake refuses what Lambda would refuse. Test code only.
 */

export const LAMBDA_SPEC_PATH = new URL(
  '../../openapi.yaml',
  import.meta.url,
);

export const lambdaSpec: OpenApiSpec = loadOpenApiSpec(LAMBDA_SPEC_PATH);

/** Problems with a request body, per the spec's request schema (empty when it is valid). */
export function requestProblems(schemaName: string, body: unknown): string[] {
  return lambdaSpec.schemaProblems(schemaName, body);
}

/**
 * Checks a response. Statuses the operation declares are checked against the spec; a status it
 * does not declare (429 and 5xx from Lambda's edge, which real clients still get) must at least
 * carry the spec's `errorResponseBody`.
 */
export function assertLambdaResponse(
  method: string,
  template: string,
  status: number,
  body: unknown,
): void {
  lambdaSpec.assertAnswer(method, template, status, body, { errorSchema: 'errorResponseBody' });
}
