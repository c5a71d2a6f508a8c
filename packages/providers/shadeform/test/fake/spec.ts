import { loadOpenApiSpec, type OpenApiSpec } from '@cloudplane/spec-fake';

/**
 * Shadeform's published spec, for the fake: every answer it sends is checked against the spec
 * before it leaves, and every request body against the spec's request schema, so the fake refuses
 * what Shadeform would refuse. Test code only.
 */

export const SHADEFORM_SPEC_PATH = new URL(
  '../../openapi.yaml',
  import.meta.url,
);

export const shadeformSpec: OpenApiSpec = loadOpenApiSpec(SHADEFORM_SPEC_PATH);

/** Problems with a request body, per the spec's request schema (empty when it is valid). */
export function requestProblems(schemaName: string, body: unknown): string[] {
  return shadeformSpec.schemaProblems(schemaName, body);
}

/**
 * Checks an answer. Declared statuses (the spec declares only 200s) are checked against the
 * spec. The spec declares no error answers at all, so an undeclared status must at least be an
 * error (4xx/5xx); its body is whatever the test chose.
 */
export function assertShadeformResponse(
  method: string,
  template: string,
  status: number,
  body: unknown,
): void {
  shadeformSpec.assertAnswer(method, template, status, body);
}
