import {
  DescribeInstanceTypesCommand,
  type GpuDeviceInfo,
  type InstanceTypeInfo,
} from '@aws-sdk/client-ec2';
import type { WarnOnce } from '@cloudplane/provider-kit';
import {
  bytes,
  instanceTypeId,
  InstanceTypeSchema,
  isLegalVariant,
  normalizeGpu,
  type CpuArchitecture,
  type GpuSpec,
  type InstanceType,
  type Money,
  type Storage,
} from '@cloudplane/sdk';
import type { Ec2Api } from './ec2.js';

export const PROVIDER_ID = 'aws';

/**
 * The GPU families, as DescribeInstanceTypes' `instance-type` filter patterns: every P and G
 * family (NVIDIA and AMD GPUs) and DL (Habana Gaudi). Types these patterns catch without GPUs are
 * dropped; Inferentia and Trainium report no GPUs (they are Neuron accelerators) and are not
 * offered.
 */
export const GPU_TYPE_PATTERNS = ['p*', 'g*', 'dl*'] as const;

/** Every GPU instance type this region offers, complete (all pages) or an error. */
export async function describeGpuTypes(api: Ec2Api): Promise<InstanceTypeInfo[]> {
  const all = await api.allPages(
    'describe instance types',
    (client, token, abortSignal) =>
      client.send(
        new DescribeInstanceTypesCommand({
          Filters: [{ Name: 'instance-type', Values: [...GPU_TYPE_PATTERNS] }],
          MaxResults: 100,
          ...(token !== undefined ? { NextToken: token } : {}),
        }),
        { abortSignal },
      ),
    (page) => ({ items: page.InstanceTypes, next: page.NextToken }),
  );
  return all.filter((info) => (info.GpuInfo?.Gpus ?? []).length > 0);
}

/**
 * The catalog of one region: each GPU type the region offers and the operator priced. A type
 * without a price, or one the adapter cannot describe, is left out with a warning (once per
 * client); a price for a type the region does not offer is reported too.
 */
export function mapCatalog(
  region: string,
  infos: readonly InstanceTypeInfo[],
  prices: Readonly<Record<string, Money>>,
  warnings: WarnOnce,
): InstanceType[] {
  const types: InstanceType[] = [];
  for (const info of infos) {
    const name = info.InstanceType;
    if (name === undefined) continue;
    const price = prices[name];
    if (price === undefined) {
      warnings.warn(
        `unpriced:${region}:${name}`,
        { region, type: name },
        'AWS instance type left out of the catalog: the credential has no price for it in this region',
      );
      continue;
    }
    const type = toInstanceType(region, name, info, price, warnings);
    if (type) types.push(type);
  }
  const offered = new Set<string | undefined>(infos.map((i) => i.InstanceType));
  for (const name of Object.keys(prices)) {
    if (!offered.has(name)) {
      warnings.warn(
        `not-offered:${region}:${name}`,
        { region, type: name },
        'the credential prices an instance type this region does not offer as a GPU type; ignored',
      );
    }
  }
  return types.sort((a, b) => a.type.localeCompare(b.type));
}

function toInstanceType(
  region: string,
  name: string,
  info: InstanceTypeInfo,
  price: Money,
  warnings: WarnOnce,
): InstanceType | undefined {
  const leaveOut = (why: string, fields: Record<string, unknown> = {}): void => {
    warnings.warn(
      `invalid:${region}:${name}`,
      { region, type: name, problem: why, ...fields },
      'AWS instance type left out of the catalog: it cannot be described',
    );
  };
  const architecture = architectureOf(info.ProcessorInfo?.SupportedArchitectures ?? []);
  if (architecture === undefined) {
    leaveOut('no x86_64 or arm64 support');
    return undefined;
  }
  const gpus: GpuSpec[] = [];
  for (const device of info.GpuInfo?.Gpus ?? []) {
    const gpu = gpuOf(name, device, warnings);
    if (!gpu) {
      leaveOut('a GPU the normalizer cannot name', { gpu: device.Name });
      return undefined;
    }
    gpus.push(gpu);
  }
  const candidate: InstanceType = {
    id: instanceTypeId({ location: region, type: name }),
    type: name,
    provider: PROVIDER_ID,
    cloud: PROVIDER_ID,
    location: region,
    availableZones: [],
    gpus,
    vcpu: info.VCpuInfo?.DefaultVCpus ?? 0,
    memory: bytes(info.MemoryInfo?.SizeInMiB ?? 0, 'MiB'),
    storage: storageOf(info),
    architecture,
    price,
    // EC2 reports no free capacity; a type the region offers can be launched until it says
    // InsufficientInstanceCapacity, which the control plane remembers per offer.
    available: true,
    stoppable: true,
    rebootable: true,
    canModifyFirewallRules: true,
  };
  const checked = InstanceTypeSchema.safeParse(candidate);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  leaveOut(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  return undefined;
}

function architectureOf(supported: readonly string[]): CpuArchitecture | undefined {
  if (supported.includes('x86_64')) return 'x86_64';
  if (supported.includes('arm64')) return 'arm64';
  return undefined;
}

/** One GpuInfo device: the name goes to the SDK normalizer with what EC2 says beside it. */
function gpuOf(type: string, device: GpuDeviceInfo, warnings: WarnOnce): GpuSpec | undefined {
  const raw = device.Name ?? '';
  const count = device.Count ?? 0;
  const { record, warnings: doubts } = normalizeGpu(raw, {
    source: PROVIDER_ID,
    context: {
      InstanceType: type,
      Manufacturer: device.Manufacturer,
      Count: count,
      // Per GPU, in MiB (the normalizer reads `...MiB` fields as MiB).
      'MemoryInfo.SizeInMiB': device.MemoryInfo?.SizeInMiB,
    },
  });
  for (const doubt of doubts) {
    warnings.warn(
      `gpu:${type}:${doubt.kind}`,
      { type, raw, warning: doubt.kind, detail: doubt.message },
      'GPU normalizer warning for an AWS instance type',
    );
  }
  if (count < 1 || record.name === null || !isLegalVariant(record)) return undefined;
  return { count, gpu: record, raw };
}

/** Instance-store disks (local, fixed); the EBS root volume is sized at launch (diskSize). */
function storageOf(info: InstanceTypeInfo): Storage[] {
  const nvme = info.InstanceStorageInfo?.NvmeSupport;
  return (info.InstanceStorageInfo?.Disks ?? []).flatMap((disk): Storage[] => {
    if (disk.SizeInGB === undefined || disk.Count === undefined || disk.Count < 1) return [];
    const kind =
      disk.Type === 'hdd' ? 'hdd' : nvme === 'required' || nvme === 'supported' ? 'nvme' : 'ssd';
    return [{ kind, count: disk.Count, size: bytes(disk.SizeInGB, 'GB'), elastic: false }];
  });
}
