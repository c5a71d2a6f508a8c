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
import { typeName } from './naming.js';
import { locationsOf } from './regions.js';
import { InstanceTypeWire, type AvailabilityWire } from './wire.js';

export const PROVIDER_ID = 'shadeform';

/**
 * Shadeform's catalog is one entry per (upstream cloud, Shadeform type) with the regions it is
 * sold in and whether each can launch now. We publish one InstanceType per (entry, region):
 * id `instanceTypeId({ location: region, type: '<cloud>.<shade type>' })`, the same parts an
 * instance of that type carries, so the catalog and instances cannot disagree
 * (docs/providers/shadeform.md, "Catalog").
 */

export interface Catalog {
  readonly types: InstanceType[];
  readonly locations: Location[];
}

export function mapCatalog(entries: readonly unknown[], warnings: WarnOnce): Catalog {
  const parsed: InstanceTypeWire[] = [];
  for (const [index, value] of entries.entries()) {
    const result = InstanceTypeWire.safeParse(value);
    if (result.success) {
      parsed.push(result.data);
      continue;
    }
    const issue = result.error.issues[0];
    const name = nameOf(value) ?? `#${index}`;
    warnings.warn(
      `unreadable:${name}`,
      {
        type: name,
        problem: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'unexpected shape'}`,
      },
      'Shadeform instance type left out of the catalog: its entry cannot be read',
    );
  }
  const types: InstanceType[] = [];
  const seen = new Set<string>();
  for (const wire of parsed) {
    if (wire.cloud.includes('.')) {
      warnings.warn(
        `cloud-name:${wire.cloud}`,
        { cloud: wire.cloud },
        'Shadeform instance types of a cloud whose name has a dot are left out (the dot separates cloud and type)',
      );
      continue;
    }
    for (const availability of wire.availability) {
      const type = toInstanceType(wire, availability, warnings);
      if (!type) continue;
      if (seen.has(type.id)) {
        warnings.warn(
          `duplicate:${type.id}`,
          { id: type.id },
          'Shadeform lists this instance type twice in one region; the first entry is kept',
        );
        continue;
      }
      seen.add(type.id);
      types.push(type);
    }
  }
  types.sort((a, b) => a.type.localeCompare(b.type) || a.location.localeCompare(b.location));
  return { types, locations: locationsOf(parsed.flatMap((w) => w.availability)) };
}

function nameOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { cloud, shade_instance_type: shade } = value as Record<string, unknown>;
  return typeof cloud === 'string' && typeof shade === 'string'
    ? typeName(cloud, shade)
    : undefined;
}

export function toInstanceType(
  wire: InstanceTypeWire,
  availability: AvailabilityWire,
  warnings: WarnOnce,
): InstanceType | undefined {
  const name = typeName(wire.cloud, wire.shade_instance_type);
  const gpus = gpusOf(wire, name, warnings);
  const { configuration: config } = wire;
  const bootSeconds = wire.boot_time?.max_boot_in_sec;
  const candidate: InstanceType = {
    id: instanceTypeId({ location: availability.region, type: name }),
    type: name,
    provider: PROVIDER_ID,
    cloud: wire.cloud,
    location: availability.region,
    availableZones: [],
    gpus,
    vcpu: config.vcpus,
    // Memory "GB" of a machine are binary in practice; disk "GB" are decimal.
    memory: bytes(config.memory_in_gb, 'GiB'),
    storage:
      config.storage_in_gb > 0
        ? [{ kind: 'ssd', count: 1, size: bytes(config.storage_in_gb, 'GB'), elastic: false }]
        : [],
    // Grace superchips (GH200 and kin) pair the GPU with an Arm CPU.
    architecture: gpus.some((g) => g.gpu.formFactor === 'Superchip') ? 'arm64' : 'x86_64',
    price: moneyFromMinor(wire.hourly_price, 'USD'),
    available: availability.available,
    stoppable: false,
    rebootable: true,
    canModifyFirewallRules: false,
    ...(bootSeconds !== undefined && bootSeconds > 0
      ? { estimatedDeploySeconds: bootSeconds }
      : {}),
  };
  const checked = InstanceTypeSchema.safeParse(candidate);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  warnings.warn(
    `invalid:${name}`,
    { type: name, problem: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}` },
    'Shadeform instance type left out of the catalog: it does not make a valid InstanceType',
  );
  return undefined;
}

/** Shadeform's own GPU fields go to the SDK normalizer as they are; nothing is parsed here. */
function gpusOf(wire: InstanceTypeWire, name: string, warnings: WarnOnce): GpuSpec[] {
  const config = wire.configuration;
  if (config.num_gpus === 0) return [];
  const raw = config.gpu_type;
  const { record, warnings: doubts } = normalizeGpu(raw, {
    source: PROVIDER_ID,
    context: {
      num_gpus: config.num_gpus,
      vram_per_gpu_in_gb: config.vram_per_gpu_in_gb,
      interconnect: config.interconnect,
      gpu_manufacturer: config.gpu_manufacturer,
      shade_instance_type: wire.shade_instance_type,
    },
  });
  for (const w of doubts) {
    warnings.warn(
      `gpu:${name}:${w.kind}`,
      { type: name, raw, warning: w.kind, detail: w.message },
      'GPU normalizer warning for a Shadeform instance type',
    );
  }
  return [
    {
      count: config.num_gpus,
      gpu: record,
      raw,
      ...(config.nvlink !== undefined ? { nvlink: config.nvlink } : {}),
    },
  ];
}
