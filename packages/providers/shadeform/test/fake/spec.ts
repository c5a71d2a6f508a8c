import { Ajv, type ValidateFunction } from 'ajv';
import { loadOpenApiSpec, SpecViolation, type OpenApiSpec } from '@cloudplane/spec-fake';

/**
 * Shadeform's published spec, for the fake: every answer it sends is checked against the spec
 * before it leaves, and every request body against the spec's request schema, so the fake refuses
 * what Shadeform would refuse. Test code only.
 */

export const SHADEFORM_SPEC_PATH = new URL(
  '../../../../../../shared/apis/shadeform.openapi.yaml',
  import.meta.url,
);

export const shadeformSpec: OpenApiSpec = loadOpenApiSpec(SHADEFORM_SPEC_PATH);

const SPEC_ID = 'shadeform-spec';
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ ...shadeformSpec.document, $id: SPEC_ID });
const components = new Map<string, ValidateFunction>();

/** Problems with a request body, per the spec's request schema (empty when it is valid). */
export function requestProblems(schemaName: string, body: unknown): string[] {
  let validate = components.get(schemaName);
  if (!validate) {
    validate = ajv.compile({ $ref: `${SPEC_ID}#/components/schemas/${schemaName}` });
    components.set(schemaName, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '(body)'} ${e.message ?? 'is invalid'}`,
  );
}

/** True when the spec declares this status for the operation. */
export function declares(method: string, template: string, status: number): boolean {
  const paths = shadeformSpec.document.paths as Record<string, Record<string, unknown>>;
  const op = paths[template]?.[method.toLowerCase()] as
    { responses?: Record<string, unknown> } | undefined;
  return op?.responses?.[String(status)] !== undefined;
}

/**
 * Checks an answer. Declared statuses (the spec declares only 200s) are checked by the spec-fake
 * library. The spec declares no error answers at all, so an undeclared status must at least be
 * an error (4xx/5xx); its body is whatever the test chose.
 */
export function assertShadeformResponse(
  method: string,
  template: string,
  status: number,
  body: unknown,
): void {
  if (declares(method, template, status)) {
    shadeformSpec.assertResponse(method, template, status, body);
    return;
  }
  if (status < 400) {
    throw new SpecViolation(`${method} ${template} declares no ${status} response`);
  }
}
