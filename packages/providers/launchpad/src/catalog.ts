import type { WarnOnce } from '@cloudplane/provider-kit';
import {
  bytes,
  CURRENCY_CODES,
  instanceTypeId,
  InstanceTypeSchema,
  normalizeGpu,
  parseMoney,
  type CpuArchitecture,
  type CurrencyCode,
  type GpuSpec,
  type InstanceType,
  type Location,
  type Money,
  type Storage,
} from '@cloudplane/sdk';
import type { OperatorPrice } from './credential.js';
import { typeName } from './naming.js';
import { InstanceTypeWire } from './wire.js';

export const PROVIDER_ID = 'launchpad';

/**
 * LaunchPad's catalog (/v1/catalog/instance-types/) lists machine shapes with a capacity per
 * region. We publish one InstanceType per (type, region it names), available when the region has
 * capacity now; a region whose capacity is 0 stays listed, unavailable, so the offer keeps its id
 * while it is out of stock (docs/providers/launchpad.md, "Catalog").
 */

/** A catalog entry as a launch needs it: the fields a deployment request asks for. */
export interface Offer {
  readonly type: InstanceType;
  readonly wire: InstanceTypeWire;
}

export interface Catalog {
  readonly types: InstanceType[];
  readonly locations: Location[];
  /** By instanceTypeId. */
  readonly offers: ReadonlyMap<string, Offer>;
}

export interface CatalogOptions {
  readonly warnings: WarnOnce;
  /** The operator's prices by type name, for types the API does not price. */
  readonly prices?: Readonly<Record<string, OperatorPrice>> | undefined;
}

export function mapCatalog(entries: readonly unknown[], options: CatalogOptions): Catalog {
  const { warnings } = options;
  const offers = new Map<string, Offer>();
  const regionOpen = new Map<string, boolean>();
  for (const [index, value] of entries.entries()) {
    const parsed = InstanceTypeWire.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      warnings.warn(
        `unreadable:${index}:${issue?.path.join('.') ?? ''}`,
        {
          index,
          problem: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'unexpected shape'}`,
        },
        'LaunchPad instance type left out of the catalog: its entry cannot be read',
      );
      continue;
    }
    const wire = parsed.data;
    const name = typeNameOf(wire);
    for (const [region, available] of regionsOf(wire)) {
      regionOpen.set(region, (regionOpen.get(region) ?? false) || available);
      const id = instanceTypeId({ location: region, type: name });
      if (offers.has(id)) {
        warnings.warn(
          `duplicate:${id}`,
          { type: name, location: region },
          'LaunchPad lists two instance types a deployment request cannot tell apart; the first is kept',
        );
        continue;
      }
      const type = toInstanceType(wire, name, region, available, options);
      if (type) offers.set(id, { type, wire });
    }
  }
  const types = [...offers.values()]
    .map((o) => o.type)
    .sort((a, b) => a.type.localeCompare(b.type) || a.location.localeCompare(b.location));
  const locations = [...regionOpen.entries()]
    .map(([name, available]) => ({ name, description: name, available }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { types, locations, offers };
}

export function typeNameOf(wire: InstanceTypeWire): string {
  return typeName({
    cloud: wire.cloud,
    gpuModel: wire.gpu.model,
    gpuCount: wire.gpu.count,
    interconnect: wire.gpu.interconnection_type,
    workshopId: wire.workshop_id,
  });
}

/**
 * Every region the entry names, with whether it can launch there now: `capacity` gives a count
 * per region, `regions` the regions with capacity. A count wins where there is one.
 */
export function regionsOf(wire: InstanceTypeWire): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const region of wire.regions ?? []) out.set(region, true);
  for (const [region, left] of Object.entries(wire.capacity ?? {})) {
    if (region !== '') out.set(region, left > 0);
  }
  return out;
}

function toInstanceType(
  wire: InstanceTypeWire,
  name: string,
  region: string,
  available: boolean,
  options: CatalogOptions,
): InstanceType | undefined {
  const { warnings } = options;
  const price = priceOf(wire, name, options);
  if (!price) {
    warnings.warn(
      `unpriced:${name}`,
      { type: name },
      "LaunchPad instance type left out of the catalog: the API gives it no price and the credential's price list has none for it",
    );
    return undefined;
  }
  const architecture = architectureOf(wire.system_arch);
  if (!architecture) {
    warnings.warn(
      `arch:${name}`,
      { type: name, systemArch: wire.system_arch },
      'LaunchPad instance type left out of the catalog: unknown CPU architecture',
    );
    return undefined;
  }
  const candidate: InstanceType = {
    id: instanceTypeId({ location: region, type: name }),
    type: name,
    provider: PROVIDER_ID,
    cloud: wire.cloud,
    location: region,
    availableZones: [],
    gpus: gpusOf(wire, name, warnings),
    vcpu: wire.cpu,
    // System memory "GB" are GiB at every cloud we know; disks are decimal GB.
    memory: bytes(wire.memory_gb, 'GiB'),
    storage: storageOf(wire),
    architecture,
    price,
    available,
    stoppable: true,
    rebootable: false,
    canModifyFirewallRules: false,
  };
  const checked = InstanceTypeSchema.safeParse(candidate);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  warnings.warn(
    `invalid:${name}`,
    { type: name, problem: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}` },
    'LaunchPad instance type left out of the catalog: it does not make a valid InstanceType',
  );
  return undefined;
}

