import { bytes, type ByteUnit, type Bytes } from '@cloudplane/sdk';

/**
 * Fluidstack writes memory as a Kubernetes quantity ("960Gi"). Binary suffixes (Ki, Mi, Gi, Ti)
 * and decimal ones (k, M, G, T) keep their unit; a bare number is bytes. Anything else is
 * undefined: the caller leaves the type out rather than guessing.
 */
const SUFFIX: Readonly<Record<string, ByteUnit>> = {
  '': 'B',
  k: 'KB',
  K: 'KB',
  M: 'MB',
  G: 'GB',
  T: 'TB',
  Ki: 'KiB',
  Mi: 'MiB',
  Gi: 'GiB',
  Ti: 'TiB',
};

export function parseQuantity(text: string): Bytes | undefined {
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(text.trim());
  const unit = match ? SUFFIX[match[2] ?? ''] : undefined;
  if (!match || unit === undefined) return undefined;
  const value = Number(match[1]);
  return value > 0 ? bytes(value, unit) : undefined;
}
