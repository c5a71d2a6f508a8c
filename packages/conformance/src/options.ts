import type { Logger, Provider } from '@cloudplane/sdk';
import type { CheckGroup } from './check-ids.js';
import type { CheckResult } from './report.js';

export interface Timeouts {
  /** Any single adapter call. */
  readonly callMs: number;
  /** From create to running. */
  readonly runningMs: number;
  /** Stop, start, reboot, terminate, each. */
  readonly transitionMs: number;
  /** SSH connect + command. */
  readonly sshMs: number;
  /** Status polling interval. */
  readonly pollMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  callMs: 120_000,
  runningMs: 20 * 60_000,
  transitionMs: 10 * 60_000,
  sshMs: 3 * 60_000,
  pollMs: 5_000,
};

/**
 * Hooks a test target can offer to provoke failures a real cloud only shows by chance. Each
 * returns a function that undoes it. A real cloud leaves them out and those checks skip.
 */
export interface Probes {
  /** Make the next launches fail for lack of capacity. */
  readonly provokeCapacityError?: () => Promise<() => Promise<void>>;
  /** Make a page of the instance list fail. */
  readonly failListPage?: () => Promise<() => Promise<void>>;
}

export interface ConformanceOptions<C = unknown> {
  readonly provider: Provider<C>;
  /** Unparsed; the suite parses it with provider.credentialSchema (a check of its own). */
  readonly credential: unknown;
  /**
   * Where to launch (default: the location of the cheapest available type). For a `locational`
   * provider it is also the one location the run covers: its catalog checks and lifecycle use
   * only that location's client. Without it, a locational run covers every location
   * getLocations() lists (docs/conformance.md, "Locational providers").
   */
  readonly location?: string;
  /** Which type to launch (the provider's type name; default: the cheapest available). */
  readonly instanceType?: string;
  /** Ids that must exist in the catalog (ids you promised to users). */
  readonly stableInstanceTypeIds?: readonly string[];
  /** Groups to run; default all. */
  readonly select?: readonly CheckGroup[];
  readonly timeouts?: Partial<Timeouts>;
  /** Abort (Ctrl-C): remaining checks skip, cleanup still runs. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (result: CheckResult) => void;
  readonly probes?: Probes;
  readonly logger?: Logger;
  /** The cloudCredRefId the suite's client uses; default a fresh one per run. */
  readonly cloudCredRefId?: string;
}
