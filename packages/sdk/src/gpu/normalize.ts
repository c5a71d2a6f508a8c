import {
  canonicalTokens,
  EXTRA_PATTERNS,
  OFF_TABLE_PRODUCTS,
  type ModelPattern,
} from './aliases.js';
import { evidenceFromContext, evidenceFromTokens, type MemoryReading } from './evidence.js';
import { findModel, GPU_MODELS, type GpuModel } from './models.js';
import { knowledgeFor, type ProviderKnowledge } from './provider-aliases.js';
import { parseGpuSku, type GpuSku } from './skus/index.js';
import type { GpuFormFactor, GpuManufacturer, GpuMemoryType, GpuRecord } from './record.js';
import { findRun, tokenize } from './tokens.js';
import type { GpuWarning, GpuWarningKind } from './warnings.js';

/**
 * normalizeGpu: one provider string (plus what the provider says beside it) → one GpuRecord.
 *
 * Order of decisions: (1) an instance SKU that fixes the GPU (skus/: AWS instance types, Azure
 * sizes and quota families, OCI shapes, GCP machine and accelerator types, DigitalOcean and Vultr
 * slugs), in the string or in a SKU field of the context, whatever the source; otherwise (2) model
 * names found in the tokens, provider-scoped patterns before global ones, longest first. The
 * candidates are every (model, variant) pair of the models found; (3) evidence narrows them:
 * what the pattern fixes, form factor, memory type, reported memory (snapped within 7%, with the
 * known failure modes recognised), then the provider's convention for bare names. Evidence that
 * would leave no candidate is dropped with a warning. (4) The record keeps the fields every
 * remaining candidate agrees on; the rest are null. No record can name a variant outside the table.
 */

export interface NormalizeOptions {
  /** The provider or tool the string came from (`aws`, `lambda`, `lspci`, ...). */
  readonly source?: string;
  /** What the provider returned beside the string: memory fields, counts, instance type. */
  readonly context?: Readonly<Record<string, unknown>>;
}

export interface NormalizeResult {
  readonly record: GpuRecord;
  readonly warnings: readonly GpuWarning[];
  /** The variants still possible, for callers that want to show the choice. */
  readonly candidates: readonly Candidate[];
  /**
   * The instance SKU that decided the model, when there was one: its `count` (GPUs per instance)
   * and `fraction` (a slice of one GPU) belong on the offer's GpuSpec, not in the record.
   */
  readonly sku?: GpuSku;
}

export interface Candidate {
  readonly model: string | null;
  readonly manufacturer: GpuManufacturer;
  readonly architecture: string | null;
  readonly memoryGiB: number | null;
  readonly memoryType: GpuMemoryType | null;
  readonly formFactor: GpuFormFactor | null;
  readonly aftermarket: boolean;
}

/** Snapping tolerance for reported memory (spec section 4). */
export const MEMORY_TOLERANCE = 0.07;
/** Boards that carry two GPUs, whose memory is often reported per board. */
const DUAL_GPU_BOARDS = new Set(['K80', 'M60', 'K520']);

