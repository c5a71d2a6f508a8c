import { createHash } from 'node:crypto';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { CloudError, isCloudError, type FirewallRule, type FirewallRules } from '@cloudplane/sdk';
import type { Ec2Api } from './ec2.js';
import { TAG_FIREWALL } from './tags.js';

/**
 * Firewall rules as EC2 security groups, one group per distinct rule set ("content-addressed"):
 * the group's name carries a digest of its rules, so every instance launched with the same rules
 * shares one group, a launch never leaves a group behind when it fails, and changing an
 * instance's rules means moving it to the group of the new set (ModifyInstanceAttribute). Groups
 * live in the region's default VPC and are never deleted (they hold no state and are few).
 *
 * A group is brought to its rules each time it is used: a rule missing (a launch that died
 * between creating and filling the group) is added, one too many (edited by hand) revoked.
 */

/** One rule for one CIDR, the unit EC2 stores; protocol `-1` is "everything" (egress default). */
export interface Permission {
  readonly protocol: 'tcp' | 'udp' | '-1';
  readonly fromPort?: number | undefined;
  readonly toPort?: number | undefined;
  readonly cidr: string;
}

/** SSH stays reachable whatever the rules say (docs/contract.md, Firewalls). */
const SSH: Permission[] = [
  { protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' },
  { protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '::/0' },
];
/** What EC2 gives a new group as egress, and what no `egress` rules means. */
const ALL_OUT: Permission[] = [
  { protocol: '-1', cidr: '0.0.0.0/0' },
  { protocol: '-1', cidr: '::/0' },
];

const CIDR_V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const CIDR_V6 = /^[0-9a-fA-F:]+\/\d{1,3}$/;

export interface RuleSet {
  readonly name: string;
  readonly digest: string;
  readonly ingress: readonly Permission[];
  readonly egress: readonly Permission[];
}

/** The rule set of `rules` (checked: INVALID_ARGUMENT for rules EC2 could not hold). */
export function ruleSetOf(rules: FirewallRules | undefined, what: string): RuleSet {
  const ingress = unique([...SSH, ...flatten(rules?.ingress ?? [], what)]);
  const egressRules = rules?.egress ?? [];
  const egress = egressRules.length > 0 ? unique(flatten(egressRules, what)) : ALL_OUT;
  const canonical = JSON.stringify({ ingress: ingress.map(keyOf), egress: egress.map(keyOf) });
  const digest = createHash('sha256').update(canonical).digest('hex').slice(0, 20);
  return { name: `cloudplane-fw-${digest}`, digest, ingress, egress };
}

function flatten(rules: readonly FirewallRule[], what: string): Permission[] {
  return rules.flatMap((rule) => {
    const { fromPort, toPort } = rule;
    if (!(fromPort >= 1 && toPort <= 65535 && fromPort <= toPort)) {
      throw new CloudError('INVALID_ARGUMENT', {
        message: `${what}: port range ${fromPort}-${toPort} is not within 1-65535 (from <= to)`,
      });
    }
    return rule.cidrs.map((cidr) => {
      if (!isCidr(cidr)) {
        throw new CloudError('INVALID_ARGUMENT', {
          message: `${what}: "${cidr}" is not a CIDR such as 203.0.113.0/24 or 2001:db8::/32`,
        });
      }
      return { protocol: rule.protocol, fromPort, toPort, cidr };
    });
  });
}

function isCidr(text: string): boolean {
  const v4 = CIDR_V4.exec(text);
  if (v4) return v4.slice(1, 5).every((n) => Number(n) <= 255) && Number(v4[5]) <= 32;
  return CIDR_V6.test(text) && Number(text.split('/')[1]) <= 128;
}

function keyOf(p: Permission): string {
  return `${p.protocol}:${p.fromPort ?? ''}-${p.toPort ?? ''}:${p.cidr}`;
}

function unique(list: readonly Permission[]): Permission[] {
  const byKey = new Map(list.map((p) => [keyOf(p), p]));
  return [...byKey.keys()].sort().map((k) => byKey.get(k) as Permission);
}

/** The id of the group holding `set`, created or repaired as needed. */
export async function ensureSecurityGroup(api: Ec2Api, set: RuleSet): Promise<string> {
  let group = await findGroup(api, set.name);
  if (!group) {
    try {
      await api.call(`create security group ${set.name}`, 'if-refused', (c, o) =>
        c.send(
          new CreateSecurityGroupCommand({
            GroupName: set.name,
            Description: `cloudplane firewall rule set ${set.digest}`,
            TagSpecifications: [
              { ResourceType: 'security-group', Tags: [{ Key: TAG_FIREWALL, Value: set.digest }] },
            ],
          }),
          o,
        ),
      );
    } catch (err) {
      // A concurrent launch with the same rules made it first: use theirs.
      if (providerCode(err) !== 'InvalidGroup.Duplicate') throw err;
    }
    group = await findGroup(api, set.name);
    if (!group) {
      throw new CloudError('INTERNAL', {
        message: `security group ${set.name} was created but AWS does not list it`,
      });
    }
  }
  const groupId = group.GroupId;
  if (groupId === undefined) {
    throw new CloudError('INTERNAL', { message: `AWS listed ${set.name} without its id` });
  }
  await converge(api, groupId, 'ingress', read(group.IpPermissions), set.ingress);
  await converge(api, groupId, 'egress', read(group.IpPermissionsEgress), set.egress);
  return groupId;
}

async function findGroup(api: Ec2Api, name: string): Promise<SecurityGroup | undefined> {
  try {
    const answer = await api.call(`describe security group ${name}`, 'idempotent', (c, o) =>
      c.send(new DescribeSecurityGroupsCommand({ GroupNames: [name] }), o),
    );
    return answer.SecurityGroups?.[0];
  } catch (err) {
    if (providerCode(err) === 'InvalidGroup.NotFound') return undefined;
    throw err;
  }
}

/** Adds what is missing, then revokes what is extra (adding first keeps SSH open throughout). */
async function converge(
  api: Ec2Api,
  groupId: string,
  direction: 'ingress' | 'egress',
  current: readonly Permission[],
  wanted: readonly Permission[],
): Promise<void> {
  const have = new Set(current.map(keyOf));
  const want = new Set(wanted.map(keyOf));
  const missing = wanted.filter((p) => !have.has(keyOf(p)));
  const extra = current.filter((p) => !want.has(keyOf(p)));
  if (missing.length > 0) {
    const IpPermissions = missing.map(toIpPermission);
    try {
      await api.call(`allow ${direction} on ${groupId}`, 'idempotent', (c, o) =>
        direction === 'ingress'
          ? c.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions }), o)
          : c.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions }), o),
      );
    } catch (err) {
      // A concurrent launch added the same rules: they are there, which is all we want.
      if (!isCloudError(err, 'DUPLICATE_FIREWALL_RULE')) throw err;
    }
  }
  if (extra.length > 0) {
    const IpPermissions = extra.map(toIpPermission);
    try {
      await api.call(`revoke ${direction} on ${groupId}`, 'idempotent', (c, o) =>
        direction === 'ingress'
          ? c.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions }), o)
          : c.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions }), o),
      );
    } catch (err) {
      if (providerCode(err) !== 'InvalidPermission.NotFound') throw err;
    }
  }
}

