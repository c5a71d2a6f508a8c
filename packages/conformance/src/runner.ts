import { randomBytes } from 'node:crypto';
import { CHECKS, checkInfo, type CheckGroup, type CheckId } from './check-ids.js';
import * as catalog from './checks/catalog.js';
import * as contract from './checks/contract.js';
import * as lifecycle from './checks/lifecycle.js';
import * as machine from './checks/machine.js';
import { Cleanup } from './cleanup.js';
import { makeSuiteClient, runLocations } from './clients.js';
import { DEFAULT_TIMEOUTS, type ConformanceOptions } from './options.js';
import { CheckFailure, CheckSkip } from './outcome.js';
import type { CheckResult, ConformanceReport } from './report.js';
import type { RunState } from './run-state.js';

type CheckFn = (state: RunState) => Promise<void> | void;

/** The checks in the order they run: each may rely on what earlier ones left in the state. */
const PLAN: readonly (readonly [CheckId, CheckFn])[] = [
  ['contract.provider-shape', contract.providerShape],
  ['contract.capabilities', contract.capabilities],
  ['catalog.locations', catalog.locations],
  ['catalog.types-valid', catalog.typesValid],
  ['catalog.ids-unique', catalog.idsUnique],
  ['catalog.ids-stable', catalog.idsStable],
  ['catalog.name-filter', catalog.nameFilter],
  ['catalog.location-subset', catalog.locationSubset],
  ['catalog.stable-ids-exist', catalog.stableIdsExist],
  ['catalog.gpus-legal', catalog.gpusLegal],
  ['catalog.storage-prices', catalog.storagePrices],
  ['catalog.capability-flags', catalog.capabilityFlags],
  ['lifecycle.create', lifecycle.create],
  ['lifecycle.get', lifecycle.get],
  ['lifecycle.list-by-id', lifecycle.listById],
  ['lifecycle.list-by-tag', lifecycle.listByTag],
  ['lifecycle.list-by-location', lifecycle.listByLocation],
  ['lifecycle.second-client', lifecycle.secondClient],
  ['lifecycle.list-complete', lifecycle.listComplete],
  ['lifecycle.running', lifecycle.running],
  ['lifecycle.ssh', machine.ssh],
  ['firewall.allowed-port-open', machine.allowedPortOpen],
  ['firewall.other-port-closed', machine.otherPortClosed],
  ['firewall.docker-published-port', machine.dockerPublishedPort],
  ['lifecycle.stop-start', lifecycle.stopStart],
  ['lifecycle.reboot', lifecycle.reboot],
  ['lifecycle.capacity-error', lifecycle.capacityError],
  ['lifecycle.terminate', lifecycle.terminate],
  ['lifecycle.unknown-id', lifecycle.unknownId],
];

/** Lifecycle checks need a client for the instance; firewall checks need the lifecycle's instance. */
function groupSelected(group: CheckGroup, select: readonly CheckGroup[] | undefined): boolean {
  if (select === undefined || select.length === 0) return true;
  if (group === 'contract') return true;
  return select.includes(group) || (group === 'lifecycle' && select.includes('firewall'));
}

/**
 * Runs the conformance suite against a live API and returns the report. Never throws for a
 * failing adapter: every problem becomes a check result. Instances it creates are terminated
 * before it returns, whatever happened; those it could not terminate are in `leaked`.
 */
export async function runConformance<C>(
  typedOptions: ConformanceOptions<C>,
): Promise<ConformanceReport> {
  // The suite handles the credential as opaque data: it only passes what the provider's own
  // schema parsed back to the same provider's makeClient.
  const options = typedOptions as unknown as ConformanceOptions;
  const started = Date.now();
  const state: RunState = {
    options,
    provider: options.provider,
    timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
    runId: randomBytes(4).toString('hex'),
    cleanup: new Cleanup(),
    facts: {},
    allowedPort: 8080,
    blockedPort: 8081,
  };
  const results: CheckResult[] = [];
  let leaked: string[] = [];
  try {
    for (const [id, fn] of PLAN) {
      const info = checkInfo(id);
      if (!groupSelected(info.group, options.select)) continue;
      const result = await runOne(id, fn, state);
      results.push(result);
      options.onProgress?.(result);
      if (id === 'contract.provider-shape' && state.credential !== undefined) {
        state.client = makeSuiteClient({
          provider: state.provider,
          credential: state.credential,
          cloudCredRefId: options.cloudCredRefId ?? `conformance-${state.runId}`,
          logger: options.logger,
          location: options.location,
        });
      }
    }
  } finally {
    // Cleanup must run even after an abort, so it does not use the aborted signal.
    leaked = state.client ? await state.cleanup.run(state.client) : [...state.cleanup.registered];
  }
  const covered = state.client ? runLocations(state.client) : undefined;
  if (covered) state.facts.locations = covered.join(', ');
  return buildReport(state, results, started, leaked);
}

function isAborted(state: RunState): boolean {
  return state.options.signal?.aborted === true;
}

async function runOne(id: CheckId, fn: CheckFn, state: RunState): Promise<CheckResult> {
  const info = checkInfo(id);
  const base = { id, group: info.group, title: info.title };
  const t0 = Date.now();
  if (isAborted(state)) {
    return { ...base, status: 'skip', durationMs: 0, message: 'aborted' };
  }
  try {
    await fn(state);
    return { ...base, status: 'pass', durationMs: Date.now() - t0 };
  } catch (err) {
    const durationMs = Date.now() - t0;
    if (err instanceof CheckSkip)
      return { ...base, status: 'skip', durationMs, message: err.message };
    if (isAborted(state)) return { ...base, status: 'skip', durationMs, message: 'aborted' };
    if (err instanceof CheckFailure) {
      return {
        ...base,
        status: 'fail',
        durationMs,
        message: err.message,
        ...(err.expected !== undefined ? { expected: err.expected } : {}),
        ...(err.actual !== undefined ? { actual: err.actual } : {}),
        hint: info.rule,
      };
    }
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return {
      ...base,
      status: 'fail',
      durationMs,
      message: `the adapter threw ${message}`,
      hint: info.rule,
    };
  }
}

function buildReport(
  state: RunState,
  checks: CheckResult[],
  started: number,
  leaked: string[],
): ConformanceReport {
  const count = (s: CheckResult['status']) => checks.filter((c) => c.status === s).length;
  return {
    schemaVersion: 1,
    provider: state.provider.id,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    summary: {
      passed: count('pass'),
      failed: count('fail'),
      skipped: count('skip'),
      errored: count('error'),
    },
    facts: state.facts,
    checks,
    leaked,
  };
}

export { CHECKS };
