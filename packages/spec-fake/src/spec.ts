import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

/**
 * A published OpenAPI 3.0/3.1 document, loaded so that a fake cloud can prove each response it
 * sends is one the real API could send: every body is validated against the spec's schema for
 * that operation and status before it leaves the fake.
 */

const SPEC_ID = 'openapi-spec';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export class SpecViolation extends Error {
  override readonly name = 'SpecViolation';
}

export interface OpenApiSpec {
  readonly document: Record<string, unknown>;
  /** Throws SpecViolation when `body` is not a valid `status` response of `method path`. */
  assertResponse(method: string, pathTemplate: string, status: number, body: unknown): void;
  /** Example values found in the spec for a component schema (`example` / `examples`). */
  examplesOf(componentSchema: string): unknown[];
  /** True when the spec declares this operation. */
  hasOperation(method: string, pathTemplate: string): boolean;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function loadOpenApiSpec(path: string | URL): OpenApiSpec {
  const document = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  // strict: false because OpenAPI schemas carry `example`, `x-*` and other non-JSON-Schema words.
  const ajv = new Ajv({ strict: false, allErrors: true, discriminator: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: SPEC_ID });
  const validators = new Map<string, ValidateFunction>();

  function operation(method: string, pathTemplate: string): Record<string, unknown> | undefined {
    const paths = document.paths as Record<string, Record<string, unknown>> | undefined;
    return paths?.[pathTemplate]?.[method.toLowerCase()] as Record<string, unknown> | undefined;
  }

  function validatorFor(method: string, pathTemplate: string, status: number): ValidateFunction {
    const key = `${method} ${pathTemplate} ${status}`;
    const cached = validators.get(key);
    if (cached) return cached;
    const op = operation(method, pathTemplate);
    if (!op)
      throw new SpecViolation(`the spec has no operation ${method.toUpperCase()} ${pathTemplate}`);
    const responses = op.responses as Record<string, Record<string, unknown>>;
    const statusKey = String(status) in responses ? String(status) : 'default';
    const response = responses[statusKey];
    if (!response) {
      throw new SpecViolation(
        `${method.toUpperCase()} ${pathTemplate} declares no ${status} response`,
      );
    }
    const pointer = [
      'paths',
      pathTemplate,
      method.toLowerCase(),
      'responses',
      statusKey,
      'content',
      'application/json',
      'schema',
    ]
      .map(escapePointer)
      .join('/');
    const content = response.content as Record<string, unknown> | undefined;
    const validate = content?.['application/json']
      ? ajv.compile({ $ref: `${SPEC_ID}#/${pointer}` })
      : ajv.compile({});
    validators.set(key, validate);
    return validate;
  }

  return {
    document,
    hasOperation: (method, pathTemplate) => operation(method, pathTemplate) !== undefined,
    assertResponse(method, pathTemplate, status, body) {
      const validate = validatorFor(method, pathTemplate, status);
      if (!validate(body)) {
        const errors = ajv.errorsText(validate.errors, { separator: '; ' });
        throw new SpecViolation(
          `response to ${method.toUpperCase()} ${pathTemplate} (${status}) breaks the spec: ${errors}`,
        );
      }
    },
    examplesOf(componentSchema) {
      const components = document.components as Record<string, Record<string, unknown>> | undefined;
      const schema = components?.schemas?.[componentSchema] as Record<string, unknown> | undefined;
      if (!schema) return [];
      const found: unknown[] = [];
      if ('example' in schema) found.push(schema.example);
      if (Array.isArray(schema.examples)) found.push(...(schema.examples as unknown[]));
      return found;
    },
  };
}
