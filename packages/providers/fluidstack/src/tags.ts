import { CloudError, type CorrelationIds, type Tags } from '@cloudplane/sdk';

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

export const TAG_PREFIX = 'cloudplane.';
export const REF_ID_TAG = `${TAG_PREFIX}ref-id`;
export const CRED_REF_ID_TAG = `${TAG_PREFIX}cred-ref-id`;
export const CREATED_AT_TAG = `${TAG_PREFIX}created-at`;

/** The spec: 1-63 characters, alphanumerics at both ends, `-`, `_` and `.` inside. */
export const TAG_KEY = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

export function formatCreatedAt(at: Date): string {
  return at
    .toISOString()
    .replace(/\.\d{3}/, '')
    .replace(/[-:]/g, '');
}

/** The time in a created-at tag, or undefined when it is missing or unreadable. */
export function parseCreatedAt(value: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) return undefined;
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** The tags a launch sends: the caller's (checked) and ours. */
export function launchTags(ids: CorrelationIds, launchedAt: Date, userTags: Tags = {}): Tags {
  for (const key of Object.keys(userTags)) {
    if (key.startsWith(TAG_PREFIX)) {
      throw new CloudError('INVALID_ARGUMENT', {
        message: `create instance: tag "${key}": the prefix "${TAG_PREFIX}" is reserved for cloudplane's own tags`,
      });
    }
    if (!TAG_KEY.test(key)) {
      throw new CloudError('INVALID_ARGUMENT', {
        message: `create instance: tag "${key}": Fluidstack tag keys are 1-63 characters, start and end with a letter or digit, and may contain "-", "_" and "."`,
      });
    }
  }
  return {
    ...userTags,
    [REF_ID_TAG]: ids.refId,
    [CRED_REF_ID_TAG]: ids.cloudCredRefId,
    [CREATED_AT_TAG]: formatCreatedAt(launchedAt),
  };
}

/** The ids in an instance's tags, or null for an instance cloudplane did not create. */
export function readCorrelation(tags: Tags | null | undefined): CorrelationIds | null {
  const refId = tags?.[REF_ID_TAG];
  const cloudCredRefId = tags?.[CRED_REF_ID_TAG];
  if (
    refId === undefined ||
    refId === '' ||
    cloudCredRefId === undefined ||
    cloudCredRefId === ''
  ) {
    return null;
  }
  return { refId, cloudCredRefId };
}

/** The caller's tags of an instance, without ours. */
export function userTagsOf(tags: Tags | null | undefined): Tags {
  return Object.fromEntries(Object.entries(tags ?? {}).filter(([k]) => !k.startsWith(TAG_PREFIX)));
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
