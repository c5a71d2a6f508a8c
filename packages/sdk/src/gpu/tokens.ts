import type { GpuManufacturer } from './record.js';

/**
 * Turns a provider's GPU string into tokens the alias tables can match whole: lowercase, the
 * device name out of `lspci` brackets, the last segment of a resource path, glued vendor words
 * split (`geforcertx3090`), GPU counts marked (`8x`, `x8` → `count 8`), letters split from digits
 * (`a100` → `a 100`), and words that never change which GPU it is (brand, edition) dropped.
 */

export interface Tokens {
  readonly tokens: readonly string[];
  /** The vendor named in the string, if any (`NVIDIA Corporation ...`, `AMD-Instinct-...`). */
  readonly vendor: GpuManufacturer | null;
  /** nvidia-smi's table view cuts long names and appends `...`. */
  readonly truncated: boolean;
}

const VENDORS: Readonly<Record<string, GpuManufacturer>> = {
  nvidia: 'NVIDIA',
  amd: 'AMD',
  ati: 'AMD',
  intel: 'Intel',
  habana: 'Intel',
  google: 'Google',
};

/** Words that appear inside GPU names but never decide which GPU it is. */
const FILLER = new Set([
  'nvidia',
  'geforce',
  'tesla',
  'corporation',
  'amd',
  'ati',
  'advanced',
  'micro',
  'devices',
  'inc',
  'intel',
  'habana',
  'instinct',
  'radeon',
  'data',
  'center',
  'gpu',
  'graphics',
  'edition',
  'generation',
  'gene',
  'server',
  'workstation',
  'sff',
  'blackwell',
  'vf',
  'ac',
  'mega',
  'plus',
  'vws',
  'nvlink',
  'maxq',
  'wk',
]);

export function tokenize(raw: string): Tokens {
  let text = raw.trim();
  const truncated = text.endsWith('...');
  if (truncated) text = text.slice(0, -3);
  let vendor: GpuManufacturer | null = null;
  const bracket = /\[([^\]]+)\]\s*$/.exec(text);
  if (bracket?.[1] !== undefined) {
    vendor = vendorIn(text.slice(0, bracket.index));
    text = bracket[1];
  }
  if (/acceleratortypes\//i.test(text)) text = text.slice(text.lastIndexOf('/') + 1);
  const lowered = text
    .toLowerCase()
    .replace(/(geforce|nvidia|tesla|quadro|radeon)(?=[a-z])/g, '$1 ')
    .replace(/rtx(?=[a-z])/g, 'rtx ')
    .replace(/(?<![a-z0-9])(\d+)x(?![a-z0-9])/g, ' count$1 ')
    .replace(/(?<=\d[a-z]?)x(\d+)(?![a-z0-9])/g, ' count$1 ')
    .replace(/(\d+)gpu\b/g, 'count$1 ');
  const words = lowered
    .split(/[^a-z0-9]+/)
    .flatMap((w) =>
      w
        .replace(/([a-z])(\d)/g, '$1 $2')
        .replace(/(\d)([a-z])/g, '$1 $2')
        .split(' '),
    )
    .filter((w) => w !== '');
  vendor ??= words.map((w) => VENDORS[w]).find((v) => v !== undefined) ?? null;
  return { tokens: words.filter((w) => !FILLER.has(w)), vendor, truncated };
}

function vendorIn(text: string): GpuManufacturer | null {
  const lowered = text.toLowerCase();
  if (lowered.includes('nvidia')) return 'NVIDIA';
  if (lowered.includes('advanced micro devices') || lowered.includes('amd')) return 'AMD';
  if (lowered.includes('intel') || lowered.includes('habana')) return 'Intel';
  return null;
}

/** Index of `needle` as a contiguous run in `tokens` at or after `from`, or -1. */
export function findRun(
  tokens: readonly (string | null)[],
  needle: readonly string[],
  from = 0,
): number {
  outer: for (let i = from; i + needle.length <= tokens.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (tokens[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}
