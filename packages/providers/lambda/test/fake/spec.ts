import { Ajv, type ValidateFunction } from 'ajv';
import { loadOpenApiSpec, SpecViolation, type OpenApiSpec } from '@cloudplane/spec-fake';

/**
 * Lambda's published spec, for the fake: every response it sends is checked against the spec
 * before it leaves, and every request body is checked against the spec's request schema, so the
 * fake refuses what Lambda would refuse. Test code only.
 */

export const LAMBDA_SPEC_PATH = new URL(
  '../../../../../../shared/apis/lambda.openapi.yaml',
  import.meta.url,
);

export const lambdaSpec: OpenApiSpec = loadOpenApiSpec(LAMBDA_SPEC_PATH);

const SPEC_ID = 'lambda-spec';
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ ...lambdaSpec.document, $id: SPEC_ID });
const components = new Map<string, ValidateFunction>();

function component(name: string): ValidateFunction {
  let validate = components.get(name);
  if (!validate) {
    validate = ajv.compile({ $ref: `${SPEC_ID}#/components/schemas/${name}` });
    components.set(name, validate);
  }
  return validate;
}

/** Problems with a request body, per the spec's request schema (empty when it is valid). */
export function requestProblems(schemaName: string, body: unknown): string[] {
  const validate = component(schemaName);
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '(body)'} ${e.message ?? 'is invalid'}`,
  );
}

/** True when the spec declares this status for the operation. */
export function declares(method: string, template: string, status: number): boolean {
  const paths = lambdaSpec.document.paths as Record<string, Record<string, unknown>>;
  const op = paths[template]?.[method.toLowerCase()] as
    { responses?: Record<string, unknown> } | undefined;
  return op?.responses?.[String(status)] !== undefined;
}

/**
 * Checks a response. Statuses the operation declares are checked by the spec-fake library; a
 * status it does not declare (429 and 5xx from Lambda's edge, which real clients still get) must
 * at least carry the spec's `errorResponseBody`.
 */
export function assertLambdaResponse(
  method: string,
  template: string,
  status: number,
  body: unknown,
): void {
  if (declares(method, template, status)) {
    lambdaSpec.assertResponse(method, template, status, body);
    return;
  }
  if (status < 400) {
    throw new SpecViolation(`${method} ${template} declares no ${status} response`);
  }
  const validate = component('errorResponseBody');
  if (!validate(body)) {
    throw new SpecViolation(
      `error body for ${method} ${template} (${status}) breaks errorResponseBody: ${ajv.errorsText(validate.errors)}`,
    );
  }
}
