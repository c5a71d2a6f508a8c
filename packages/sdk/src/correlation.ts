import { CloudError } from './errors.js';

/**
 * Correlation for clouds without tags. Every instance must come back with the `refId` and
 * `cloudCredRefId` it was created with; where a cloud cannot store tags, the adapter stores them
 * in a name it controls (the instance name, an SSH key name) with this one encoding, so that any
 * instance listed later can be decoded, and instances the control plane did not create (foreign
 * ones) are recognised and skipped.
 *
 * Encoding: `<prefix><sep><refId><sep><cloudCredRefId>[<sep><label>]`. The label is free text for
 * humans (shown in the cloud's console) and may be cut to fit; the ids never are.
 */

export interface CorrelationIds {
  readonly refId: string;
  readonly cloudCredRefId: string;
}

export interface CorrelationFormat {
  /** Marks names we created. Default `cp`. */
  readonly prefix?: string;
  /** Default `--`. Must not occur in either id. */
  readonly separator?: string;
  /** The cloud's limit for the name; the encoding fails rather than truncating an id. */
  readonly maxLength: number;
  /** Characters the cloud accepts in ids; default lowercase letters, digits and `-`. */
  readonly allowed?: RegExp;
  /** Clouds that lowercase names lose case; then ids with uppercase cannot round-trip. */
  readonly caseInsensitive?: boolean;
}

const DEFAULT_ALLOWED = /^[a-z0-9-]+$/;

function resolved(format: CorrelationFormat) {
  return {
    prefix: format.prefix ?? 'cp',
    separator: format.separator ?? '--',
    allowed: format.allowed ?? DEFAULT_ALLOWED,
    maxLength: format.maxLength,
    caseInsensitive: format.caseInsensitive ?? false,
  };
}

function invalid(message: string): CloudError {
  return new CloudError('INVALID_ARGUMENT', { message });
}

function checkId(what: string, value: string, format: ReturnType<typeof resolved>): void {
  if (value === '') throw invalid(`${what} is empty; it cannot be stored in a name`);
  if (value.includes(format.separator)) {
    throw invalid(
      `${what} "${value}" contains the separator "${format.separator}", so it could not be read back; use an id without it`,
    );
  }
  const sepChar = format.separator[0];
  if (sepChar !== undefined && (value.startsWith(sepChar) || value.endsWith(sepChar))) {
    throw invalid(
      `${what} "${value}" starts or ends with "${sepChar}", which would blur into the separator`,
    );
  }
  if (format.caseInsensitive && value !== value.toLowerCase()) {
    throw invalid(`${what} "${value}" has uppercase letters, which this cloud would not keep`);
  }
  if (!format.allowed.test(value)) {
    throw invalid(
      `${what} "${value}" has characters this cloud does not accept in names (allowed: ${String(format.allowed)})`,
    );
  }
}

/** Encodes the ids (and an optional human label) into a name within `maxLength`. */
export function encodeCorrelation(
  ids: CorrelationIds,
  format: CorrelationFormat,
  label?: string,
): string {
  const f = resolved(format);
  checkId('refId', ids.refId, f);
  checkId('cloudCredRefId', ids.cloudCredRefId, f);
  const core = [f.prefix, ids.refId, ids.cloudCredRefId].join(f.separator);
  if (core.length > f.maxLength) {
    throw invalid(
      `refId and cloudCredRefId need ${core.length} characters encoded but this cloud allows ${f.maxLength}; use shorter ids (at most ${f.maxLength - f.prefix.length - 2 * f.separator.length} characters together)`,
    );
  }
  const room = f.maxLength - core.length - f.separator.length;
  const cleanLabel = sanitizeLabel(label ?? '', f.allowed).slice(0, Math.max(0, room));
  return cleanLabel === '' ? core : `${core}${f.separator}${cleanLabel}`;
}

/** Decodes a name; returns null for names we did not create (foreign instances). */
export function decodeCorrelation(
  name: string,
  format: CorrelationFormat,
): (CorrelationIds & { label?: string }) | null {
  const f = resolved(format);
  const parts = name.split(f.separator);
  if (parts.length < 3 || parts[0] !== f.prefix) return null;
  const [, refId, cloudCredRefId, ...rest] = parts;
  if (
    refId === undefined ||
    refId === '' ||
    cloudCredRefId === undefined ||
    cloudCredRefId === ''
  ) {
    return null;
  }
  const label = rest.join(f.separator);
  return label === '' ? { refId, cloudCredRefId } : { refId, cloudCredRefId, label };
}

/** Drops characters a cloud would reject from a free-text label, and the separator's edges. */
function sanitizeLabel(label: string, allowed: RegExp): string {
  const kept = Array.from(label.toLowerCase().replace(/\s+/g, '-'))
    .filter((ch) => allowed.test(ch))
    .join('');
  return kept.replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '');
}
