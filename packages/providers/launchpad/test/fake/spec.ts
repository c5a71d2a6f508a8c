import { loadOpenApiSpec, type OpenApiSpec } from '@cloudplane/spec-fake';

/**
 * LaunchPad's published spec, for the fake: every answer it sends is checked against the spec
 * before it leaves, and every request body against the spec's request schema, so the fake
 * refuses what LaunchPad would refuse. Test code only.
 */

export const LAUNCHPAD_SPEC_PATH = new URL('../../openapi.yaml', import.meta.url);

export const launchpadSpec: OpenApiSpec = loadOpenApiSpec(LAUNCHPAD_SPEC_PATH);

type Schemas = Record<string, { properties?: Record<string, { readOnly?: boolean }> }>;
const schemas = (launchpadSpec.document.components as { schemas: Schemas }).schemas;

/** The properties a schema marks readOnly: a client never sends them. */
function readOnlyOf(schemaName: string): string[] {
  return Object.entries(schemas[schemaName]?.properties ?? {})
    .filter(([, p]) => p.readOnly === true)
    .map(([name]) => name);
}

/**
 * Problems with a request body. The spec reuses its response schemas for requests, so their
 * `required` lists name server-made fields (id, created, state...) that JSON Schema cannot know
 * are read-only: those are not asked of a request. A `partial` body (PATCH) needs none.
 */
export function requestProblems(
  schemaName: string,
  body: unknown,
  options: { readonly partial?: boolean } = {},
): string[] {
  const excused = options.partial === true ? null : readOnlyOf(schemaName);
  return launchpadSpec.schemaProblems(schemaName, body).filter((problem) => {
    const missing = /must have required property '([^']+)'/.exec(problem);
    if (!missing || !problem.startsWith('(body)')) return true;
    return excused !== null && !excused.includes(missing[1] ?? '');
  });
}

/** Checks an answer: declared statuses against the spec; others must at least be errors. */
export function assertLaunchPadAnswer(
  method: string,
  template: string,
  status: number,
  body: unknown,
): void {
  launchpadSpec.assertAnswer(method, template, status, body);
}