/**
 * The API's price when it gives one above zero, else the operator's; undefined when neither
 * has one (the type is left out: a price is never made up). A zero price is not trusted as
 * "free": it is how an unpriced entry is most likely to look.
 */
function priceOf(wire: InstanceTypeWire, name: string, options: CatalogOptions): Money | undefined {
  const api = wire.price;
  const currency = currencyOf(api?.currency);
  const hourly = api?.on_demand_per_hour;
  if (currency && typeof hourly === 'number' && Number.isFinite(hourly) && hourly > 0) {
    try {
      return parseMoney(hourly, currency);
    } catch {
      // More decimals than money keeps: fall through to the operator's price.
    }
  }
  const operator = options.prices?.[name];
  return operator ? parseMoney(operator.hourly, operator.currency) : undefined;
}

function currencyOf(code: string | null | undefined): CurrencyCode | undefined {
  const upper = (code ?? '').trim().toUpperCase();
  return CURRENCY_CODES.find((c) => c === upper);
}

function architectureOf(arch: string | null | undefined): CpuArchitecture | undefined {
  switch ((arch ?? '').toLowerCase()) {
    case 'amd64':
    case 'x86_64':
      return 'x86_64';
    case 'arm64':
    case 'aarch64':
      return 'arm64';
    default:
      return undefined;
  }
}

function storageOf(wire: InstanceTypeWire): Storage[] {
  return (wire.storage ?? [])
    .filter((s) => s.size_gb > 0)
    .map((s) => ({
      // The spec's TypeEnum is nvme or ssd; anything newer is still a local disk.
      kind: s.type?.toLowerCase() === 'nvme' ? 'nvme' : 'ssd',
      count: 1,
      size: bytes(s.size_gb, 'GB'),
      elastic: false,
    }));
}

function gpusOf(wire: InstanceTypeWire, name: string, warnings: WarnOnce): GpuSpec[] {
  const { gpu } = wire;
  if (gpu.count === 0) return [];
  const { record, warnings: doubts } = normalizeGpu(gpu.model, {
    source: PROVIDER_ID,
    context: {
      family: gpu.family ?? undefined,
      manufacturer: gpu.manufacturer ?? undefined,
      memory_gb: gpu.memory_gb ?? undefined,
      interconnection_type: gpu.interconnection_type ?? undefined,
      gpu_count: gpu.count,
      instance_type: name,
    },
  });
  for (const w of doubts) {
    warnings.warn(
      `gpu:${name}:${w.kind}`,
      { type: name, raw: gpu.model, warning: w.kind, detail: w.message },
      'GPU normalizer warning for a LaunchPad instance type',
    );
  }
  return [{ count: gpu.count, gpu: record, raw: gpu.model }];
}
