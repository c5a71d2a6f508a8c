import type { GpuFormFactor } from '../record.js';

/**
 * What an instance SKU (a cloud's size, shape, machine type, plan or slug) says about its GPUs.
 * A SKU names hardware, so it fixes the model and often the variant and the GPU count; the count is
 * offer data (GpuSpec.count), which is why it lives here and not in the GpuRecord.
 */

export const GPU_SKU_SCHEMES = [
  'aws-instance-type',
  'azure-vm-size',
  'azure-series',
  'oci-shape',
  'gcp-machine-type',
  'gcp-accelerator-type',
  'digitalocean-slug',
  'vultr-plan',
] as const;
export type GpuSkuScheme = (typeof GPU_SKU_SCHEMES)[number];

export interface GpuSku {
  readonly scheme: GpuSkuScheme;
  /** Canonical model name from the model table (`A100`, `RTX6000ADA`). */
  readonly model: string;
  /** Variant memory the SKU fixes (Azure's ND96asr_v4 is the 40 GB A100). */
  readonly memoryGiB?: number;
  /** Variant form factor the SKU fixes (GCP's A3 machines are HGX boards). */
  readonly formFactor?: GpuFormFactor;
  /**
   * Per-GPU memory the SKU states rather than fixes (DigitalOcean's `-640gb` over 8 GPUs, Vultr's
   * `-80vram`): snapped to a variant like any reported figure.
   */
  readonly reportedMemoryGiB?: number;
  /**
   * GPUs in one instance of the SKU. Null where the identifier names a GPU but not an instance
   * (Azure quota families and series names, GCP accelerator types) or the size is not one the
   * vendor publishes.
   */
  readonly count: number | null;
  /** For a slice of one GPU (Azure `NV6ads_A10_v5` is a sixth of an A10): the share; count is 1. */
  readonly fraction?: number;
}

/** Builds a GpuSku without writing `undefined` into optional fields (exactOptionalPropertyTypes). */
export function sku(
  scheme: GpuSkuScheme,
  model: string,
  count: number | null,
  fixes: {
    memoryGiB?: number | undefined;
    formFactor?: GpuFormFactor | undefined;
    reportedMemoryGiB?: number | undefined;
    fraction?: number | undefined;
  } = {},
): GpuSku {
  return {
    scheme,
    model,
    count,
    ...(fixes.memoryGiB !== undefined ? { memoryGiB: fixes.memoryGiB } : {}),
    ...(fixes.formFactor !== undefined ? { formFactor: fixes.formFactor } : {}),
    ...(fixes.reportedMemoryGiB !== undefined
      ? { reportedMemoryGiB: fixes.reportedMemoryGiB }
      : {}),
    ...(fixes.fraction !== undefined ? { fraction: fixes.fraction } : {}),
  };
}

/** Whole GPUs, or one slice with its share, from a vCPU count and the series' vCPUs per GPU. */
export function countFromVcpus(
  vcpus: number,
  vcpusPerGpu: number,
): { count: number; fraction?: number } {
  const gpus = vcpus / vcpusPerGpu;
  if (gpus >= 1) return { count: Math.round(gpus) };
  return { count: 1, fraction: gpus };
}

/** A table entry by key, never an inherited property (`__proto__`, `constructor`). */
export function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