const PROTOCOL_NUMBERS: Readonly<Record<string, Permission['protocol']>> = {
  '6': 'tcp',
  '17': 'udp',
  tcp: 'tcp',
  udp: 'udp',
  '-1': '-1',
};

/** EC2's permissions, one per CIDR; rules we never write (groups, prefix lists) are kept out. */
function read(permissions: readonly IpPermission[] | undefined): Permission[] {
  return (permissions ?? []).flatMap((p) => {
    const protocol = PROTOCOL_NUMBERS[p.IpProtocol ?? ''];
    if (protocol === undefined) return [];
    const ports = protocol === '-1' ? {} : { fromPort: p.FromPort, toPort: p.ToPort };
    return [
      ...(p.IpRanges ?? []).flatMap((r) =>
        r.CidrIp ? [{ protocol, ...ports, cidr: r.CidrIp }] : [],
      ),
      ...(p.Ipv6Ranges ?? []).flatMap((r) =>
        r.CidrIpv6 ? [{ protocol, ...ports, cidr: r.CidrIpv6 }] : [],
      ),
    ];
  });
}

function toIpPermission(p: Permission): IpPermission {
  const v6 = p.cidr.includes(':');
  return {
    IpProtocol: p.protocol,
    ...(p.protocol === '-1' ? {} : { FromPort: p.fromPort, ToPort: p.toPort }),
    ...(v6 ? { Ipv6Ranges: [{ CidrIpv6: p.cidr }] } : { IpRanges: [{ CidrIp: p.cidr }] }),
  };
}

/** EC2's own error code of a CloudError from the call layer. */
export function providerCode(err: unknown): string | undefined {
  return err instanceof CloudError ? err.detail.providerCode : undefined;
}
