import {
  CloudError,
  decodeCorrelation,
  encodeCorrelation,
  type CorrelationFormat,
  type CorrelationIds,
  type Tags,
} from '@cloudplane/sdk';

/**
 * Shadeform keeps tags on instances, but its tags are plain strings, not key/value pairs
 * (docs/providers/shadeform.md, "Correlation"). So:
 *
 * - refId and cloudCredRefId go into one tag written with the SDK's correlation encoding:
 *   `cloudplane--<refId>--<cloudCredRefId>`; an instance without a tag that decodes is foreign;
 * - the caller's own tags (`attrs.tags`) are written as `key=value` strings and read back;
 *   a string tag without `=` (set in Shadeform's console) reads as a key with an empty value;
 * - instance type names join Shadeform's upstream cloud and its standard type name.
 */

export const CORRELATION_TAG_FORMAT: CorrelationFormat = {
  prefix: 'cloudplane',
  // Shadeform sets no limit on tags; this keeps them readable in its console.
  maxLength: 200,
  allowed: /^[A-Za-z0-9_.:@-]+$/,
};

/** The tag that carries the launch's ids; INVALID_ARGUMENT when they cannot be encoded. */
export function correlationTag(ids: CorrelationIds): string {
  return encodeCorrelation(ids, CORRELATION_TAG_FORMAT);
}

/** The ids in an instance's tags, or null for an instance cloudplane did not create. */
export function readCorrelation(tags: readonly string[] | null | undefined): CorrelationIds | null {
  for (const tag of tags ?? []) {
    // A `key=value` string is a caller's tag, whatever its key looks like.
    if (tag.includes('=')) continue;
    const decoded = decodeCorrelation(tag, CORRELATION_TAG_FORMAT);
    if (decoded && decoded.label === undefined) {
      return { refId: decoded.refId, cloudCredRefId: decoded.cloudCredRefId };
    }
  }
  return null;
}

/** The prefix of the correlation tag: no key of the caller's may start with it. */
const RESERVED_KEY_PREFIX = `${CORRELATION_TAG_FORMAT.prefix}--`;

/**
 * Refuses tags a caller sets now whose keys start with the correlation tag's prefix: such a tag
 * could pass for another launch's ids. Only new tags: one already on an instance (set in
 * Shadeform's console) must not stop its other tags from being updated.
 */
export function checkCallerTags(tags: Tags | undefined): void {
  for (const key of Object.keys(tags ?? {})) {
    if (key.startsWith(RESERVED_KEY_PREFIX)) {
      throw new CloudError('INVALID_ARGUMENT', {
        message: `tag key "${key}" starts with "${RESERVED_KEY_PREFIX}", which cloudplane keeps for its correlation tag: choose another key`,
      });
    }
  }
}

/** The tags as Shadeform strings. Keys may not contain `=`, which separates them. */
export function encodeTags(tags: Tags | undefined): string[] {
  return Object.entries(tags ?? {}).map(([key, value]) => {
    if (key.includes('=')) {
      throw new CloudError('INVALID_ARGUMENT', {
        message: `tag key "${key}" contains "=", which Shadeform's string tags use to separate key and value`,
      });
    }
    return `${key}=${value}`;
  });
}

/** The tags of an instance as key/value pairs, without the correlation tag. */
export function decodeTags(tags: readonly string[] | null | undefined): Tags {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) {
    if (tag === '' || decodeCorrelation(tag, CORRELATION_TAG_FORMAT)) continue;
    const at = tag.indexOf('=');
    if (at === 0) continue;
    if (at < 0) out[tag] = '';
    else out[tag.slice(0, at)] = tag.slice(at + 1);
  }
  return out;
}

/** Shadeform's upstream cloud and its standard type name as one name: `hyperstack.A6000`. */
export function typeName(cloud: string, shadeInstanceType: string): string {
  return `${cloud}.${shadeInstanceType}`;
}

/** The reverse of typeName; cloud names have no dot, type names may. */
export function parseTypeName(name: string): { cloud: string; shadeInstanceType: string } | null {
  const at = name.indexOf('.');
  if (at <= 0 || at === name.length - 1) return null;
  return { cloud: name.slice(0, at), shadeInstanceType: name.slice(at + 1) };
}
