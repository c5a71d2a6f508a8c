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
  /** True when the operation declares this very status (a `default` response does not count). */
  declaresStatus(method: string, pathTemplate: string, status: number): boolean;
  /**
   * What is wrong with `value` per a component schema (a request body, say): one line per
   * problem, none when it is valid.
   */
  schemaProblems(componentSchema: string, value: unknown): string[];
  /**
   * Checks an answer a fake is about to send. A status the operation declares is checked as
   * `assertResponse` does. A status it does not declare (a cloud's edge answers 429 and 5xx to
   * real clients anyway) must at least be an error, and, when `errorSchema` names a component
   * schema, carry a body valid under it. Throws SpecViolation otherwise.
   */
  assertAnswer(
    method: string,
    pathTemplate: string,
    status: number,
    body: unknown,
    options?: { readonly errorSchema?: string },
  ): void;
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

  function component(name: string): ValidateFunction {
    const key = `#/components/schemas/${name}`;
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile({ $ref: `${SPEC_ID}#/components/schemas/${escapePointer(name)}` });
      validators.set(key, validate);
    }
    return validate;
  }

  function assertResponse(method: string, pathTemplate: string, status: number, body: unknown) {
    const validate = validatorFor(method, pathTemplate, status);
    if (!validate(body)) {
      const errors = ajv.errorsText(validate.errors, { separator: '; ' });
      throw new SpecViolation(
        `response to ${method.toUpperCase()} ${pathTemplate} (${status}) breaks the spec: ${errors}`,
      );
    }
  }

  function declaresStatus(method: string, pathTemplate: string, status: number): boolean {
    const responses = operation(method, pathTemplate)?.responses as
      Record<string, unknown> | undefined;
    return responses?.[String(status)] !== undefined;
  }

  return {
    document,
    hasOperation: (method, pathTemplate) => operation(method, pathTemplate) !== undefined,
    declaresStatus,
    assertResponse,
    schemaProblems(componentSchema, value) {
      const validate = component(componentSchema);
      if (validate(value)) return [];
      return (validate.errors ?? []).map(
        (e) => `${e.instancePath || '(body)'} ${e.message ?? 'is invalid'}`,
      );
    },
    assertAnswer(method, pathTemplate, status, body, options = {}) {
      if (declaresStatus(method, pathTemplate, status)) {
        assertResponse(method, pathTemplate, status, body);
        return;
      }
      if (status < 400) {
        throw new SpecViolation(`${method} ${pathTemplate} declares no ${status} response`);
      }
      if (options.errorSchema === undefined) return;
      const validate = component(options.errorSchema);
      if (!validate(body)) {
        throw new SpecViolation(
          `error body for ${method} ${pathTemplate} (${status}) breaks ${options.errorSchema}: ${ajv.errorsText(validate.errors)}`,
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
