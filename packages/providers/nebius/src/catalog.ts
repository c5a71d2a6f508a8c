import type { WarnOnce } from '@cloudplane/provider-kit';
import {
  bytes,
  instanceTypeId,
  InstanceTypeSchema,
  normalizeGpu,
  parseMoney,
  type CurrencyCode,
  type GpuSpec,
  type InstanceType,
} from '@cloudplane/sdk';
import type { PriceList } from './credential.js';
import { PresetWire, type PlatformWire } from './wire.js';

export const PROVIDER_ID = 'nebius';

/**
 * Nebius sells a *platform* (a CPU or GPU generation, e.g. `gpu-h100-sxm`) in fixed *presets*
 * (e.g. `8gpu-128vcpu-1600gb`). One InstanceType per (platform, preset) the operator priced, in
 * the project's region, named `<platform>.<preset>` (neither part contains a dot).
 */

const SEPARATOR = '.';

export function typeName(platform: string, preset: string): string {
  return `${platform}${SEPARATOR}${preset}`;
}

/** `gpu-h100-sxm.8gpu-128vcpu-1600gb` → its parts; undefined for a name we did not make. */
export function splitTypeName(name: string): { platform: string; preset: string } | undefined {
  const at = name.indexOf(SEPARATOR);
  if (at <= 0 || at === name.length - 1) return undefined;
  return { platform: name.slice(0, at), preset: name.slice(at + 1) };
}

export interface CatalogInput {
  readonly platforms: readonly PlatformWire[];
  readonly region: string;
  readonly prices: PriceList;
  readonly currency: CurrencyCode;
  readonly warnings: WarnOnce;
}

export function mapCatalog(input: CatalogInput): InstanceType[] {
  const types: InstanceType[] = [];
  for (const platform of input.platforms) {
    const platformName = platform.metadata.name;
    if (platformName.includes(SEPARATOR)) {
      input.warnings.warn(
        `dotted:${platformName}`,
        { platform: platformName },
        'Nebius platform left out of the catalog: its name contains a dot, which type names use as separator',
      );
      continue;
    }
    for (const raw of platform.spec.presets) {
      const preset = PresetWire.safeParse(raw);
      if (!preset.success) {
        input.warnings.warn(
          `unreadable:${platformName}:${preset.error.issues[0]?.path.join('.') ?? ''}`,
          { platform: platformName, problem: preset.error.issues[0]?.message },
          'Nebius preset left out of the catalog: it cannot be read',
        );
        continue;
      }
      const type = toInstanceType(platform, preset.data, input);
      if (type) types.push(type);
    }
  }
  return types.sort((a, b) => a.type.localeCompare(b.type));
}

function toInstanceType(
  platform: PlatformWire,
  preset: PresetWire,
  input: CatalogInput,
): InstanceType | undefined {
  const name = typeName(platform.metadata.name, preset.name);
  const price = input.prices[platform.metadata.name]?.[preset.name];
  if (price === undefined) {
    // Nebius's API has no price list: a type is sold only at a price the operator set.
    input.warnings.warn(
      `unpriced:${name}`,
      { type: name },
      "Nebius preset left out of the catalog: the credential's price list has no price for it (prices[platform][preset])",
    );
    return undefined;
  }
  const gpus = gpusOf(platform, preset, input.warnings);
  const candidate: InstanceType = {
    id: instanceTypeId({ location: input.region, type: name }),
    type: name,
    provider: PROVIDER_ID,
    cloud: PROVIDER_ID,
    location: input.region,
    availableZones: [],
    gpus,
    vcpu: preset.resources.vcpuCount,
    memory: bytes(preset.resources.memoryGibibytes, 'GiB'),
    // The boot disk is a network disk sized at launch (diskSize), priced apart by Nebius.
    storage: [],
    // Grace superchips (GB200 and kin) pair the GPU with an Arm CPU.
    architecture: gpus.some((g) => g.gpu.formFactor === 'Superchip') ? 'arm64' : 'x86_64',
    price: parseMoney(price, input.currency),
    // PlatformService says what exists, not what is free: capacity shows at launch.
    available: true,
    stoppable: true,
    rebootable: false,
    canModifyFirewallRules: false,
  };
  const checked = InstanceTypeSchema.safeParse(candidate);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  input.warnings.warn(
    `invalid:${name}`,
    { type: name, problem: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}` },
    'Nebius preset left out of the catalog: it does not make a valid InstanceType',
  );
  return undefined;
}

/**
 * The platform name (`gpu-h100-sxm`) is what identifies the GPU best: the human-readable names
 * mention the host CPU too. The per-GPU memory and the names go along as context.
 */
function gpusOf(platform: PlatformWire, preset: PresetWire, warnings: WarnOnce): GpuSpec[] {
  const count = preset.resources.gpuCount;
  if (count === 0) return [];
  const raw = platform.metadata.name;
  const memory = platform.spec.gpuMemoryGigabytes || platform.spec.gpuMemoryGibibytes;
  const { record, warnings: doubts } = normalizeGpu(raw, {
    source: PROVIDER_ID,
    context: {
      gpu_count: count,
      ...(memory > 0 ? { gpu_memory_gigabytes: memory } : {}),
      human_readable_name: platform.spec.humanReadableName,
      short_name: platform.spec.shortHumanReadableName,
    },
  });
  for (const w of doubts) {
    warnings.warn(
      `gpu:${raw}:${w.kind}`,
      { platform: raw, warning: w.kind, detail: w.message },
      'GPU normalizer warning for a Nebius platform',
    );
  }
  return [{ count, gpu: record, raw }];
}
