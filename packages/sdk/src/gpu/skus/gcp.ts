import type { GpuFormFactor } from '../record.js';
import { lookup, sku, type GpuSku } from './sku.js';

/**
 * Google Cloud: accelerator-optimized machine types (`a3-highgpu-8g`: family, GPU tier, then the
 * GPU count with a `g`; G2 and G4 size by vCPUs instead) and accelerator type names
 * (`nvidia-h100-80gb`, optionally `-vws` for the workstation licence, optionally as a resource
 * path `zones/<zone>/acceleratorTypes/<name>`). Sources:
 * cloud.google.com/compute/docs/accelerator-optimized-machines and
 * cloud.google.com/compute/docs/gpus.
 */

interface Gpu {
  readonly model: string;
  readonly memoryGiB?: number;
  readonly formFactor?: GpuFormFactor;
}

interface MachineFamily extends Gpu {
  readonly pattern: RegExp;
  /** GPUs by the vCPU count that ends the name, for families not named by GPU count. */
  readonly countByVcpus?: Readonly<Record<string, number>>;
}

/** A2, A3 and A4 are HGX boards; A4X is the GB200 NVL72 rack. */
const MACHINES: readonly MachineFamily[] = [
  { pattern: /^a2-(high|mega)gpu-(\d+)g$/, model: 'A100', memoryGiB: 40, formFactor: 'SXM4' },
  { pattern: /^a2-ultragpu-(\d+)g$/, model: 'A100', memoryGiB: 80, formFactor: 'SXM4' },
  { pattern: /^a3-ultragpu-(\d+)g$/, model: 'H200', memoryGiB: 141, formFactor: 'SXM5' },
  { pattern: /^a3-(high|mega|edge)gpu-(\d+)g$/, model: 'H100', memoryGiB: 80, formFactor: 'SXM5' },
  { pattern: /^a4-highgpu-(\d+)g$/, model: 'B200', memoryGiB: 180, formFactor: 'SXM6' },
  { pattern: /^a4x-highgpu-(\d+)g$/, model: 'GB200', memoryGiB: 186, formFactor: 'Superchip' },
  {
    pattern: /^g2-standard-(\d+)$/,
    model: 'L4',
    memoryGiB: 24,
    formFactor: 'PCIe',
    countByVcpus: { 4: 1, 8: 1, 12: 1, 16: 1, 32: 1, 24: 2, 48: 4, 96: 8 },
  },
  {
    pattern: /^g4-standard-(\d+)$/,
    model: 'RTXPRO6000',
    memoryGiB: 96,
    formFactor: 'PCIe',
    countByVcpus: { 48: 1, 96: 2, 192: 4, 384: 8 },
  },
];

/**
 * Accelerator types. GCP runs its A100s and H100/H200s only in the HGX machines above, and its
 * P100 and V100 only in 16 GB form; it does not publish the P100/V100 form factor.
 */
const ACCELERATOR_TYPES: Readonly<Record<string, Gpu>> = {
  'nvidia-tesla-k80': { model: 'K80' },
  'nvidia-tesla-p4': { model: 'P4' },
  'nvidia-tesla-p100': { model: 'P100', memoryGiB: 16 },
  'nvidia-tesla-v100': { model: 'V100', memoryGiB: 16 },
  'nvidia-tesla-t4': { model: 'T4' },
  'nvidia-tesla-a100': { model: 'A100', memoryGiB: 40, formFactor: 'SXM4' },
  'nvidia-a100-80gb': { model: 'A100', memoryGiB: 80, formFactor: 'SXM4' },
  'nvidia-l4': { model: 'L4' },
  'nvidia-h100-80gb': { model: 'H100', memoryGiB: 80, formFactor: 'SXM5' },
  'nvidia-h100-mega-80gb': { model: 'H100', memoryGiB: 80, formFactor: 'SXM5' },
  'nvidia-h200-141gb': { model: 'H200', memoryGiB: 141, formFactor: 'SXM5' },
  'nvidia-b200': { model: 'B200' },
  'nvidia-gb200': { model: 'GB200' },
  'nvidia-rtx-pro-6000': { model: 'RTXPRO6000' },
};

export function parseGcp(text: string): GpuSku | undefined {
  const lowered = text.trim().toLowerCase();
  const name = (
    lowered.includes('acceleratortypes/') ? lowered.slice(lowered.lastIndexOf('/') + 1) : lowered
  ).replace(/-vws$/, '');
  const accelerator = lookup(ACCELERATOR_TYPES, name);
  if (accelerator) {
    return sku('gcp-accelerator-type', accelerator.model, null, {
      memoryGiB: accelerator.memoryGiB,
      formFactor: accelerator.formFactor,
    });
  }
  for (const family of MACHINES) {
    const match = family.pattern.exec(lowered);
    if (!match) continue;
    const last = match[match.length - 1] ?? '';
    const count = family.countByVcpus ? (lookup(family.countByVcpus, last) ?? null) : Number(last);
    return sku('gcp-machine-type', family.model, count, {
      memoryGiB: family.memoryGiB,
      formFactor: family.formFactor,
    });
  }
  return undefined;
}
