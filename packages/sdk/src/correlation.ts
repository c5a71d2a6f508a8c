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
 *
 * Compact form (`compact: true`), for clouds whose names are too short for two UUIDs written out
 * (36 + 36 characters plus prefix and separators exceed a 64-character limit): each id becomes a
 * token. A canonical lowercase UUID is written as its 128-bit value in base 36, left-padded to 25
 * characters; any other id is written as `x` followed by the id itself. The two cannot be confused:
 * the largest 128-bit value in base 36 starts with `f`, so a 25-character UUID token never starts
 * with `x`. Two UUIDs then take 56 characters with the default prefix and separator.
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
  /** Write ids as compact tokens (see above). Decoding must use the same setting. */
  readonly compact?: boolean;
}

const DEFAULT_ALLOWED = /^[a-z0-9-]+$/;

function resolved(format: CorrelationFormat) {
  return {
    prefix: format.prefix ?? 'cp',
    separator: format.separator ?? '--',
    allowed: format.allowed ?? DEFAULT_ALLOWED,
    maxLength: format.maxLength,
    caseInsensitive: format.caseInsensitive ?? false,
    compact: format.compact ?? false,
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
  const refToken = f.compact ? compactToken(ids.refId) : ids.refId;
  const credToken = f.compact ? compactToken(ids.cloudCredRefId) : ids.cloudCredRefId;
  for (const token of [refToken, credToken]) {
    if (!f.allowed.test(token)) {
      throw invalid(
        `the compact form "${token}" has characters this cloud does not accept in names (allowed: ${String(f.allowed)})`,
      );
    }
  }
  const core = [f.prefix, refToken, credToken].join(f.separator);
  if (core.length > f.maxLength) {
    const room = f.maxLength - f.prefix.length - 2 * f.separator.length;
    throw invalid(
      `refId and cloudCredRefId need ${core.length} characters encoded but this cloud allows ${f.maxLength}; use shorter ids (at most ${room} characters together${f.compact ? `, where a UUID takes ${UUID_TOKEN_LENGTH} and any other id its length + 1` : ''})`,
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
  const [, refPart, credPart, ...rest] = parts;
  const refId = f.compact ? fromCompactToken(refPart) : refPart;
  const cloudCredRefId = f.compact ? fromCompactToken(credPart) : credPart;
  if (
    refId === undefined ||
    refId === null ||
    refId === '' ||
    cloudCredRefId === undefined ||
    cloudCredRefId === null ||
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

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** 36^25 > 2^128 > 36^24: every 128-bit value fits 25 base-36 digits. */
const UUID_TOKEN_LENGTH = 25;
const UUID_TOKEN = /^[0-9a-z]{25}$/;
const VERBATIM_MARK = 'x';
const MAX_UUID = (1n << 128n) - 1n;

function compactToken(id: string): string {
  if (!CANONICAL_UUID.test(id)) return `${VERBATIM_MARK}${id}`;
  const value = BigInt(`0x${id.replace(/-/g, '')}`);
  return value.toString(36).padStart(UUID_TOKEN_LENGTH, '0');
}

/** The id a token stands for, or null when the token is not one compactToken could make. */
function fromCompactToken(token: string | undefined): string | null {
  if (token === undefined || token === '') return null;
  if (token.startsWith(VERBATIM_MARK)) return token.length > 1 ? token.slice(1) : null;
  if (!UUID_TOKEN.test(token)) return null;
  let value = 0n;
  for (const digit of token) value = value * 36n + BigInt(parseInt(digit, 36));
  if (value > MAX_UUID) return null;
  const hex = value.toString(16).padStart(32, '0');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join('-');
}
