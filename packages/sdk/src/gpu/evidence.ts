import { FORM_FACTOR_TOKENS, MEMORY_TYPE_TOKENS } from './aliases.js';
import type { GpuFormFactor, GpuManufacturer, GpuMemoryType } from './record.js';
import { flattenContext, gibFromText, normalizeKey } from './context.js';
import { findRun } from './tokens.js';

/**
 * What a string and its context say besides the model: reported memory (with where it came
 * from), form factor, memory type, GPU count. Read from the tokens the model did not use, and from
 * the provider's fields beside the string.
 */

export interface MemoryReading {
  readonly gib: number;
  readonly from: 'name' | 'context';
}

export interface Evidence {
  readonly memory: readonly MemoryReading[];
  readonly formFactor: GpuFormFactor | 'SXM' | null;
  readonly memoryType: GpuMemoryType | null;
  readonly count: number | null;
  readonly partition: boolean;
  readonly vendor: GpuManufacturer | null;
}

const MEMORY_UNITS = new Set(['g', 'gb', 'gib', 'vram']);

/** Reads evidence from leftover tokens; consumed tokens are null. */
export function evidenceFromTokens(tokens: (string | null)[]): Omit<Evidence, 'vendor'> {
  const formFactor = takeFirst(tokens, FORM_FACTOR_TOKENS);
  const memoryType = takeFirst(tokens, MEMORY_TYPE_TOKENS);
  const memory: MemoryReading[] = [];
  let count: number | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const next = tokens[i + 1];
    if (token === 'count' && next !== undefined && next !== null && /^\d+$/.test(next)) {
      count = Number(next);
      i++;
    } else if (
      typeof token === 'string' &&
      /^\d+$/.test(token) &&
      next !== undefined &&
      next !== null &&
      MEMORY_UNITS.has(next)
    ) {
      memory.push({ gib: Number(token), from: 'name' });
      i++;
    }
  }
  return { memory, formFactor, memoryType, count, partition: tokens.includes('mig') };
}

function takeFirst<T>(
  tokens: (string | null)[],
  table: readonly (readonly [string, T])[],
): T | null {
  for (const [pattern, value] of table) {
    const needle = pattern.split(' ');
    const at = findRun(tokens, needle);
    if (at >= 0) {
      needle.forEach((_, k) => (tokens[at + k] = null));
      return value;
    }
  }
  return null;
}

/** Keys that always held GPU memory in GB at the providers we read (normalized: see context.ts). */
const GB_KEYS = new Set([
  'memoryingb',
  'memorygb',
  'gpuvramgb',
  'vram',
  'vramgb',
  'gpumemorygb',
  'vrampergpuingb',
]);
const COUNT_KEYS = new Set(['count', 'gpucount', 'numgpus']);
const FORM_KEYS = new Set(['interconnectiontype', 'interconnect', 'formfactor']);
/** Fields that hold an instance SKU: an AWS type, Azure size or quota family, OCI shape ... */
const SKU_KEYS = new Set([
  'instancetype',
  'machinetype',
  'vmsize',
  'size',
  'sizeslug',
  'shape',
  'slug',
  'plan',
  'planid',
  'sku',
  'skuname',
  'family',
]);
/** A path about memory, and not about the host's memory, disk or bus. */
const MEMORY_PATH = /vram|gpuram|gpumem|memory|mem/;
const NOT_GPU_MEMORY = /host|system|cpu|disk|storage|bandwidth|clock|bus|local/;
/** EC2's `TotalGpuMemoryInMiB`: all GPUs together. nvidia-smi's `memory.total` is per GPU. */
const INSTANCE_TOTAL = /^total.*(gpu|vram)/;

export interface ContextEvidence {
  readonly memory: MemoryReading[];
  readonly count: number | null;
  readonly vendor: GpuManufacturer | null;
  readonly formFactorText: string | null;
  /** Values of SKU fields (`InstanceType`, `machineType`, `vmSize`, `shape`, `slug` ...). */
  readonly skus: string[];
  /** GPU names inside a structured GPU object (EC2's `GpuInfo.Gpus[].Name`). */
  readonly gpuNames: string[];
}

/**
 * Reads memory, count, vendor, form-factor and SKU hints from the provider's fields: flat or
 * nested, numbers or strings with units (`"80 GB"`, `"81920 MiB"`).
 */
export function evidenceFromContext(context: Readonly<Record<string, unknown>>): ContextEvidence {
  const fields = flattenContext(context);
  let count: number | null = null;
  let vendor: GpuManufacturer | null = null;
  let formFactorText: string | null = null;
  const skus: string[] = [];
  const gpuNames: string[] = [];
  for (const { path, leaf, value } of fields) {
    const number = numberOf(value);
    if (COUNT_KEYS.has(leaf) && Number.isInteger(number) && number > 0) count = number;
    else if (leaf === 'manufacturer' && typeof value === 'string') vendor = vendorOf(value);
    else if (FORM_KEYS.has(leaf) && typeof value === 'string') formFactorText = value;
    else if (SKU_KEYS.has(leaf) && typeof value === 'string') skus.push(value);
    else if (
      (leaf === 'name' || leaf === 'model') &&
      /gpu/i.test(path) &&
      typeof value === 'string'
    )
      gpuNames.push(value);
  }
  const readings: (MemoryReading & { inGpuObject: boolean })[] = [];
  for (const { path, leaf, value } of fields) {
    const normalized = normalizeKey(path);
    const gib = memoryGiBOf(normalized, leaf, value);
    if (gib === undefined || !(gib > 0)) continue;
    const inGpuObject = /gpu|vram/.test(normalized);
    if (INSTANCE_TOTAL.test(leaf)) {
      if (count !== null) readings.push({ gib: gib / count, from: 'context', inGpuObject });
    } else {
      readings.push({ gib, from: 'context', inGpuObject });
    }
  }
  // A whole EC2 InstanceTypeInfo has the host's MemoryInfo beside GpuInfo: the GPU object wins.
  const gpuOnly = readings.some((r) => r.inGpuObject)
    ? readings.filter((r) => r.inGpuObject)
    : readings;
  const memory = gpuOnly.map(({ gib, from }) => ({ gib, from }));
  return { memory, count, vendor, formFactorText, skus, gpuNames };
}

/** GiB in one field, or undefined when the field is not GPU memory. */
function memoryGiBOf(
  path: string,
  leaf: string,
  value: string | number | boolean,
): number | undefined {
  if (typeof value === 'boolean') return undefined;
  const aboutMemory = MEMORY_PATH.test(path) && !NOT_GPU_MEMORY.test(path);
  const withUnit = typeof value === 'string' ? gibFromText(value) : undefined;
  if (withUnit !== undefined)
    return aboutMemory || GB_KEYS.has(leaf) || /mib$/.test(leaf) ? withUnit : undefined;
  const number = numberOf(value);
  if (!Number.isFinite(number)) return undefined;
  if (/mib$/.test(leaf) || (aboutMemory && /mb$/.test(leaf))) return number / 1024;
  if (GB_KEYS.has(leaf) || (aboutMemory && /gi?b$/.test(leaf))) return number;
  return undefined;
}

function numberOf(value: string | number | boolean): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

function vendorOf(text: string): GpuManufacturer | null {
  const lowered = text.toLowerCase();
  if (lowered.includes('nvidia')) return 'NVIDIA';
  if (lowered.includes('amd')) return 'AMD';
  if (lowered.includes('intel') || lowered.includes('habana')) return 'Intel';
  return null;
}
