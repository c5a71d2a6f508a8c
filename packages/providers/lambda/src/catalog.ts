import { WarnOnce } from '@cloudplane/provider-kit';
import {
  bytes,
  instanceTypeId,
  InstanceTypeSchema,
  moneyFromMinor,
  normalizeGpu,
  type GpuSpec,
  type InstanceType,
  type Location,
} from '@cloudplane/sdk';
import { knownLocations } from './regions.js';
import { InstanceTypeEntry, type InstanceTypeWire, type RegionWire } from './wire.js';

export const PROVIDER_ID = 'lambda';

/**
 * Lambda's catalog is one object per instance type with the regions that have capacity for it
 * now. We publish one InstanceType per (type, region with capacity), available. A type with no
 * capacity anywhere is published once per known region, unavailable, so its offers keep the ids
 * they had while it was in stock (docs/providers/lambda.md, "Catalog").
 */

export interface Catalog {
  readonly types: InstanceType[];
  readonly locations: Location[];
}

/** Warnings go through `warnings`, so a poll every minute does not repeat them. */
export function mapCatalog(data: Record<string, unknown>, warnings: WarnOnce): Catalog {
  const entries: InstanceTypeEntry[] = [];
  for (const [key, value] of Object.entries(data)) {
    const parsed = InstanceTypeEntry.safeParse(value);
    if (parsed.success) {
      entries.push(parsed.data);
      continue;
    }
    const issue = parsed.error.issues[0];
    warnings.warn(
      `unreadable:${key}`,
      {
        type: key,
        problem: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'unexpected shape'}`,
      },
      'Lambda instance type left out of the catalog: its entry cannot be read',
    );
  }
  const seen: RegionWire[] = entries.flatMap((e) => e.regions_with_capacity_available);
  const locations = knownLocations(seen);
  const types: InstanceType[] = [];
  for (const entry of entries) {
    const withCapacity = new Set(entry.regions_with_capacity_available.map((r) => r.name));
    const regions = withCapacity.size > 0 ? [...withCapacity] : locations.map((l) => l.name);
    for (const region of regions) {
      const type = toInstanceType(entry.instance_type, region, withCapacity.has(region), warnings);
      if (type) types.push(type);
    }
  }
  types.sort((a, b) => a.type.localeCompare(b.type) || a.location.localeCompare(b.location));
  return { types, locations };
}

export function toInstanceType(
  wire: InstanceTypeWire,
  region: string,
  available: boolean,
  warnings: WarnOnce,
): InstanceType | undefined {
  const gpus = gpusOf(wire, warnings);
  const candidate: InstanceType = {
    id: instanceTypeId({ location: region, type: wire.name }),
    type: wire.name,
    provider: PROVIDER_ID,
    cloud: PROVIDER_ID,
    location: region,
    availableZones: [],
    gpus,
    vcpu: wire.specs.vcpus,
    memory: bytes(wire.specs.memory_gib, 'GiB'),
    storage:
      wire.specs.storage_gib > 0
        ? [{ kind: 'ssd', count: 1, size: bytes(wire.specs.storage_gib, 'GiB'), elastic: false }]
        : [],
    // Grace superchips (GH200 and kin) pair the GPU with an Arm CPU.
    architecture: gpus.some((g) => g.gpu.formFactor === 'Superchip') ? 'arm64' : 'x86_64',
    price: moneyFromMinor(wire.price_cents_per_hour, 'USD'),
    available,
    stoppable: false,
    rebootable: true,
    canModifyFirewallRules: false,
  };
  const checked = InstanceTypeSchema.safeParse(candidate);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  warnings.warn(
    `invalid:${wire.name}`,
    {
      type: wire.name,
      problem: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`,
    },
    'Lambda instance type left out of the catalog: it does not make a valid InstanceType',
  );
  return undefined;
}

function gpusOf(wire: InstanceTypeWire, warnings: WarnOnce): GpuSpec[] {
  const count = wire.specs.gpus;
  if (count === 0) return [];
  const raw = wire.gpu_description;
  const { record, warnings: doubts } = normalizeGpu(raw, {
    source: PROVIDER_ID,
    context: { gpu_count: count, description: wire.description, instance_type: wire.name },
  });
  for (const w of doubts) {
    warnings.warn(
      `gpu:${wire.name}:${w.kind}`,
      {
        type: wire.name,
        raw,
        warning: w.kind,
        detail: w.message,
      },
      'GPU normalizer warning for a Lambda instance type',
    );
  }
  return [{ count, gpu: record, raw }];
}
