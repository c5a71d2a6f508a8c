import { z } from 'zod';

/**
 * Firewall rules attached to an instance. Semantics, for every adapter: inbound is denied except
 * what `ingress` allows (SSH is always allowed, see firewall/script), outbound is allowed unless
 * `egress` is given, in which case only what it lists is allowed.
 */

export const PROTOCOLS = ['tcp', 'udp'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const FirewallRuleSchema = z.object({
  protocol: z.enum(PROTOCOLS),
  /** First port of the range, 1-65535. */
  fromPort: z.number().int(),
  /** Last port of the range (inclusive); equal to fromPort for a single port. */
  toPort: z.number().int(),
  /** Source (ingress) or destination (egress) CIDRs; `0.0.0.0/0` for anywhere. */
  cidrs: z.array(z.string()).min(1),
  description: z.string().max(255).optional(),
});
export type FirewallRule = z.infer<typeof FirewallRuleSchema>;

export const FirewallRulesSchema = z.object({
  ingress: z.array(FirewallRuleSchema).default([]),
  egress: z.array(FirewallRuleSchema).default([]),
});
export type FirewallRules = z.infer<typeof FirewallRulesSchema>;

export const NO_FIREWALL_RULES: FirewallRules = { ingress: [], egress: [] };
