import { z } from 'zod';
import { CloudError } from './errors.js';
import type { CorrelationIds } from './correlation.js';
import type { Tags } from './types/instance.js';

/**
 * Correlation for clouds with key/value tags (or labels). Every instance carries its `refId` and
 * `cloudCredRefId` in tags of our own, written at launch and read back on every get and list;
 * where the cloud reports no creation time, a third tag keeps the launch time. The caller's tags
 * sit beside ours, so user tags may not use our keys, and the user's tags an adapter reports leave
 * them out. Clouds without tags use the name encoding in correlation.ts instead.
 *
 * Each cloud has its own rules for tag keys (`:` allowed on AWS, not in Kubernetes-style labels),
 * so a TagScheme names the keys; one implementation then serves every cloud. Existing adapters
 * differ in spelling (`cloudplane:ref-id`, `cloudplane.ref-id`, `cloudplane-ref-id`) and keep it:
 * instances already launched must still be recognised.
 */

/** How the launch time is written: extended ISO 8601, or basic (letters and digits only). */
export type CreatedAtFormat = 'extended' | 'basic';

export interface TagScheme {
  /** The key that carries refId, e.g. `cloudplane:ref-id`. */
  readonly refIdKey: string;
  /** The key that carries cloudCredRefId. */
  readonly cloudCredRefIdKey: string;
  /** The key that carries the launch time; only for clouds that report no creation time. */
  readonly createdAtKey?: string | undefined;
  readonly createdAtFormat: CreatedAtFormat;
  /** Keys a user tag may not use, and that are never reported as the user's. */
  readonly reservedKeys: ReadonlySet<string>;
  /** Key prefixes reserved the same way (case-sensitive), e.g. our whole `cloudplane:` space. */
  readonly reservedPrefixes: readonly string[];
  /** The cloud's own namespaces (e.g. `aws:`); clouds reserve these in any case. */
  readonly cloudPrefixes: readonly string[];
  /** A key in our space: `key('instance-type')` is `cloudplane-instance-type` with `-`. */
  key(name: string): string;
}

export interface TagSchemeOptions {
  /** Default `cloudplane`. */
  readonly prefix?: string;
  /** Between the prefix and a name, per the cloud's key rules: `:`, `.` or `-`. */
  readonly separator: string;
  /** Names after prefix and separator. Defaults: `ref-id`, `cred-ref-id`, `created-at`. */
  readonly names?: {
    readonly refId?: string;
    readonly cloudCredRefId?: string;
    readonly createdAt?: string;
  };
  /** Write a launch-time tag in this format; leave out where the cloud reports creation time. */
  readonly createdAt?: CreatedAtFormat;
  /**
   * `prefix` (default): every key under prefix and separator is ours. `keys`: only the keys this
   * scheme writes and `extraNames`, for clouds whose users already use other keys in that space.
   */
  readonly reserve?: 'prefix' | 'keys';
  /** Further names the adapter writes in our space (reserved like the correlation keys). */
  readonly extraNames?: readonly string[];
  /** The cloud's own reserved namespaces, e.g. `['aws:']`. */
  readonly cloudPrefixes?: readonly string[];
}

export function defineTagScheme(options: TagSchemeOptions): TagScheme {
  const prefix = options.prefix ?? 'cloudplane';
  const space = `${prefix}${options.separator}`;
  const key = (name: string) => `${space}${name}`;
  const refIdKey = key(options.names?.refId ?? 'ref-id');
  const cloudCredRefIdKey = key(options.names?.cloudCredRefId ?? 'cred-ref-id');
  const createdAtKey =
    options.createdAt === undefined ? undefined : key(options.names?.createdAt ?? 'created-at');
  const written = [refIdKey, cloudCredRefIdKey, ...(createdAtKey ? [createdAtKey] : [])];
  const byPrefix = (options.reserve ?? 'prefix') === 'prefix';
  return {
    refIdKey,
    cloudCredRefIdKey,
    createdAtKey,
    createdAtFormat: options.createdAt ?? 'extended',
    reservedKeys: new Set([...written, ...(options.extraNames ?? []).map(key)]),
    reservedPrefixes: byPrefix ? [space] : [],
    cloudPrefixes: (options.cloudPrefixes ?? []).map((p) => p.toLowerCase()),
    key,
  };
}

/** What a launch's tags say: the ids, and the launch time where the scheme keeps one. */
export interface TagCorrelation extends CorrelationIds {
  /** ISO 8601 (`toISOString`); absent when not kept, lost, or unreadable. */
  readonly createdAt?: string;
}