export function normalizeGpu(raw: string, options: NormalizeOptions = {}): NormalizeResult {
  const context = options.context ?? {};
  const knowledge = knowledgeFor(options.source, context);
  const warnings: GpuWarning[] = [];
  const warn = (kind: GpuWarningKind, message: string) => {
    if (!warnings.some((w) => w.kind === kind)) warnings.push({ kind, message });
  };
  const { tokens, vendor: namedVendor, truncated } = tokenize(raw);
  if (truncated) warn('truncated-name', `"${raw}" was cut short; matched on what remains`);
  const fromContext = evidenceFromContext(context);

  const sku = skuFor(raw, fromContext.skus);
  let candidates: Candidate[];
  let fromName: ReturnType<typeof evidenceFromTokens>;
  if (sku) {
    candidates = narrow(
      candidatesOf(findModel(sku.model)),
      (c) => matchesFix(c, sku),
      () => undefined,
    );
    if (sku.fraction !== undefined)
      warn('fractional-gpu', `${raw} is a slice of one GPU; the record is the physical GPU`);
    fromName = {
      memory:
        sku.reportedMemoryGiB === undefined ? [] : [{ gib: sku.reportedMemoryGiB, from: 'name' }],
      formFactor: null,
      memoryType: null,
      count: null,
      partition: false,
    };
  } else {
    ({ candidates, fromName } = fromTokens(tokens, knowledge));
    // A structured GPU object (EC2's GpuInfo) may carry the name when the string does not.
    for (const name of fromContext.gpuNames) {
      if (candidates.length > 0) break;
      ({ candidates, fromName } = fromTokens(tokenize(name).tokens, knowledge));
    }
  }

  const vendor = namedVendor ?? fromContext.vendor;
  if (vendor !== null)
    candidates = narrow(
      candidates,
      (c) => c.manufacturer === vendor,
      () => undefined,
    );
  if (candidates.length === 0) {
    warn('unknown-model', `no GPU model of the table found in "${raw}"`);
    return { record: emptyRecord(vendor), warnings, candidates };
  }

  const formFactor =
    fromName.formFactor ??
    (fromContext.formFactorText === null
      ? null
      : evidenceFromTokens(tokenize(fromContext.formFactorText).tokens.slice()).formFactor);
  if (formFactor !== null) candidates = applyFormFactor(candidates, formFactor, warn);
  if (fromName.memoryType !== null) {
    const type = fromName.memoryType;
    candidates = narrow(
      candidates,
      (c) => c.memoryType === type,
      () => {
        warn(
          'name-memory-conflict',
          `"${raw}" says ${type}, which no candidate variant has; ignored`,
        );
      },
    );
  }
  if (fromName.partition)
    warn('fractional-gpu', `"${raw}" is a partition (MIG); the record is the physical GPU`);
  const count = fromName.count ?? fromContext.count ?? sku?.count ?? null;
  for (const reading of [...fromName.memory, ...fromContext.memory]) {
    candidates = applyMemory(
      candidates,
      reading,
      { count, partition: fromName.partition, raw },
      warn,
    );
  }
  // Conventions say what a provider's bare model name means; a SKU already said what it is.
  if (!sku) candidates = applyConventions(candidates, knowledge);
  if (candidates.some((c) => c.aftermarket) && candidates.every((c) => c.aftermarket)) {
    warn(
      'aftermarket',
      `${candidates[0]?.memoryGiB ?? '?'} GiB is a third-party conversion, not a vendor SKU`,
    );
  }
  const record = recordOf(candidates);
  if (record.name === null)
    warn('ambiguous-model', `"${raw}" fits more than one model; only shared fields are filled`);
  return { record, warnings, candidates, ...(sku ? { sku } : {}) };
}

/** The SKU in the string, else the first SKU field of the context that parses. */
function skuFor(raw: string, contextSkus: readonly string[]): GpuSku | undefined {
  const own = parseGpuSku(raw);
  if (own) return own;
  for (const text of contextSkus) {
    const found = parseGpuSku(text);
    if (found) return found;
  }
  return undefined;
}

/** Model names in the tokens, the variants they allow, and what the rest of the tokens say. */
function fromTokens(
  tokens: readonly string[],
  knowledge: ProviderKnowledge,
): { candidates: Candidate[]; fromName: ReturnType<typeof evidenceFromTokens> } {
  const slots: (string | null)[] = [...tokens];
  const found = findModels(slots, knowledge);
  let candidates = found.flatMap(({ pattern }) =>
    pattern.models.flatMap((m) => candidatesOf(findModel(m))),
  );
  for (const { pattern } of found) {
    candidates = narrow(
      candidates,
      (c) => !pattern.models.includes(c.model ?? '') || matchesFix(c, pattern),
      () => undefined,
    );
  }
  const offTable = found.length > 0 ? findOffTable(slots) : [];
  return { candidates: dedupe([...candidates, ...offTable]), fromName: evidenceFromTokens(slots) };
}

interface Found {
  readonly pattern: ModelPattern;
}

const GLOBAL_PATTERNS: readonly ModelPattern[] = [
  ...GPU_MODELS.map((m) => ({ tokens: canonicalTokens(m.name), models: [m.name] })),
  ...EXTRA_PATTERNS,
];

