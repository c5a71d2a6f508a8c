import { z } from 'zod';
import { seededRandom } from './random.js';

/**
 * Fault injection: set at start (options, `--faults FILE`) or at run time (`PUT /admin/faults`).
 * Each rule applies to one endpoint (or `*`), with a probability `rate` drawn from the seeded
 * PRNG, optionally only for the next `times` matching requests.
 *
 * Most kinds fire before the request does anything. The `-after` kinds fire once the request
 * has taken effect, because a cloud that accepted a launch and then failed to say so is the
 * failure a caller can least afford to get wrong: retrying blindly launches twice.
 */

export const ENDPOINTS = [
  'regions',
  'listInstanceTypes',
  'createInstance',
  'getInstance',
  'listInstances',
  'terminateInstance',
  'stopInstance',
  'startInstance',
  'rebootInstance',
  'updateTags',
  'sshKeys',
] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

/** The endpoints whose requests change the cloud, so a fault can come after the change. */
export const MUTATING_ENDPOINTS = [
  'createInstance',
  'terminateInstance',
  'stopInstance',
  'startInstance',
  'rebootInstance',
  'updateTags',
] as const satisfies readonly Endpoint[];
export type MutatingEndpoint = (typeof MUTATING_ENDPOINTS)[number];

export const FAULT_KINDS = [
  'latency',
  'error',
  'rate-limit',
  'timeout',
  'malformed',
  'truncated',
  'error-after',
  'timeout-after',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const AFTER_KINDS: readonly FaultKind[] = ['error-after', 'timeout-after'];

export function isAfterKind(kind: FaultKind): boolean {
  return AFTER_KINDS.includes(kind);
}

const MUTATING = new Set<string>(MUTATING_ENDPOINTS);

function isMutating(endpoint: Endpoint | '*'): boolean {
  return MUTATING.has(endpoint);
}

export const FaultRuleSchema = z
  .object({
    endpoint: z.union([z.enum(ENDPOINTS), z.literal('*')]),
    kind: z.enum(FAULT_KINDS),
    /** Probability per matching request; default 1. */
    rate: z.number().min(0).max(1).default(1),
    /** Apply only to the next N matching requests. */
    times: z.number().int().positive().optional(),
    /** For `error` and `error-after`: the HTTP status (default 500). */
    status: z.number().int().min(400).max(599).default(500),
    /** For `latency`: added delay. */
    latencyMs: z.number().int().nonnegative().default(0),
    /** For `rate-limit`: the Retry-After value. */
    retryAfterSeconds: z.number().int().nonnegative().default(1),
  })
  .refine((rule) => !isAfterKind(rule.kind) || rule.endpoint === '*' || isMutating(rule.endpoint), {
    message: `error-after and timeout-after apply to ${MUTATING_ENDPOINTS.join(', ')} or *`,
    path: ['endpoint'],
  });
export type FaultRule = z.infer<typeof FaultRuleSchema>;

export const FaultConfigSchema = z.object({
  rules: z.array(FaultRuleSchema).default([]),
  /** Fail this page (1-based) of every instance / instance-type list walk. */
  failPage: z.number().int().positive().optional(),
  /** Every launch fails with the out-of-capacity error. */
  outOfCapacity: z.boolean().default(false),
  /** Every launch fails with the quota error. */
  quotaExceeded: z.boolean().default(false),
  /** Probability that a machine fails to boot. */
  bootFailureRate: z.number().min(0).max(1).default(0),
});
export type FaultConfig = z.infer<typeof FaultConfigSchema>;
export type FaultConfigInput = z.input<typeof FaultConfigSchema>;

/**
 * What the injector has done since the server started (never reset by `replace`): requests it
 * was asked about per endpoint, and faults that took effect per endpoint and kind. A request
 * for which several rules fire gets only the first that ends it (the server's order), so that
 * is the one counted; `latency` is counted but ends nothing.
 */
export interface FaultCounts {
  readonly requests: Readonly<Partial<Record<Endpoint, number>>>;
  readonly injected: Readonly<Partial<Record<Endpoint, Partial<Record<FaultKind, number>>>>>;
}

export class FaultInjector {
  private config: FaultConfig;
  private readonly random: () => number;
  private readonly used = new Map<FaultRule, number>();
  private readonly requestCounts = new Map<Endpoint, number>();
  private readonly injectedCounts = new Map<Endpoint, Map<FaultKind, number>>();

  constructor(config: FaultConfigInput, seed: number) {
    this.config = FaultConfigSchema.parse(config);
    this.random = seededRandom(seed ^ 0x5eed);
  }

  get current(): FaultConfig {
    return this.config;
  }

  replace(config: FaultConfigInput): FaultConfig {
    this.config = FaultConfigSchema.parse(config);
    this.used.clear();
    return this.config;
  }

  /**
   * The rules that fire before this request does anything, each consumed once if limited by
   * `times`. The `-after` kinds are left for `decideAfter`.
   */
  decide(endpoint: Endpoint): FaultRule[] {
    const fired = this.config.rules.filter(
      (rule) => !isAfterKind(rule.kind) && this.matches(rule, endpoint) && this.fires(rule),
    );
    this.requestCounts.set(endpoint, (this.requestCounts.get(endpoint) ?? 0) + 1);
    for (const rule of fired) {
      this.count(endpoint, rule.kind);
      if (rule.kind !== 'latency') break; // the server stops at the first rule that answers
    }
    return fired;
  }

  /**
   * The one `-after` rule that fires for a request that has just taken effect, if any. Asked
   * only then, so a request the cloud refused on its own (capacity, quota, bad state) does not
   * use up `times`, and `times: 1` means exactly one accepted request answered with a failure.
   */
  decideAfter(endpoint: Endpoint): FaultRule | undefined {
    if (!isMutating(endpoint)) return undefined;
    const rule = this.config.rules.find(
      (r) => isAfterKind(r.kind) && this.matches(r, endpoint) && this.fires(r),
    );
    if (rule) this.count(endpoint, rule.kind);
    return rule;
  }

  /** Requests decided and faults injected so far, per endpoint (and kind). */
  counts(): FaultCounts {
    const requests: Partial<Record<Endpoint, number>> = {};
    for (const [endpoint, n] of this.requestCounts) requests[endpoint] = n;
    const injected: Partial<Record<Endpoint, Partial<Record<FaultKind, number>>>> = {};
    for (const [endpoint, kinds] of this.injectedCounts) {
      const byKind: Partial<Record<FaultKind, number>> = {};
      for (const [kind, n] of kinds) byKind[kind] = n;
      injected[endpoint] = byKind;
    }
    return { requests, injected };
  }

  private count(endpoint: Endpoint, kind: FaultKind): void {
    let kinds = this.injectedCounts.get(endpoint);
    if (!kinds) {
      kinds = new Map();
      this.injectedCounts.set(endpoint, kinds);
    }
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }

  private matches(rule: FaultRule, endpoint: Endpoint): boolean {
    if (rule.endpoint !== '*' && rule.endpoint !== endpoint) return false;
    const used = this.used.get(rule) ?? 0;
    return rule.times === undefined || used < rule.times;
  }

  private fires(rule: FaultRule): boolean {
    if (this.random() >= rule.rate) return false;
    this.used.set(rule, (this.used.get(rule) ?? 0) + 1);
    return true;
  }

  bootFails(): boolean {
    return this.config.bootFailureRate > 0 && this.random() < this.config.bootFailureRate;
  }
}