/** Why a key is not the user's to set, or undefined when it is. */
function reservation(scheme: TagScheme, key: string): string | undefined {
  if (scheme.reservedKeys.has(key)) return 'is reserved: it is kept by cloudplane for correlation';
  const ours = scheme.reservedPrefixes.find((p) => key.startsWith(p));
  if (ours !== undefined) {
    return `uses the reserved prefix "${ours}", kept by cloudplane for its own tags`;
  }
  const lower = key.toLowerCase();
  const cloud = scheme.cloudPrefixes.find((p) => lower.startsWith(p));
  return cloud === undefined
    ? undefined
    : `uses a reserved prefix ("${cloud}"), which the cloud keeps for itself`;
}

export function isReservedTagKey(scheme: TagScheme, key: string): boolean {
  return reservation(scheme, key) !== undefined;
}

/**
 * The caller's tags, refused (INVALID_ARGUMENT, naming the first reserved key) when one would
 * overwrite or imitate ours. `what` starts the message: `create instance`, `update tags of i-1`.
 */
export function checkUserTags(scheme: TagScheme, tags: Tags | undefined, what: string): Tags {
  for (const key of Object.keys(tags ?? {})) {
    const why = reservation(scheme, key);
    if (why !== undefined) {
      throw new CloudError('INVALID_ARGUMENT', {
        message: `${what}: tag "${key}" ${why}; use another key`,
      });
    }
  }
  return { ...tags };
}

/** The user's tags of an instance: ours and the cloud's own left out. */
export function userTagsOf(
  scheme: TagScheme,
  tags: Readonly<Record<string, string>> | null | undefined,
): Tags {
  return Object.fromEntries(
    Object.entries(tags ?? {}).filter(([key]) => !isReservedTagKey(scheme, key)),
  );
}

export function formatCreatedAtTag(at: Date, format: CreatedAtFormat): string {
  const iso = at.toISOString();
  return format === 'extended' ? iso : iso.replace(/\.\d{3}/, '').replace(/[-:]/g, '');
}

const EXTENDED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** The time in a created-at tag as ISO 8601, or undefined when it is missing or unreadable. */
export function parseCreatedAtTag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const basic = BASIC.exec(value);
  const text = basic
    ? `${basic[1]}-${basic[2]}-${basic[3]}T${basic[4]}:${basic[5]}:${basic[6]}Z`
    : EXTENDED.test(value)
      ? value
      : undefined;
  if (text === undefined) return undefined;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** The tags cloudplane writes on a launch. The ids are checked: an empty one is a bug. */
export function correlationTags(
  scheme: TagScheme,
  ids: CorrelationIds,
  launchedAt?: Date,
): Record<string, string> {
  for (const [what, value] of [
    ['refId', ids.refId],
    ['cloudCredRefId', ids.cloudCredRefId],
  ] as const) {
    if (value === '') {
      throw new CloudError('INVALID_ARGUMENT', {
        message: `${what} is empty; it cannot be stored in a tag`,
      });
    }
  }
  const tags: Record<string, string> = {
    [scheme.refIdKey]: ids.refId,
    [scheme.cloudCredRefIdKey]: ids.cloudCredRefId,
  };
  if (scheme.createdAtKey !== undefined && launchedAt !== undefined) {
    tags[scheme.createdAtKey] = formatCreatedAtTag(launchedAt, scheme.createdAtFormat);
  }
  return tags;
}

/** The caller's tags (checked) and ours: what a launch sends. */
export function launchTags(
  scheme: TagScheme,
  ids: CorrelationIds,
  userTags: Tags | undefined,
  launchedAt?: Date,
): Record<string, string> {
  return {
    ...checkUserTags(scheme, userTags, 'create instance'),
    ...correlationTags(scheme, ids, launchedAt),
  };
}

const StoredId = z.string().min(1);

/**
 * The correlation an instance's tags carry, or null for an instance cloudplane did not create (or
 * whose tags were edited so that an id is missing or empty). Values that are not strings, as a
 * cloud with untyped tags may send, count as missing.
 */
export function readCorrelationTags(
  scheme: TagScheme,
  tags: Readonly<Record<string, unknown>> | null | undefined,
): TagCorrelation | null {
  const refId = StoredId.safeParse(tags?.[scheme.refIdKey]);
  const cloudCredRefId = StoredId.safeParse(tags?.[scheme.cloudCredRefIdKey]);
  if (!refId.success || !cloudCredRefId.success) return null;
  const stored = scheme.createdAtKey === undefined ? undefined : tags?.[scheme.createdAtKey];
  const createdAt = typeof stored === 'string' ? parseCreatedAtTag(stored) : undefined;
  return {
    refId: refId.data,
    cloudCredRefId: cloudCredRefId.data,
    ...(createdAt !== undefined ? { createdAt } : {}),
  };
}
