import { loadOpenApiSpec, type OpenApiSpec } from '@cloudplane/spec-fake';

/**
 * Fluidstack's published spec, for the fake: every answer it sends is checked against the spec
 * before it leaves, and every request body against the spec's request schema, so the fake refuses
 * what Fluidstack would refuse. Test code only.
 */

export const FLUIDSTACK_SPEC_PATH = new URL('../../openapi.yaml', import.meta.url);

export const fluidstackSpec: OpenApiSpec = loadOpenApiSpec(FLUIDSTACK_SPEC_PATH);

/** Problems with a request body, per the spec's request schema (empty when it is valid). */
export function requestProblems(schemaName: string, body: unknown): string[] {
  return fluidstackSpec.schemaProblems(schemaName, body);
}

/**
 * Checks an answer. Statuses the operation declares are checked against the spec; a status it
 * does not declare (401 and 429 from the edge, which real clients still get) must at least carry
 * the spec's `Error` body.
 */
export function assertFluidstackAnswer(
  method: string,
  template: string,
  status: number,
  body: unknown,
): void {
  fluidstackSpec.assertAnswer(method, template, status, body, { errorSchema: 'Error' });
}
