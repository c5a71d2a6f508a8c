/**
 * The provider's fields beside a GPU string, flattened to dotted paths so that one reader serves
 * flat contexts (`{"MemoryInfo.SizeInMiB": 81920}`), nested API objects (EC2's `GpuInfo` with
 * `Gpus: [{Name, Manufacturer, Count, MemoryInfo: {SizeInMiB}}]`) and amount-with-unit objects
 * (DigitalOcean's `vram: {amount: 640, unit: "gib"}`).
 */

export interface ContextField {
  /** Dotted path, e.g. `GpuInfo.Gpus.MemoryInfo.SizeInMiB` (a one-element list adds no index). */
  readonly path: string;
  /** The last key, lowercased, letters and digits only: `sizeinmib`. */
  readonly leaf: string;
  readonly value: string | number | boolean;
}

export function flattenContext(context: Readonly<Record<string, unknown>>): ContextField[] {
  const fields: ContextField[] = [];
  const visit = (path: string, key: string, value: unknown, depth: number): void => {
    if (value === null || value === undefined || depth > 6) return;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      fields.push({ path, leaf: normalizeKey(key), value });
      return;
    }
    // A list of one GPU kind is that kind; a mixed list has no single per-GPU figure to read.
    if (Array.isArray(value)) {
      if (value.length === 1) visit(path, key, value[0], depth + 1);
      return;
    }
    if (typeof value !== 'object') return;
    const entries = Object.entries(value as Record<string, unknown>);
    const withUnit = amountWithUnit(entries);
    if (withUnit !== undefined) {
      fields.push({ path, leaf: normalizeKey(key), value: withUnit });
      return;
    }
    for (const [child, inner] of entries) {
      visit(path === '' ? child : `${path}.${child}`, child, inner, depth + 1);
    }
  };
  for (const [key, value] of Object.entries(context)) {
    // Keys may already be dotted paths (`memory.total_mib`); the leaf is after the last dot.
    visit(key, key.split('.').pop() ?? key, value, 0);
  }
  return fields;
}

export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** `{amount: 640, unit: "gib"}` → `"640 gib"`. */
function amountWithUnit(entries: [string, unknown][]): string | undefined {
  if (entries.length !== 2) return undefined;
  const amount = entries.find(([k]) => /^(amount|value|size)$/i.test(k))?.[1];
  const unit = entries.find(([k]) => /^units?$/i.test(k))?.[1];
  if (typeof amount !== 'number' || typeof unit !== 'string') return undefined;
  return `${amount} ${unit}`;
}

const UNITS: Readonly<Record<string, number>> = {
  tib: 1024,
  tb: 1024,
  t: 1024,
  gib: 1,
  gb: 1,
  g: 1,
  mib: 1 / 1024,
  mb: 1 / 1024,
  m: 1 / 1024,
};

/**
 * `"80 GB"`, `"81920 MiB"`, `"80GiB"`, `"24 GB GDDR6"` → GiB. Vendor GB are taken as GiB, as in
 * GPU names (spec section 4); the snapping tolerance absorbs the difference.
 */
export function gibFromText(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\b/i.exec(text);
  if (!match) return undefined;
  const factor = UNITS[(match[2] ?? '').toLowerCase()];
  return factor === undefined ? undefined : Number(match[1]) * factor;
}
