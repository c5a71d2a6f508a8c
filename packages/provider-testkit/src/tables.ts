import assert from 'node:assert/strict';
import {
  isCloudError,
  LIFECYCLE_STATES,
  memoryLogger,
  type CloudError,
  type CloudErrorCode,
  type LifecycleState,
  type StatusMap,
} from '@cloudplane/sdk';
import type { OpenApiSpec } from '@cloudplane/spec-fake';

/**
 * Helpers for the two tables every adapter keeps: its cloud's statuses mapped to lifecycle
 * states, and its cloud's errors mapped to CloudError codes. Each table is copied from the spec,
 * so each test first proves the copy and the spec still agree, then walks every row.
 */

interface SchemaNode {
  readonly enum?: readonly unknown[];
  readonly properties?: Record<string, SchemaNode>;
  readonly $ref?: string;
}

function schemaAt(spec: OpenApiSpec, name: string): SchemaNode | undefined {
  const components = spec.document.components as
    { schemas?: Record<string, SchemaNode> } | undefined;
  return components?.schemas?.[name];
}

/**
 * The string values of an enum in the spec: a component schema (`specEnum(spec, 'Status')`), or
 * a property of one (`specEnum(spec, 'instance', 'status')`), following one `$ref`. Throws when
 * there is no such enum, so a renamed schema fails the test instead of comparing to nothing.
 */
export function specEnum(spec: OpenApiSpec, schema: string, property?: string): string[] {
  let node = schemaAt(spec, schema);
  if (property !== undefined) node = node?.properties?.[property];
  const ref = node?.$ref?.replace('#/components/schemas/', '');
  if (ref !== undefined) node = schemaAt(spec, ref);
  const values = node?.enum?.filter((v): v is string => typeof v === 'string');
  if (!values || values.length === 0) {
    throw new Error(`the spec has no enum at ${schema}${property ? `.${property}` : ''}`);
  }
  return values;
}

/** Asserts two lists hold the same values (order and repeats aside), naming what differs. */
export function assertSameSet(
  actual: Iterable<string>,
  expected: Iterable<string>,
  what: string,
): void {
  const a = [...new Set(actual)].sort();
  const e = [...new Set(expected)].sort();
  assert.deepEqual(
    a,
    e,
    `${what}: only in ours [${a.filter((x) => !e.includes(x)).join(', ')}], only in the spec [${e.filter((x) => !a.includes(x)).join(', ')}]`,
  );
}

/**
 * Asserts the status table is exhaustive: the adapter's status list, the natives of its status
 * map and the spec's enum are the same set.
 */
export function assertStatusTableMatchesSpec(
  statusMap: StatusMap<string>,
  specValues: readonly string[],
  declared: readonly string[] = statusMap.natives,
): void {
  assertSameSet(declared, specValues, 'the status list and the spec');
  assertSameSet(statusMap.natives, declared, 'the status map and the status list');
}

/** Asserts each native maps to the expected lifecycle state (a legal one), native kept. */
export function assertStatusMapping(
  statusMap: StatusMap<string>,
  expected: Readonly<Record<string, LifecycleState>>,
): void {
  assertSameSet(Object.keys(expected), statusMap.natives, 'the expected table and the status map');
  for (const native of statusMap.natives) {
    const mapped = statusMap.map(native);
    assert.equal(mapped.lifecycle, expected[native], native);
    assert.equal(mapped.native, native);
    assert.ok(LIFECYCLE_STATES.includes(mapped.lifecycle), `${native} maps to a lifecycle state`);
  }
}

/** Asserts a status the spec does not list maps to `fallback`, kept as native, logged once. */
export function assertUnknownStatusLoggedOnce(
  statusMap: StatusMap<string>,
  fallback: LifecycleState,
  native = 'hibernating',
): void {
  assert.ok(!statusMap.isKnown(native), `${native} must not be a known status`);
  const logger = memoryLogger();
  assert.equal(statusMap.map(native, { logger }).lifecycle, fallback);
  assert.equal(statusMap.map(native, { logger }).native, native);
  const warnings = logger.entries.filter((e) => e.obj.native === native);
  assert.equal(warnings.length, 1, 'logged once');
  assert.equal(warnings[0]?.level, 'warn');
}

/** Asserts `outcome` is a CloudError with `code` (the error itself otherwise), and returns it. */
export function assertCloudError(outcome: unknown, code: CloudErrorCode): CloudError {
  assert.ok(isCloudError(outcome), `expected CloudError ${code}, got ${String(outcome)}`);
  assert.equal(outcome.code, code, outcome.message);
  return outcome;
}

/** One row of an error table: what the cloud sends, and the code on an instance and otherwise. */
export interface ErrorCase {
  readonly onInstance: CloudErrorCode;
  readonly otherwise: CloudErrorCode;
}

type TestFn = (name: string, fn: () => Promise<void>) => unknown;

export interface ErrorTableRun<C extends ErrorCase> {
  /** The test's title for a row. */
  readonly title: (c: C) => string;
  /** Makes the cloud answer with the row's failure, then calls something about an instance. */
  readonly onInstance: (c: C) => Promise<unknown>;
  /** The same failure for a call about anything else (the catalog, say). */
  readonly otherwise: (c: C) => Promise<unknown>;
  /** More to check on the instance error (status, provider code, message). */
  readonly also?: (err: CloudError, c: C) => void;
}

/**
 * One test per row: the failure, met on an instance call, must give `onInstance`, and met on any
 * other call, `otherwise` (not-found errors differ: INSTANCE_NOT_FOUND against RESOURCE_NOT_FOUND).
 */
export function errorTableTests<C extends ErrorCase>(
  it: TestFn,
  cases: readonly C[],
  run: ErrorTableRun<C>,
): void {
  for (const c of cases) {
    it(run.title(c), async () => {
      const onInstance = assertCloudError(await settle(run.onInstance(c)), c.onInstance);
      run.also?.(onInstance, c);
      assertCloudError(await settle(run.otherwise(c)), c.otherwise);
    });
  }
}

/** What a promise settled with: its value, or what it threw. */
export function settle(promise: Promise<unknown>): Promise<unknown> {
  return promise.catch((e: unknown) => e);
}
