import type { GpuFormFactor } from '../record.js';
import { lookup, sku, type GpuSku } from './sku.js';

/**
 * OCI compute shapes: `BM.` (bare metal) or `VM.`, then `GPU` with either a generation number
 * (`BM.GPU4.8`, `VM.GPU3.2`) or a dotted GPU code (`BM.GPU.H100.8`, `BM.GPU.A100-v2.8`,
 * `VM.GPU.A10.1`), then the number of GPUs. Most codes are the GPU's name; a few are Oracle's own
 * platform codes. Source: docs.oracle.com/iaas/Content/Compute/References/computeshapes.htm (GPU
 * shapes) and the OCI SDK's platform-config docs (`BM.GPU.GM4.8` is another name of
 * `BM.GPU.A100-v2.8`).
 */

interface ShapeGpu {
  readonly model: string;
  readonly memoryGiB?: number;
  readonly formFactor?: GpuFormFactor;
}

/** Generation-numbered shapes (the oldest naming). */
const GENERATIONS: Readonly<Record<string, ShapeGpu>> = {
  '2': { model: 'P100', memoryGiB: 16, formFactor: 'PCIe' },
  '3': { model: 'V100', memoryGiB: 16, formFactor: 'SXM2' },
  '4': { model: 'A100', memoryGiB: 40, formFactor: 'SXM4' },
};

/**
 * Dotted codes that are not a GPU name, or that need more than the name: Oracle platform codes and
 * the HGX boards (OCI's bare-metal H100/H200 shapes are 8-GPU HGX systems).
 */
const CODES: Readonly<Record<string, ShapeGpu>> = {
  'a100-v2': { model: 'A100', memoryGiB: 80, formFactor: 'SXM4' },
  gm4: { model: 'A100', memoryGiB: 80, formFactor: 'SXM4' },
  b4: { model: 'A100', memoryGiB: 40, formFactor: 'SXM4' },
  gu1: { model: 'A10' },
  t1: { model: 'A10' },
  't1-2': { model: 'A10' },
  h100: { model: 'H100', memoryGiB: 80, formFactor: 'SXM5' },
  'h100-nc': { model: 'H100', memoryGiB: 80, formFactor: 'SXM5' },
  h200: { model: 'H200', memoryGiB: 141, formFactor: 'SXM5' },
};

const SHAPE = /^(bm|vm)\.gpu(?:(\d)|\.([a-z0-9]+(?:-[a-z0-9]+)*))\.(\d+)\b/;

/**
 * `modelOf` resolves a GPU code that is a model name (`l40s`, `mi300x`, `gb200`) through the
 * model table, so new shapes of known GPUs need no entry here.
 */
export function parseOci(
  text: string,
  modelOf: (code: string) => string | undefined,
): GpuSku | undefined {
  const match = SHAPE.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  const [, , generation, code, countText] = match;
  const gpu =
    generation !== undefined
      ? lookup(GENERATIONS, generation)
      : code === undefined
        ? undefined
        : (lookup(CODES, code) ?? namedGpu(code, modelOf));
  if (!gpu) return undefined;
  return sku('oci-shape', gpu.model, Number(countText), {
    memoryGiB: gpu.memoryGiB,
    formFactor: gpu.formFactor,
  });
}

/** `l40s-nc` → L40S: the part before a dash is the GPU, the rest a platform variant. */
function namedGpu(
  code: string,
  modelOf: (code: string) => string | undefined,
): ShapeGpu | undefined {
  const model = modelOf(code.split('-')[0] ?? code);
  return model === undefined ? undefined : { model };
}
