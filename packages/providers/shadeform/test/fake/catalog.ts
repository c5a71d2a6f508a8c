import { shadeformSpec } from './spec.js';

/**
 * The fake's catalog. The spec's own `InstanceType` example (Hyperstack's A6000 in us-central-1
 * and -2, with a GPU description that contradicts its memory) is one entry; the others follow
 * the shapes of Shadeform's public offers. Availability per region is computed from capacity.
 */

export interface FakeConfiguration {
  readonly memory_in_gb: number;
  readonly storage_in_gb: number;
  readonly vcpus: number;
  readonly num_gpus: number;
  readonly gpu_type: string;
  readonly interconnect: string;
  readonly nvlink: boolean;
  readonly vram_per_gpu_in_gb: number;
  readonly gpu_manufacturer: string;
  readonly os_options: string[];
}

export interface FakeInstanceType {
  readonly cloud: string;
  readonly shade_instance_type: string;
  readonly cloud_instance_type: string;
  readonly configuration: FakeConfiguration;
  readonly hourly_price: number;
  readonly deployment_type: string;
  readonly boot_time?: { min_boot_in_sec: number; max_boot_in_sec: number };
}

export interface FakeOffer {
  readonly type: FakeInstanceType;
  /** Instances that can still launch, per region; a region with 0 is listed as unavailable. */
  readonly capacity: Record<string, number>;
  /** Display names of regions. */
  readonly displayNames?: Record<string, string>;
}

interface SpecExample extends FakeInstanceType {
  readonly availability: { region: string; available: boolean; display_name: string }[];
}

function specExample(): SpecExample {
  const [example] = shadeformSpec.examplesOf('InstanceType');
  if (example === undefined) throw new Error('the Shadeform spec has no InstanceType example');
  return example as SpecExample;
}

/** `hyperstack` / `A6000` in us-central-1 (available) and us-central-2 (not). */
export const SPEC_EXAMPLE = specExample();

const OS = ['ubuntu22.04_cuda12.2_shade_os'];

function offer(
  cloud: string,
  shade: string,
  gpu: { type: string; count: number; vram: number; interconnect: string },
  cents: number,
  vcpus: number,
  memory: number,
  storage: number,
  capacity: Record<string, number>,
): FakeOffer {
  return {
    type: {
      cloud,
      shade_instance_type: shade,
      cloud_instance_type: `${cloud}-${shade.toLowerCase()}`,
      configuration: {
        memory_in_gb: memory,
        storage_in_gb: storage,
        vcpus,
        num_gpus: gpu.count,
        gpu_type: gpu.type,
        interconnect: gpu.interconnect,
        nvlink: gpu.interconnect !== 'pcie',
        vram_per_gpu_in_gb: gpu.vram,
        gpu_manufacturer: 'nvidia',
        os_options: OS,
      },
      hourly_price: cents,
      deployment_type: 'vm',
      boot_time: { min_boot_in_sec: 120, max_boot_in_sec: 600 },
    },
    capacity,
  };
}

/** A fresh copy each call: tests change capacities. */
export function defaultOffers(): FakeOffer[] {
  const { availability, ...example } = SPEC_EXAMPLE;
  return [
    {
      type: structuredClone(example),
      capacity: Object.fromEntries(availability.map((a) => [a.region, a.available ? 2 : 0])),
      displayNames: Object.fromEntries(availability.map((a) => [a.region, a.display_name])),
    },
    offer(
      'massedcompute',
      'A6000',
      { type: 'A6000', count: 1, vram: 48, interconnect: 'pcie' },
      57,
      6,
      48,
      256,
      { 'us-central-1': 3, 'us-east-1': 1 },
    ),
    offer(
      'datacrunch',
      'A100_80G',
      { type: 'A100_80G', count: 1, vram: 80, interconnect: 'sxm4' },
      149,
      22,
      120,
      1000,
      { 'FIN-01': 2, 'ICE-01': 0 },
    ),
    offer(
      'lambdalabs',
      'H100_sxm5x8',
      { type: 'H100', count: 8, vram: 80, interconnect: 'sxm5' },
      2392,
      208,
      1800,
      22_528,
      { 'us-west-3': 1, 'us-south-1': 1 },
    ),
    offer(
      'denvr',
      'GH200',
      { type: 'GH200', count: 1, vram: 96, interconnect: 'nvlink-c2c' },
      199,
      72,
      480,
      4000,
      { 'us-houston-1': 1 },
    ),
    offer(
      'paperspace',
      'RTX4090',
      { type: 'RTX4090', count: 1, vram: 24, interconnect: 'pcie' },
      69,
      8,
      32,
      200,
      { 'ny-2': 0 },
    ),
  ];
}
