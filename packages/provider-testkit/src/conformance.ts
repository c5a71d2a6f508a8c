import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  runConformance,
  type CheckResult,
  type ConformanceOptions,
  type ConformanceReport,
  type Probes,
} from '@cloudplane/conformance';
import type { InjectedFault } from '@cloudplane/spec-fake';

/**
 * The conformance suite wired to a fake: its probes (the failures a real cloud shows only by
 * chance, provoked on purpose), short timeouts for a fake that answers at once, and assertions
 * over the report that say which check broke and why.
 */

/** What a fake offers the probes: a way to run out of capacity, and faults per route. */
export interface ProbeTarget {
  inject(route: string, fault: InjectedFault): () => void;
}

export interface FakeProbeOptions {
  /** Empties the fake's capacity; returns what puts it back. Without it the capacity check skips. */
  readonly exhaustCapacity?: () => () => void;
  /**
   * The route of the instance list (`GET /instances`): failListPage makes it answer with
   * `failStatus` until restored. Without it the list-complete check skips.
   */
  readonly listRoute?: string;
  /** The status a failing page answers with. Default 503. */
  readonly failStatus?: number;
}

/** How many requests a failing page keeps failing: more than any retry policy makes. */
const FAIL_UNTIL_RESTORED = 1_000;

/** The suite's `probes` for a fake: each provokes its failure and returns its undo. */
export function fakeProbes(fake: ProbeTarget, options: FakeProbeOptions): Probes {
  const { exhaustCapacity, listRoute } = options;
  return {
    ...(exhaustCapacity && {
      provokeCapacityError: () => {
        const restore = exhaustCapacity();
        return Promise.resolve(() => {
          restore();
          return Promise.resolve();
        });
      },
    }),
    ...(listRoute !== undefined && {
      failListPage: () => {
        const remove = fake.inject(listRoute, {
          status: options.failStatus ?? 503,
          times: FAIL_UNTIL_RESTORED,
        });
        return Promise.resolve(() => {
          remove();
          return Promise.resolve();
        });
      },
    }),
  };
}

/** Timeouts for a fake on a shared, slow machine: generous waits, fast polling. */
export const FAKE_TIMEOUTS = {
  callMs: 60_000,
  runningMs: 60_000,
  transitionMs: 60_000,
  pollMs: 50,
} as const;

/** Runs the suite against a fake: a fresh cloudCredRefId and FAKE_TIMEOUTS unless given. */
export function runFakeConformance<C>(
  options: Omit<ConformanceOptions<C>, 'cloudCredRefId'> & { readonly cloudCredRefId?: string },
): Promise<ConformanceReport> {
  return runConformance({
    ...options,
    cloudCredRefId: options.cloudCredRefId ?? randomUUID(),
    timeouts: { ...FAKE_TIMEOUTS, ...options.timeouts },
  });
}

/** One line per failed or errored check: id, message, expected, actual, and the rule broken. */
export function failedChecks(report: ConformanceReport): string[] {
  return report.checks
    .filter((c) => c.status === 'fail' || c.status === 'error')
    .map((c) => describeCheck(c));
}

function describeCheck(c: CheckResult): string {
  return [c.id, c.message, c.expected && `expected ${c.expected}`, c.actual && `got ${c.actual}`]
    .filter(Boolean)
    .join(': ');
}

/** Ids of the checks that ended with `status`, sorted. */
export function checkIds(report: ConformanceReport, status: CheckResult['status']): string[] {
  return report.checks
    .filter((c) => c.status === status)
    .map((c) => c.id)
    .sort();
}

/** Asserts that no check failed and that each of `ids` ran and passed. */
export function assertPassed(report: ConformanceReport, ids: readonly string[]): void {
  assert.deepEqual(failedChecks(report), [], 'checks that failed');
  const passed = new Set(checkIds(report, 'pass'));
  for (const id of ids) assert.ok(passed.has(id), `${id} passed`);
}

/** Asserts that exactly `ids` were skipped, with each skip's reason in the failure message. */
export function assertSkippedExactly(report: ConformanceReport, ids: readonly string[]): void {
  const skipped = report.checks.filter((c) => c.status === 'skip');
  assert.deepEqual(
    skipped.map((c) => c.id).sort(),
    [...ids].sort(),
    skipped.map((c) => `${c.id}: ${c.message ?? ''}`).join('\n'),
  );
}

/** Asserts the suite left nothing behind: no leaked id, and `live()` of the fake is empty. */
export function assertNothingLeft(report: ConformanceReport, live: readonly unknown[]): void {
  assert.deepEqual(report.leaked, []);
  assert.deepEqual(live, []);
}
