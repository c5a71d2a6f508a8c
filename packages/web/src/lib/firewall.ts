import type { FirewallRule } from '../api/types.js';

/** Ingress rules for the launch (SSH is always open; everything else inbound is denied). */
export interface RuleDraft {
  readonly protocol: 'tcp' | 'udp';
  readonly ports: string;
  readonly cidrs: string;
}

export const NEW_RULE: RuleDraft = { protocol: 'tcp', ports: '', cidrs: '0.0.0.0/0' };

/** The API's rule for a draft, or the reason it is not one. */
export function toRule(draft: RuleDraft): FirewallRule | string {
  const match = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(draft.ports);
  if (!match?.[1]) return `"${draft.ports}" is not a port or a range such as 8000-8100`;
  const fromPort = Number(match[1]);
  const toPort = Number(match[2] ?? match[1]);
  const cidrs = draft.cidrs
    .split(/[\s,]+/)
    .map((c) => c.trim())
    .filter(Boolean);
  if (cidrs.length === 0) return 'each rule needs at least one CIDR, e.g. 203.0.113.0/24';
  return { protocol: draft.protocol, fromPort, toPort, cidrs };
}
