import type { FaultConfigInput } from '@cloudplane/devcloud';
import type { Random } from './random.js';

/**
 * The fault schedule: a sequence of epochs, each a devcloud fault config set at run time
 * (`faults.replace`) for a few seconds. Every epoch draws its rules from the menu below, so
 * over a run every endpoint the control plane calls meets every kind of failure: 5xx, 429 with
 * Retry-After, hangs before and after the cloud acted, malformed JSON, a failing page in the
 * middle of a list walk, and launches refused for capacity.
 */

type RuleInput = NonNullable<FaultConfigInput['rules']>[number];

const MUTATING = ['createInstance', 'terminateInstance', 'stopInstance', 'startInstance'] as const;
type FaultedEndpoint = 'getInstance' | 'listInstances' | (typeof MUTATING)[number];

/** How often each endpoint is chosen for a rule: lists are called most, gets least. */
const ENDPOINT_WEIGHTS: readonly (readonly [FaultedEndpoint, number])[] = [
  ['createInstance', 3],
  ['listInstances', 3],
  ['getInstance', 2],
  ['terminateInstance', 2],
  ['stopInstance', 1.5],
  ['startInstance', 1.5],
];

type Kind = 'error' | 'rate-limit' | 'timeout' | 'malformed' | 'error-after' | 'timeout-after';

const KIND_WEIGHTS: readonly (readonly [Kind, number])[] = [
  ['error', 3],
  ['rate-limit', 2],
  ['timeout', 1.5],
  ['malformed', 1.5],
  ['error-after', 2],
  ['timeout-after', 1.5],
];

export interface Epoch {
  readonly config: FaultConfigInput;
  readonly ms: number;
}

export interface ScheduleOptions {
  /** Epoch length bounds. */
  readonly minEpochMs: number;
  readonly maxEpochMs: number;
}

function isMutating(endpoint: FaultedEndpoint): boolean {
  return (MUTATING as readonly string[]).includes(endpoint);
}

function rule(random: Random): RuleInput {
  const endpoint = random.weighted(ENDPOINT_WEIGHTS);
  let kind = random.weighted(KIND_WEIGHTS);
  // The `-after` kinds exist only for requests that change the cloud.
  if ((kind === 'error-after' || kind === 'timeout-after') && !isMutating(endpoint)) {
    kind = kind === 'error-after' ? 'error' : 'timeout';
  }
  const rate = Math.round(random.between(0.25, 0.7) * 100) / 100;
  switch (kind) {
    case 'error':
    case 'error-after':
      return { endpoint, kind, rate, status: random.pick([500, 502, 503]) };
    case 'rate-limit':
      return { endpoint, kind, rate, retryAfterSeconds: random.int(1, 2) };
    case 'timeout':
    case 'timeout-after':
    case 'malformed':
      return { endpoint, kind, rate };
  }
}

/** The next epoch: calm now and then, else 2-5 rules, sometimes a failing page or no capacity. */
export function nextEpoch(random: Random, options: ScheduleOptions): Epoch {
  const ms = random.int(options.minEpochMs, options.maxEpochMs);
  if (random.chance(0.12)) return { config: {}, ms };
  const rules: RuleInput[] = [];
  const n = random.int(2, 5);
  for (let i = 0; i < n; i++) rules.push(rule(random));
  const config: FaultConfigInput = {
    rules,
    ...(random.chance(0.35) ? { failPage: 2 } : {}),
    ...(random.chance(0.12) ? { outOfCapacity: true } : {}),
  };
  return { config, ms };
}
