import type { WarnOnce } from '@cloudplane/provider-kit';
import {
  instanceTypeId,
  InstanceTypeSchema,
  normalizeGpu,
  parseMoney,
  type GpuSpec,
  type InstanceType,
  type Location,
} from '@cloudplane/sdk';
import type { FluidstackCredential, FluidstackPriceList } from './credential.js';
import { parseQuantity } from './quantity.js';
import { InstanceTypeWire } from './wire.js';

export const PROVIDER_ID = 'fluidstack';

/**
 * Fluidstack's catalog, per region: the instance types its host lists and the capacity the
 * project has for each. Neither says a price, so the price comes from the operator's price list
 * in the credential; a type without one is left out with a warning (docs/providers/
 * fluidstack.md, "Catalog"). One InstanceType per (region, type), id
 * `instanceTypeId({ location: region, type: name })`, the same parts an instance carries.
 */

/** The regions of the credential: Fluidstack has no call that lists them. */
export function locationsOf(credential: FluidstackCredential): Location[] {
  return credential.regions.map((name) => ({
    name,
    description: `Fluidstack ${name}`,
    available: true,
  }));
}

export interface CatalogInput {
  readonly region: string;
  readonly types: readonly unknown[];
  /** Instances that can launch now, per type name (types missing here have none). */
  readonly capacity: ReadonlyMap<string, number>;
  readonly prices: FluidstackPriceList;
}

export function mapCatalog(input: CatalogInput, warnings: WarnOnce): InstanceType[] {
  const out: InstanceType[] = [];
  const seen = new Set<string>();
  for (const [index, value] of input.types.entries()) {
    const parsed = InstanceTypeWire.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      warnings.warn(
        `unreadable:${input.region}:${index}`,
        {
          region: input.region,
          entry: index,
          problem: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'unexpected shape'}`,
        },
        'Fluidstack instance type left out of the catalog: its entry cannot be read',
      );
      continue;
    }
    const type = toInstanceType(parsed.data, input, warnings);
    if (!type || seen.has(type.id)) continue;
    seen.add(type.id);
    out.push(type);
  }
  return out.sort((a, b) => a.type.localeCompare(b.type));
}

function toInstanceType(
  wire: InstanceTypeWire,
  input: CatalogInput,
  warnings: WarnOnce,
): InstanceType | undefined {
  const usdPerHour = input.prices[wire.name];
  if (usdPerHour === undefined) {
    warnings.warn(
      `unpriced:${wire.name}`,
      { type: wire.name, region: input.region },
      "Fluidstack instance type left out of the catalog: the credential's price list has no price for it (Fluidstack's API gives none, and none is guessed)",
    );
    return undefined;
  }
  const memory = parseQuantity(wire.memory);
  if (!memory) {
    warnings.warn(
      `memory:${wire.name}`,
      { type: wire.name, memory: wire.memory },
      'Fluidstack instance type left out of the catalog: its memory is not a quantity we can read',
    );
    return undefined;
  }
  const gpus = gpusOf(wire, warnings);
  const candidate: InstanceType = {
    id: instanceTypeId({ location: input.region, type: wire.name }),
    type: wire.name,
    provider: PROVIDER_ID,
    cloud: PROVIDER_ID,
    location: input.region,
    availableZones: [],
    gpus,
    vcpu: wire.cpu,
    memory,
    // The spec says nothing of local disks.
    storage: [],
    // Grace superchips (GH200 and kin) pair the GPU with an Arm CPU.
    architecture: gpus.some((g) => g.gpu.formFactor === 'Superchip') ? 'arm64' : 'x86_64',
    price: parseMoney(usdPerHour, 'USD'),
    available: (input.capacity.get(wire.name) ?? 0) > 0,
    stoppable: true,
    rebootable: false,
    canModifyFirewallRules: false,
  };
  const checked = InstanceTypeSchema.safeParse(candidate);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  warnings.warn(
    `invalid:${wire.name}`,
    { type: wire.name, problem: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}` },
    'Fluidstack instance type left out of the catalog: it does not make a valid InstanceType',
  );
  return undefined;
}

/** Fluidstack's own GPU fields go to the SDK normalizer as they are; nothing is parsed here. */
function gpusOf(wire: InstanceTypeWire, warnings: WarnOnce): GpuSpec[] {
  const count = wire.gpuCount ?? 0;
  const raw = wire.gpuModel ?? '';
  if (count === 0 || raw === '') return [];
  const { record, warnings: doubts } = normalizeGpu(raw, {
    source: PROVIDER_ID,
    context: { gpuCount: count, instance_type: wire.name },
  });
  for (const w of doubts) {
    warnings.warn(
      `gpu:${wire.name}:${w.kind}`,
      { type: wire.name, raw, warning: w.kind, detail: w.message },
      'GPU normalizer warning for a Fluidstack instance type',
    );
  }
  return [{ count, gpu: record, raw }];
}
