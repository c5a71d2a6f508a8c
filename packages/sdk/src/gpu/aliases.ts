import type { GpuFormFactor, GpuMemoryType } from './record.js';

/**
 * Global aliases: how each canonical model is written in the wild, as token sequences. Raw
 * strings are tokenized first (tokens.ts: lowercase, vendor words dropped, letters and digits
 * split, so `NVIDIA A100-SXM4-80GB` is `a 100 sxm 4 80 gb`), then matched here whole-token,
 * longest first: `l 4` can never match inside `l 40 s`.
 */
export interface ModelPattern {
  /** Space-separated tokens. */
  readonly tokens: string;
  /** Canonical names this pattern may mean; more than one means "decide by evidence". */
  readonly models: readonly string[];
  /** What the pattern itself fixes (e.g. `h 100 l` is the 94 GB NVL part's PCI name). */
  readonly memoryGiB?: number;
  readonly formFactor?: GpuFormFactor;
}

const p = (
  tokens: string,
  models: string | string[],
  fixes: Partial<ModelPattern> = {},
): ModelPattern => ({
  tokens,
  models: typeof models === 'string' ? [models] : models,
  ...fixes,
});

/** Patterns generated from the canonical name's own spelling (`H100` → `h 100`). */
export function canonicalTokens(name: string): string {
  return name
    .toLowerCase()
    .replace(/([a-z])(\d)/g, '$1 $2')
    .replace(/(\d)([a-z])/g, '$1 $2');
}

/** Spellings the canonical form does not cover. */
export const EXTRA_PATTERNS: readonly ModelPattern[] = [
  p('t 4 g', 'T4'),
  p('quadro p 4000', 'P4000'),
  p('q rtx 4000', 'QRTX4000'),
  p('quadro rtx 4000', 'QRTX4000'),
  p('q rtx 5000', 'QRTX5000'),
  p('quadro rtx 5000', 'QRTX5000'),
  p('q rtx 6000', 'QRTX6000'),
  p('quadro rtx 6000', 'QRTX6000'),
  p('q rtx 8000', 'QRTX8000'),
  p('quadro rtx 8000', 'QRTX8000'),
  // NVIDIA used "6000" (and 4000, 5000) for several generations: memory decides.
  p('rtx 4000', ['QRTX4000', 'RTX4000ADA']),
  p('rtx 5000', ['QRTX5000', 'RTX5000ADA']),
  p('rtx 6000', ['QRTX6000', 'RTX6000ADA', 'RTXPRO6000']),
  p('rtx 8000', 'QRTX8000'),
  p('rtx 2000', 'RTX2000ADA'),
  p('a 100 x', 'A100', { memoryGiB: 80, formFactor: 'PCIe' }),
  ...['2000', '4000', '4500', '5000', '6000'].flatMap((n) => [
    p(`rtx a ${n}`, `RTXA${n}`),
    p(`a ${n}`, `RTXA${n}`),
  ]),
  p('rtx 4080 s', 'RTX4080SUPER'),
  p('h 100 l', 'H100', { memoryGiB: 94, formFactor: 'NVL' }),
  p('pro 6000', 'RTXPRO6000'),
  p('pro 4500', 'RTXPRO4500'),
  p('rx 7900 xtx', 'RX7900XTX'),
  p('7900 xtx', 'RX7900XTX'),
  p('pro v 520', 'V520'),
  p('gaudi 1', 'GAUDI'),
  p('hl 205', 'GAUDI'),
  p('hl 225', 'GAUDI2'),
  p('hl 325', 'GAUDI3'),
  p('hl 325 l', 'GAUDI3', { formFactor: 'OAM' }),
  p('hl 338', 'GAUDI3', { formFactor: 'PCIe' }),
  p('tpu v 4', 'TPUV4'),
  p('tpu v 5 e', 'TPUV5E'),
  p('tpu v 5 lite', 'TPUV5E'),
  p('tpu v 5 litepod', 'TPUV5E'),
  p('v 5 litepod', 'TPUV5E'),
  p('tpu v 5 p', 'TPUV5P'),
  p('tpu v 6 e', 'TPUV6E'),
  p('inferentia 2', 'INFERENTIA2'),
  p('trainium 1', 'TRAINIUM'),
];

/**
 * Real products that are not in the table but share a device id with one that is
 * (`GA107GL [A2 / A16]`). They are never emitted as names; they widen the candidate set so that
 * only the fields both products share are filled.
 */
export interface OffTableProduct {
  readonly tokens: string;
  readonly manufacturer: 'NVIDIA' | 'AMD';
  readonly variants: readonly {
    memoryGiB: number | null;
    memoryType: GpuMemoryType | null;
    formFactor: GpuFormFactor | null;
  }[];
}

export const OFF_TABLE_PRODUCTS: readonly OffTableProduct[] = [
  {
    tokens: 'a 2',
    manufacturer: 'NVIDIA',
    variants: [{ memoryGiB: 16, memoryType: 'GDDR6', formFactor: 'PCIe' }],
  },
  {
    tokens: 'v 540',
    manufacturer: 'AMD',
    variants: [{ memoryGiB: null, memoryType: null, formFactor: 'PCIe' }],
  },
];

/** Tokens that name a form factor (after tokenizing); `sxm` alone means "the model's SXM". */
export const FORM_FACTOR_TOKENS: readonly [string, GpuFormFactor | 'SXM'][] = [
  ['sxm 2', 'SXM2'],
  ['sxm 3', 'SXM3'],
  ['sxm 4', 'SXM4'],
  ['sxm 5', 'SXM5'],
  ['sxm 6', 'SXM6'],
  ['sxm', 'SXM'],
  ['hgx', 'SXM'],
  ['dgx', 'SXM'],
  ['pcie', 'PCIe'],
  ['pci e', 'PCIe'],
  ['fhhl', 'PCIe'],
  ['nvl 72', 'Superchip'],
  ['nvl 4', 'Superchip'],
  ['nvl', 'NVL'],
  ['oam', 'OAM'],
  ['superchip', 'Superchip'],
];

export const MEMORY_TYPE_TOKENS: readonly [string, GpuMemoryType][] = [
  ['hbm 3 e', 'HBM3e'],
  ['hbm 3', 'HBM3'],
  ['hbm 2 e', 'HBM2e'],
  ['hbm 2', 'HBM2'],
  ['gddr 7', 'GDDR7'],
  ['gddr 6 x', 'GDDR6X'],
  ['gddr 6', 'GDDR6'],
  ['gddr 5', 'GDDR5'],
];
