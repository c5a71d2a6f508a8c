import {
  checkUserTags,
  correlationTags,
  defineTagScheme,
  readCorrelationTags,
  TagsSchema,
  userTagsOf,
  type CorrelationIds,
  type Tags,
} from '@cloudplane/sdk';
import { z } from 'zod';

/**
 * LaunchPad keeps a key/value `tags` object on every deployment, returned on every read and
 * writable with PATCH. Correlation lives there under keys of our own (docs/providers/launchpad.md,
 * "Correlation"): refId, cloudCredRefId, and, so that an instance maps back to the exact catalog
 * entry it was launched from, the instance type name, the location and the human name. The
 * caller's own tags sit beside them; a caller may not use our keys (other `cloudplane-` keys stay
 * the caller's: only the keys below are reserved).
 */
export const TAG_SCHEME = defineTagScheme({
  separator: '-',
  reserve: 'keys',
  extraNames: ['instance-type', 'location', 'name'],
});

export const TAG_KEYS = {
  refId: TAG_SCHEME.refIdKey,
  cloudCredRefId: TAG_SCHEME.cloudCredRefIdKey,
  instanceType: TAG_SCHEME.key('instance-type'),
  location: TAG_SCHEME.key('location'),
  name: TAG_SCHEME.key('name'),
} as const;

/** What cloudplane writes on a deployment it creates. */
export interface LaunchTags extends CorrelationIds {
  readonly instanceType: string;
  readonly location: string;
  readonly name?: string | undefined;
}

/** The tags object of a new deployment: ours, then the caller's. */
export function launchTags(ours: LaunchTags, callers: Tags | undefined): Record<string, string> {
  return {
    ...checkedCallerTags(callers, 'create instance'),
    ...correlationTags(TAG_SCHEME, ours),
    [TAG_KEYS.instanceType]: ours.instanceType,
    [TAG_KEYS.location]: ours.location,
    ...(ours.name !== undefined && ours.name !== '' ? { [TAG_KEYS.name]: ours.name } : {}),
  };
}

/** The caller's tags, refused when they use a key cloudplane keeps for itself. */
export function checkedCallerTags(tags: Tags | undefined, what: string): Record<string, string> {
  return checkUserTags(TAG_SCHEME, tags, what);
}

/** A deployment's tags as strings. The spec gives `tags` no type; its examples are string maps. */
export function readTags(raw: unknown): Record<string, string> {
  const parsed = z.record(z.string(), z.unknown()).safeParse(raw);
  if (!parsed.success) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed.data)) {
    if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
  }
  return out;
}

/** The correlation ids in a deployment's tags, or null for a deployment cloudplane did not make. */
export function readCorrelation(tags: Record<string, string>): CorrelationIds | null {
  return readCorrelationTags(TAG_SCHEME, tags);
}

/** The caller's tags of a deployment (ours left out), keeping only what the contract allows. */
export function callerTags(tags: Record<string, string>): Tags {
  const out = userTagsOf(TAG_SCHEME, tags);
  const valid = TagsSchema.safeParse(out);
  if (valid.success) return valid.data;
  return Object.fromEntries(
    Object.entries(out).filter(([k, v]) => TagsSchema.safeParse({ [k]: v }).success),
  );
}

/** Lowercase, and anything but letters, digits and "-" as one "-": names stay readable. */
function slug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export interface TypeNameParts {
  readonly cloud: string;
  readonly gpuModel: string;
  readonly gpuCount: number;
  readonly interconnect?: string | null | undefined;
  readonly workshopId?: string | null | undefined;
}

/**
 * LaunchPad's instance types have no name of their own. Ours is made of what identifies one to
 * the deployment request: the upstream cloud, the GPU model and count, the interconnect, and the
 * workshop the type is reserved for, if any: `oci.a100-80gbx1.sxm`, `dmz.l40sx2.pcie.jan-lab`.
 */
export function typeName(parts: TypeNameParts): string {
  const segments = [slug(parts.cloud), `${slug(parts.gpuModel)}x${parts.gpuCount}`];
  const interconnect = slug(parts.interconnect ?? '');
  segments.push(interconnect === '' ? 'any' : interconnect);
  const workshop = slug(parts.workshopId ?? '');
  if (workshop !== '') segments.push(workshop);
  return segments.join('.');
}
