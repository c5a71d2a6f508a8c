import { FORM_FACTOR_TOKENS, MEMORY_TYPE_TOKENS } from './aliases.js';
import type { GpuFormFactor, GpuManufacturer, GpuMemoryType } from './record.js';
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

const MIB_KEY = /mib$/i;
const GB_KEY =
  /^(memoryingb|memory_gb|gpu_vram_gb|vram|vram_gb|gpu_memory_gb|memory_in_gb|vram_per_gpu_in_gb)$/i;
const COUNT_KEY = /^(count|gpu_count|gpucount|num_gpus)$/i;
const FORM_KEY = /^(interconnection_type|interconnect|form_factor|formfactor)$/i;

/** Reads memory, count, vendor and form-factor hints from the provider's fields. */
export function evidenceFromContext(context: Readonly<Record<string, unknown>>): {
  memory: MemoryReading[];
  count: number | null;
  vendor: GpuManufacturer | null;
  formFactorText: string | null;
} {
  const memory: MemoryReading[] = [];
  let count: number | null = null;
  let vendor: GpuManufacturer | null = null;
  let formFactorText: string | null = null;
  for (const [key, value] of Object.entries(context)) {
    const leaf = key.split('.').pop() ?? key;
    const number =
      typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
    if (MIB_KEY.test(leaf) && Number.isFinite(number) && number > 0)
      memory.push({ gib: number / 1024, from: 'context' });
    else if (GB_KEY.test(leaf) && Number.isFinite(number) && number > 0)
      memory.push({ gib: number, from: 'context' });
    else if (COUNT_KEY.test(leaf) && Number.isInteger(number) && number > 0) count = number;
    else if (/^manufacturer$/i.test(leaf) && typeof value === 'string') vendor = vendorOf(value);
    else if (FORM_KEY.test(leaf) && typeof value === 'string') formFactorText = value;
  }
  return { memory, count, vendor, formFactorText };
}

function vendorOf(text: string): GpuManufacturer | null {
  const lowered = text.toLowerCase();
  if (lowered.includes('nvidia')) return 'NVIDIA';
  if (lowered.includes('amd')) return 'AMD';
  if (lowered.includes('intel') || lowered.includes('habana')) return 'Intel';
  return null;
}