/** Finds model names, provider patterns first, longest first; found tokens are consumed. */
function findModels(slots: (string | null)[], knowledge: ProviderKnowledge): Found[] {
  const found: Found[] = [];
  for (const { pattern, needle } of [
    ...needlesOf(knowledge.patterns ?? NO_PATTERNS),
    ...needlesOf(GLOBAL_PATTERNS),
  ]) {
    for (let at = findRun(slots, needle); at >= 0; at = findRun(slots, needle, at + 1)) {
      needle.forEach((_, k) => (slots[at + k] = null));
      found.push({ pattern });
    }
  }
  return found;
}

interface Needle {
  readonly pattern: ModelPattern;
  readonly needle: readonly string[];
}

const NO_PATTERNS: readonly ModelPattern[] = [];
const needles = new WeakMap<readonly ModelPattern[], readonly Needle[]>();

/**
 * Patterns split into tokens, longest first (a stable sort, so equal lengths keep table order).
 * Computed once per pattern list: catalogs normalize the same few strings thousands of times.
 */
function needlesOf(patterns: readonly ModelPattern[]): readonly Needle[] {
  let list = needles.get(patterns);
  if (!list) {
    list = patterns
      .map((pattern) => ({ pattern, needle: pattern.tokens.split(' ') }))
      .sort((a, b) => b.needle.length - a.needle.length);
    needles.set(patterns, list);
  }
  return list;
}

function findOffTable(slots: (string | null)[]): Candidate[] {
  return OFF_TABLE_PRODUCTS.flatMap((product) => {
    const needle = product.tokens.split(' ');
    const at = findRun(slots, needle);
    if (at < 0) return [];
    needle.forEach((_, k) => (slots[at + k] = null));
    return product.variants.map((v) => ({
      model: null,
      manufacturer: product.manufacturer,
      architecture: null,
      ...v,
      aftermarket: false,
    }));
  });
}

function candidatesOf(model: GpuModel | undefined): Candidate[] {
  if (!model) return [];
  return model.variants.map((v) => ({
    model: model.name,
    manufacturer: model.manufacturer,
    architecture: model.architecture,
    memoryGiB: v.memoryGiB,
    memoryType: v.memoryType,
    formFactor: v.formFactor,
    aftermarket: v.aftermarket === true,
  }));
}

