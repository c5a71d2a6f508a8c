import { z } from 'zod';
import { seededRandom } from './random.js';

/**
 * Fault injection: set at start (options, `--faults FILE`) or at run time (`PUT /admin/faults`).
 * Each rule applies to one endpoint (or `*`), with a probability `rate` drawn from the seeded
 * PRNG, optionally only for the next `times` matching requests.
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

export const FaultRuleSchema = z.object({
  endpoint: z.union([z.enum(ENDPOINTS), z.literal('*')]),
  kind: z.enum(['latency', 'error', 'rate-limit', 'timeout', 'malformed', 'truncated']),
  /** Probability per matching request; default 1. */
  rate: z.number().min(0).max(1).default(1),
  /** Apply only to the next N matching requests. */
  times: z.number().int().positive().optional(),
  /** For `error`: the HTTP status (default 500). */
  status: z.number().int().min(400).max(599).default(500),
  /** For `latency`: added delay. */
  latencyMs: z.number().int().nonnegative().default(0),
  /** For `rate-limit`: the Retry-After value. */
  retryAfterSeconds: z.number().int().nonnegative().default(1),
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

export class FaultInjector {
  private config: FaultConfig;
  private readonly random: () => number;
  private readonly used = new Map<FaultRule, number>();

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

  /** The rules that fire for this request, each consumed once if limited by `times`. */
  decide(endpoint: Endpoint): FaultRule[] {
    return this.config.rules.filter((rule) => {
      if (rule.endpoint !== '*' && rule.endpoint !== endpoint) return false;
      const used = this.used.get(rule) ?? 0;
      if (rule.times !== undefined && used >= rule.times) return false;
      if (this.random() >= rule.rate) return false;
      this.used.set(rule, used + 1);
      return true;
    });
  }

  bootFails(): boolean {
    return this.config.bootFailureRate > 0 && this.random() < this.config.bootFailureRate;
  }
}
