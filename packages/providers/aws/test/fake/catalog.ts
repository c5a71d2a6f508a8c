import type { XmlObject } from './xml.js';

/**
 * The fake's instance types, written as EC2 describes them (DescribeInstanceTypes, element
 * names as EC2 sends them). Only types the service model's InstanceType enum knows are used, so
 * the checker can hold every answer to the enum. `m5.large` has no GPU: the adapter must drop it.
 */

export interface FakeType {
  readonly name: string;
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly architectures: readonly ('x86_64' | 'arm64')[];
  readonly gpu?: {
    readonly name: string;
    readonly manufacturer: string;
    readonly count: number;
    readonly memoryMiB: number;
  };
  readonly disks?: {
    readonly sizeGB: number;
    readonly count: number;
    readonly type: 'ssd' | 'hdd';
  };
}

export const FAKE_TYPES: readonly FakeType[] = [
  {
    name: 'g4dn.xlarge',
    vcpus: 4,
    memoryMiB: 16384,
    architectures: ['x86_64'],
    gpu: { name: 'T4', manufacturer: 'NVIDIA', count: 1, memoryMiB: 16384 },
    disks: { sizeGB: 125, count: 1, type: 'ssd' },
  },
  {
    name: 'g4dn.12xlarge',
    vcpus: 48,
    memoryMiB: 196608,
    architectures: ['x86_64'],
    gpu: { name: 'T4', manufacturer: 'NVIDIA', count: 4, memoryMiB: 16384 },
    disks: { sizeGB: 900, count: 1, type: 'ssd' },
  },
  {
    name: 'g5.xlarge',
    vcpus: 4,
    memoryMiB: 16384,
    architectures: ['x86_64'],
    gpu: { name: 'A10G', manufacturer: 'NVIDIA', count: 1, memoryMiB: 24576 },
    disks: { sizeGB: 250, count: 1, type: 'ssd' },
  },
  {
    name: 'g5.48xlarge',
    vcpus: 192,
    memoryMiB: 786432,
    architectures: ['x86_64'],
    gpu: { name: 'A10G', manufacturer: 'NVIDIA', count: 8, memoryMiB: 24576 },
    disks: { sizeGB: 3800, count: 2, type: 'ssd' },
  },
  {
    name: 'g5g.xlarge',
    vcpus: 4,
    memoryMiB: 8192,
    architectures: ['arm64'],
    gpu: { name: 'T4g', manufacturer: 'NVIDIA', count: 1, memoryMiB: 16384 },
  },
  {
    name: 'p3.2xlarge',
    vcpus: 8,
    memoryMiB: 62464,
    architectures: ['x86_64'],
    gpu: { name: 'V100', manufacturer: 'NVIDIA', count: 1, memoryMiB: 16384 },
  },
  {
    name: 'p4d.24xlarge',
    vcpus: 96,
    memoryMiB: 1179648,
    architectures: ['x86_64'],
    gpu: { name: 'A100', manufacturer: 'NVIDIA', count: 8, memoryMiB: 40960 },
    disks: { sizeGB: 1000, count: 8, type: 'ssd' },
  },
  {
    name: 'p4de.24xlarge',
    vcpus: 96,
    memoryMiB: 1179648,
    architectures: ['x86_64'],
    gpu: { name: 'A100', manufacturer: 'NVIDIA', count: 8, memoryMiB: 81920 },
    disks: { sizeGB: 1000, count: 8, type: 'ssd' },
  },
  {
    name: 'g4ad.xlarge',
    vcpus: 4,
    memoryMiB: 16384,
    architectures: ['x86_64'],
    gpu: { name: 'Radeon Pro V520', manufacturer: 'AMD', count: 1, memoryMiB: 8192 },
    disks: { sizeGB: 150, count: 1, type: 'ssd' },
  },
  { name: 'm5.large', vcpus: 2, memoryMiB: 8192, architectures: ['x86_64'] },
];

/** Prices an operator might list (USD per hour); g4ad.xlarge is deliberately unpriced. */
export const FAKE_PRICES: Readonly<Record<string, string>> = {
  'g4dn.xlarge': '0.526',
  'g4dn.12xlarge': '3.912',
  'g5.xlarge': '1.006',
  'g5.48xlarge': '16.288',
  'g5g.xlarge': '0.42',
  'p3.2xlarge': '3.06',
  'p4d.24xlarge': '32.7726',
  'p4de.24xlarge': '40.9657',
};

/** The type as DescribeInstanceTypes' `instanceTypeSet` item. */
export function typeXml(type: FakeType): XmlObject {
  return {
    instanceType: type.name,
    currentGeneration: true,
    supportedUsageClasses: ['on-demand', 'spot'],
    supportedRootDeviceTypes: ['ebs'],
    bareMetal: false,
    hypervisor: 'nitro',
    processorInfo: {
      supportedArchitectures: [...type.architectures],
      sustainedClockSpeedInGhz: 2.5,
    },
    vCpuInfo: {
      defaultVCpus: type.vcpus,
      defaultCores: Math.max(1, type.vcpus / 2),
      defaultThreadsPerCore: 2,
    },
    memoryInfo: { sizeInMiB: type.memoryMiB },
    instanceStorageSupported: type.disks !== undefined,
    instanceStorageInfo: type.disks
      ? {
          totalSizeInGB: type.disks.sizeGB * type.disks.count,
          disks: [{ sizeInGB: type.disks.sizeGB, count: type.disks.count, type: type.disks.type }],
          nvmeSupport: 'required',
        }
      : undefined,
    gpuInfo: type.gpu
      ? {
          gpus: [
            {
              name: type.gpu.name,
              manufacturer: type.gpu.manufacturer,
              count: type.gpu.count,
              memoryInfo: { sizeInMiB: type.gpu.memoryMiB },
            },
          ],
          totalGpuMemoryInMiB: type.gpu.memoryMiB * type.gpu.count,
        }
      : undefined,
  };
}

/** Shell-style wildcards of EC2 filters (`*` any run, `?` one character). */
export function wildcardMatch(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}
