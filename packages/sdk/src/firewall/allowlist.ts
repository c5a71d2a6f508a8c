import { formatCidr, collapseCidrs, parseCidr } from './cidr.js';
import { parseFirewallRules } from './validate.js';

/**
 * For clouds that accept only a list of source IPs allowed to reach the instance (no ports, no
 * protocols). Such a list cannot say "port 443 from anywhere but port 5432 only from the office",
 * so the reduction is conservative where it can be and explicit where it cannot:
 *
 * - the allowlist is the union of every ingress rule's CIDRs (the instance is reachable from each
 *   of them, on every port the cloud exposes);
 * - `warnings` lists each way the result is wider than the rules (ports or protocols merged,
 *   egress rules ignored), so the adapter can log them or refuse the launch.
 */
export interface Allowlist {
  readonly sourceCidrs: string[];
  readonly warnings: string[];
}

export function reduceToAllowlist(rules: unknown): Allowlist {
  const parsed = parseFirewallRules(rules);
  const all = parsed.ingress.flatMap((r) => r.cidrs.map((c) => parseCidr(c, 'ingress')));
  const sourceCidrs = [...new Set(collapseCidrs(all).map(formatCidr))];
  const warnings: string[] = [];
  const portSets = new Set(parsed.ingress.map((r) => `${r.protocol}:${r.fromPort}-${r.toPort}`));
  if (portSets.size > 0) {
    warnings.push(
      `the allowlist admits ${sourceCidrs.join(', ')} on every port; the rules restricted them to ${[...portSets].join(', ')}`,
    );
  }
  const cidrSets = new Set(parsed.ingress.map((r) => r.cidrs.join(',')));
  if (cidrSets.size > 1) {
    warnings.push(
      'rules gave different sources different ports; every source now reaches every allowed port',
    );
  }
  if (parsed.egress.length > 0)
    warnings.push('egress rules cannot be expressed as a source allowlist and are ignored');
  return { sourceCidrs, warnings };
}
