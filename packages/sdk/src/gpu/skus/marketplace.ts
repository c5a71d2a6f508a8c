import { lookup, sku, type GpuSku } from './sku.js';

/**
 * GPU clouds that put the GPU into a plan slug.
 *
 * DigitalOcean GPU Droplet sizes: `gpu-<gpu>x<count>-<total memory>gb`, with an optional
 * commercial suffix (`-spot`, `-contracted`): `gpu-h100x8-640gb` is eight 80 GB H100s. The memory
 * is the instance's total. Source: docs.digitalocean.com/products/droplets/details/pricing/ and
 * the `size` enum of DigitalOcean's public API specification (GPU sizes).
 *
 * Vultr plan ids: Cloud GPU `vcg-<gpu>-<vCPU>c-<RAM>g-<VRAM>vram` (the VRAM is the instance's
 * share: below one GPU's memory it is a vGPU slice), bare metal `vbm-<cores>c-<RAM>gb-<count>-<gpu>-gpu`
 * (count left out for one GPU). Vultr's A100 and H100 are the 80 GB parts and its GH200 the 96 GB
 * one; its `l40` plans run L40S cards. Source: docs.vultr.com (Cloud GPU and Bare Metal plans,
 * `GET /v2/plans` and `/v2/plans-metal`).
 */

type ModelOf = (code: string) => string | undefined;
/** The model's memory when the table lists only one size for it. */
type MemoryOf = (model: string) => number | undefined;

const DIGITALOCEAN = /^gpu-([a-z0-9]+?)x(\d+)-(\d+)gb(?:-[a-z0-9-]+)?$/;

export function parseDigitalOcean(text: string, modelOf: ModelOf): GpuSku | undefined {
  const match = DIGITALOCEAN.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  const [, code = '', countText, totalText] = match;
  const count = Number(countText);
  // The lazy code stops at the first `x<digits>`, which cuts `mi300x1` to `mi300`.
  const model = modelOf(code) ?? modelOf(`${code}x`);
  if (model === undefined || count < 1) return undefined;
  return sku('digitalocean-slug', model, count, { reportedMemoryGiB: Number(totalText) / count });
}

const VULTR_MODELS: Readonly<Record<string, string>> = { l40: 'L40S' };
const VULTR_MEMORY: Readonly<Record<string, number>> = { A100: 80, H100: 80, GH200: 96 };

export function parseVultr(text: string, modelOf: ModelOf, memoryOf: MemoryOf): GpuSku | undefined {
  const parts = text.trim().toLowerCase().split('-');
  if (parts[0] !== 'vcg' && parts[0] !== 'vbm') return undefined;
  const at = parts.findIndex(
    (part, i) => i > 0 && (lookup(VULTR_MODELS, part) ?? modelOf(part)) !== undefined,
  );
  const code = parts[at];
  if (code === undefined) return undefined;
  const model = lookup(VULTR_MODELS, code) ?? modelOf(code);
  if (model === undefined) return undefined;
  const memoryGiB = lookup(VULTR_MEMORY, model) ?? memoryOf(model);
  const vram = parts.map((p) => /^(\d+)vram$/.exec(p)?.[1]).find((v) => v !== undefined);
  if (vram !== undefined && memoryGiB !== undefined && Number(vram) < memoryGiB) {
    return sku('vultr-plan', model, 1, { memoryGiB, fraction: Number(vram) / memoryGiB });
  }
  return sku('vultr-plan', model, countOf(parts, at, vram, memoryGiB), {
    memoryGiB,
    reportedMemoryGiB: memoryGiB === undefined && vram !== undefined ? Number(vram) : undefined,
  });
}

/** `...-8-a100-gpu` or `vbm-8x-...`: the number before the GPU, or an `<n>x` part; else one. */
function countOf(
  parts: readonly string[],
  at: number,
  vram: string | undefined,
  memoryGiB: number | undefined,
): number | null {
  const before = parts[at - 1];
  if (before !== undefined && /^\d+$/.test(before)) return Number(before);
  const times = parts.map((p) => /^(\d+)x$/.exec(p)?.[1]).find((n) => n !== undefined);
  if (times !== undefined) return Number(times);
  if (vram !== undefined && memoryGiB !== undefined) return Math.round(Number(vram) / memoryGiB);
  return parts[0] === 'vbm' || vram !== undefined ? 1 : null;
}