function dedupe(candidates: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((c) => {
    const key = JSON.stringify(c);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function matchesFix(
  c: Candidate,
  fix: { memoryGiB?: number; formFactor?: GpuFormFactor },
): boolean {
  return (
    (fix.memoryGiB === undefined || c.memoryGiB === fix.memoryGiB) &&
    (fix.formFactor === undefined || c.formFactor === fix.formFactor)
  );
}

/** Keeps the candidates that pass; if none would, keeps them all and reports. */
function narrow(
  candidates: Candidate[],
  keep: (c: Candidate) => boolean,
  onConflict: () => void,
): Candidate[] {
  const kept = candidates.filter(keep);
  if (kept.length > 0) return kept;
  onConflict();
  return candidates;
}

type Warn = (kind: GpuWarningKind, message: string) => void;

function applyFormFactor(
  candidates: Candidate[],
  formFactor: GpuFormFactor | 'SXM',
  warn: Warn,
): Candidate[] {
  const isSxm = (c: Candidate) => c.formFactor?.startsWith('SXM') === true;
  if (formFactor !== 'SXM') {
    const exact = candidates.filter((c) => c.formFactor === formFactor);
    if (exact.length > 0) return exact;
    if (!formFactor.startsWith('SXM')) {
      warn('name-memory-conflict', `form factor ${formFactor} fits no candidate variant; ignored`);
      return candidates;
    }
    warn(
      'form-factor-conflict',
      `${formFactor} is not this model's SXM generation; using the model's own`,
    );
  }
  const sxm = candidates.filter(isSxm);
  if (sxm.length === 0) return candidates;
  // V100 exists as SXM2 and SXM3 (DGX-2 only); a bare "SXM" on a cloud is the SXM2 board.
  const sxm2 = sxm.filter((c) => c.model === 'V100' && c.formFactor === 'SXM2');
  return sxm2.length > 0 && sxm.every((c) => c.model === 'V100') ? sxm2 : sxm;
}

function fits(gib: number, c: Candidate): boolean {
  return c.memoryGiB !== null && Math.abs(gib - c.memoryGiB) / c.memoryGiB <= MEMORY_TOLERANCE;
}

function nearest(gib: number, candidates: Candidate[]): Candidate[] {
  const fitting = candidates.filter((c) => fits(gib, c));
  if (fitting.length === 0) return [];
  const best = Math.min(...fitting.map((c) => Math.abs(gib - (c.memoryGiB ?? 0))));
  return fitting.filter((c) => Math.abs(gib - (c.memoryGiB ?? 0)) === best);
}

/** Snaps a reported memory figure to a variant, recognising the known ways it can be wrong. */
function applyMemory(
  candidates: Candidate[],
  reading: MemoryReading,
  { count, partition, raw }: { count: number | null; partition: boolean; raw: string },
  warn: Warn,
): Candidate[] {
  const direct = nearest(reading.gib, candidates);
  if (direct.length > 0) return direct;
  const shown = `${Math.round(reading.gib * 10) / 10} GiB`;
  if (count !== null && count > 1) {
    const perGpu = nearest(reading.gib / count, candidates);
    if (perGpu.length > 0) {
      warn('total-instead-of-per-gpu', `${shown} is the total of ${count} GPUs, not per GPU`);
      return perGpu;
    }
  }
  const perBoard = nearest(
    reading.gib / 2,
    candidates.filter((c) => DUAL_GPU_BOARDS.has(c.model ?? '')),
  );
  if (perBoard.length > 0) {
    warn('per-board-memory', `${shown} is per two-GPU board`);
    return perBoard;
  }
  const sizes = candidates.map((c) => c.memoryGiB).filter((m): m is number => m !== null);
  if (sizes.length === 0) return candidates;
  // A small figure in a provider's field is a slice; in the name, without a partition word, it is
  // the provider's own mistake (Fluidstack's "Quadro_RTX_6000_16GB").
  if (reading.gib < Math.min(...sizes) && (reading.from === 'context' || partition)) {
    warn(
      'fractional-gpu',
      `${shown} is less than any variant of the GPU: a slice; the record is the physical GPU`,
    );
  } else if (reading.gib > Math.max(...sizes) * 1.5) {
    warn(
      'host-ram-in-gpu-field',
      `${shown} in "${raw}" is far above any variant: host memory, ignored`,
    );
  } else {
    warn('name-memory-conflict', `${shown} fits no variant of the model; the model wins`);
  }
  return candidates;
}

function applyConventions(candidates: Candidate[], knowledge: ProviderKnowledge): Candidate[] {
  let result = candidates;
  for (const convention of knowledge.conventions ?? []) {
    if (!result.every((c) => c.model === convention.model)) continue;
    if (convention.memoryGiB !== undefined && distinct(result.map((c) => c.memoryGiB)).length > 1) {
      result = narrow(
        result,
        (c) => c.memoryGiB === convention.memoryGiB,
        () => undefined,
      );
    }
    if (
      convention.formFactor !== undefined &&
      distinct(result.map((c) => c.formFactor)).length > 1
    ) {
      result = narrow(
        result,
        (c) => c.formFactor === convention.formFactor,
        () => undefined,
      );
    }
  }
  return result;
}

function distinct<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function shared<T>(values: T[]): T | null {
  const unique = distinct(values);
  return unique.length === 1 ? (unique[0] ?? null) : null;
}

function recordOf(candidates: Candidate[]): GpuRecord {
  const name = shared(candidates.map((c) => c.model));
  return {
    name,
    manufacturer: shared(candidates.map((c) => c.manufacturer)),
    memoryGiB: shared(candidates.map((c) => c.memoryGiB)),
    memoryType: shared(candidates.map((c) => c.memoryType)),
    formFactor: shared(candidates.map((c) => c.formFactor)),
    architecture: name === null ? null : shared(candidates.map((c) => c.architecture)),
  };
}

function emptyRecord(vendor: GpuManufacturer | null): GpuRecord {
  return {
    name: null,
    manufacturer: vendor,
    memoryGiB: null,
    memoryType: null,
    formFactor: null,
    architecture: null,
  };
}
