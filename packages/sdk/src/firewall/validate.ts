import { FirewallRulesSchema, PROTOCOLS, type FirewallRule, type FirewallRules } from './rules.js';
import { collapseCidrs, formatCidr, parseCidr, FirewallRuleError } from './cidr.js';

/**
 * Turns untrusted rule input into normalised FirewallRules: shapes checked, ports in range,
 * CIDRs canonical (host bits cleared, covered ranges dropped), identical rules merged. Every
 * error names the rule and field, and says what to write instead.
 */
export function parseFirewallRules(input: unknown): FirewallRules {
  const parsed = FirewallRulesSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw new FirewallRuleError(path || 'firewallRules', issue?.message ?? 'invalid rules');
  }
  return {
    ingress: normaliseList(parsed.data.ingress, 'ingress'),
    egress: normaliseList(parsed.data.egress, 'egress'),
  };
}

function normaliseList(rules: readonly FirewallRule[], list: string): FirewallRule[] {
  const merged = new Map<string, FirewallRule>();
  rules.forEach((rule, index) => {
    const path = `${list}[${index}]`;
    checkPorts(rule, path);
    if (!PROTOCOLS.includes(rule.protocol)) {
      throw new FirewallRuleError(`${path}.protocol`, `use one of ${PROTOCOLS.join(', ')}`);
    }
    const cidrs = rule.cidrs.map((c, i) => parseCidr(c, `${path}.cidrs[${i}]`));
    const key = `${rule.protocol}:${rule.fromPort}-${rule.toPort}`;
    const previous = merged.get(key);
    const all = [...(previous?.cidrs.map((c) => parseCidr(c, path)) ?? []), ...cidrs];
    const normalised: FirewallRule = {
      protocol: rule.protocol,
      fromPort: rule.fromPort,
      toPort: rule.toPort,
      cidrs: unique(collapseCidrs(all).map(formatCidr)),
    };
    const description = rule.description ?? previous?.description;
    merged.set(key, description === undefined ? normalised : { ...normalised, description });
  });
  return [...merged.values()];
}

function checkPorts(rule: FirewallRule, path: string): void {
  for (const field of ['fromPort', 'toPort'] as const) {
    const port = rule[field];
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new FirewallRuleError(`${path}.${field}`, `${port} is not a port; use 1-65535`);
    }
  }
  if (rule.fromPort > rule.toPort) {
    throw new FirewallRuleError(
      path,
      `fromPort ${rule.fromPort} is above toPort ${rule.toPort}; swap them (toPort is inclusive)`,
    );
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
