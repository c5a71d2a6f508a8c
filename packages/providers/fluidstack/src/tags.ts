import {
  checkUserTags,
  defineTagScheme,
  launchTags as schemeLaunchTags,
  readCorrelationTags,
  userTagsOf as schemeUserTagsOf,
  CloudError,
  type CorrelationIds,
  type Tags,
  type TagCorrelation,
} from '@cloudplane/sdk';

/**
 * Fluidstack keeps key/value tags on instances (set at launch; there is no call to change them),
 * so correlation and the creation time, which Fluidstack does not report, live in tags under the
 * reserved prefix `cloudplane.` (docs/providers/fluidstack.md, "Correlation"):
 *
 * - `cloudplane.ref-id` and `cloudplane.cred-ref-id` carry the launch's ids; an instance without
 *   both is foreign and skipped;
 * - `cloudplane.created-at` is the launch time in ISO 8601 basic format (`20261202T012449Z`):
 *   letters and digits only, so it survives even label-like value rules.
 */
export const TAG_SCHEME = defineTagScheme({ separator: '.', createdAt: 'basic' });

export const TAG_PREFIX = 'cloudplane.';
export const REF_ID_TAG = TAG_SCHEME.refIdKey;
export const CRED_REF_ID_TAG = TAG_SCHEME.cloudCredRefIdKey;
export const CREATED_AT_TAG = TAG_SCHEME.key('created-at');

/** The spec: 1-63 characters, alphanumerics at both ends, `-`, `_` and `.` inside. */
export const TAG_KEY = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

/** The tags a launch sends: the caller's (checked against ours and Fluidstack's rules) and ours. */
export function launchTags(ids: CorrelationIds, launchedAt: Date, userTags: Tags = {}): Tags {
  for (const key of Object.keys(checkUserTags(TAG_SCHEME, userTags, 'create instance'))) {
    if (!TAG_KEY.test(key)) {
      throw new CloudError('INVALID_ARGUMENT', {
        message: `create instance: tag "${key}": Fluidstack tag keys are 1-63 characters, start and end with a letter or digit, and may contain "-", "_" and "."`,
      });
    }
  }
  return schemeLaunchTags(TAG_SCHEME, ids, userTags, launchedAt);
}

/** The correlation in an instance's tags, or null for an instance cloudplane did not create. */
export function readCorrelation(tags: Tags | null | undefined): TagCorrelation | null {
  return readCorrelationTags(TAG_SCHEME, tags);
}

/** The caller's tags of an instance, without ours. */
export function userTagsOf(tags: Tags | null | undefined): Tags {
  return schemeUserTagsOf(TAG_SCHEME, tags);
}

/**
 * A name Fluidstack will take for the instance: the human name, or `cloudplane-<refId>`, in
 * lowercase letters, digits and `-`, at most 63 characters (the spec sets no rule; this is the
 * strictest one such names commonly follow). The name is for people: correlation is in tags.
 */
export function instanceName(refId: string, humanName?: string): string {
  const cleaned = (humanName ?? `cloudplane-${refId}`)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return cleaned === '' ? `cloudplane-${refId.toLowerCase()}`.slice(0, 63) : cleaned;
}
