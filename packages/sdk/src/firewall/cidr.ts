/**
 * IPv4 CIDR parsing for firewall rules. IPv6 sources are refused with an explanation: the boot
 * script firewalls IPv6 too, but only as "SSH in, nothing else", so a rule naming an IPv6 source
 * would silently not apply; refusing it is the honest answer until it is built end to end.
 */

export class FirewallRuleError extends Error {
  override readonly name = 'FirewallRuleError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

export interface Ipv4Cidr {
  /** Network address as a 32-bit unsigned number (host bits cleared). */
  readonly network: number;
  readonly prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return null;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses `10.0.0.0/8` or a bare address (`/32`), clearing host bits. */
export function parseCidr(text: string, path: string): Ipv4Cidr {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    throw new FirewallRuleError(
      path,
      `"${trimmed}" is an IPv6 range; rules accept IPv4 ranges only (IPv6 inbound is limited to SSH). Use an IPv4 CIDR such as 203.0.113.0/24`,
    );
  }
  const [address = '', prefixText, ...extra] = trimmed.split('/');
  const ip = parseIpv4(address);
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  if (
    ip === null ||
    extra.length > 0 ||
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > 32 ||
    prefixText === ''
  ) {
    throw new FirewallRuleError(
      path,
      `"${trimmed}" is not an IPv4 CIDR; write it as a.b.c.d/prefix, e.g. 10.0.0.0/8 or 0.0.0.0/0`,
    );
  }
  return { network: (ip & maskOf(prefix)) >>> 0, prefix };
}

export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefix}`;
}

/** True when `outer` contains every address of `inner`. */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return (
    outer.prefix <= inner.prefix && (inner.network & maskOf(outer.prefix)) >>> 0 === outer.network
  );
}

/** Drops ranges covered by another range of the list; keeps the input order otherwise. */
export function collapseCidrs(cidrs: readonly Ipv4Cidr[]): Ipv4Cidr[] {
  return cidrs.filter(
    (c, i) =>
      !cidrs.some(
        (other, j) => j !== i && cidrContains(other, c) && (other.prefix < c.prefix || j < i),
      ),
  );
}
