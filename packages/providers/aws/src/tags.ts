import type { Tag } from '@aws-sdk/client-ec2';
import { CloudError, type Tags } from '@cloudplane/sdk';

/**
 * Correlation lives in EC2 tags, set atomically with the launch (TagSpecifications): an instance
 * never exists without them. Tags under these keys are ours; the rest are the user's.
 */
export const TAG_REF_ID = 'cloudplane:ref-id';
export const TAG_CRED_ID = 'cloudplane:cred-id';
export const TAG_CREATED_AT = 'cloudplane:created-at';
/** Marks the security groups the adapter made (the value is the rule set's digest). */
export const TAG_FIREWALL = 'cloudplane:firewall';
const OUR_PREFIX = 'cloudplane:';

export interface Correlation {
  readonly refId: string;
  readonly cloudCredRefId: string;
  /** ISO 8601, when the launch was asked for; absent when the tag was lost or edited. */
  readonly createdAt?: string | undefined;
}

export function correlationTags(ids: Correlation): Tag[] {
  return [
    { Key: TAG_REF_ID, Value: ids.refId },
    { Key: TAG_CRED_ID, Value: ids.cloudCredRefId },
    ...(ids.createdAt !== undefined ? [{ Key: TAG_CREATED_AT, Value: ids.createdAt }] : []),
  ];
}

/** The correlation tags of an instance, or null for an instance cloudplane did not create. */
export function readCorrelation(tags: readonly Tag[] | undefined): Correlation | null {
  const value = (key: string) => tags?.find((t) => t.Key === key)?.Value;
  const refId = value(TAG_REF_ID);
  const cloudCredRefId = value(TAG_CRED_ID);
  if (refId === undefined || refId === '' || cloudCredRefId === undefined || cloudCredRefId === '')
    return null;
  const createdAt = value(TAG_CREATED_AT);
  const valid = createdAt !== undefined && !Number.isNaN(Date.parse(createdAt));
  return { refId, cloudCredRefId, ...(valid ? { createdAt } : {}) };
}

/** The user's tags (ours and AWS's own `aws:` tags left out). */
export function userTags(tags: readonly Tag[] | undefined): Tags {
  const out: Tags = {};
  for (const { Key, Value } of tags ?? []) {
    if (Key === undefined || Key.startsWith(OUR_PREFIX) || Key.startsWith('aws:')) continue;
    out[Key] = Value ?? '';
  }
  return out;
}

/** User tags as EC2 takes them; keys that would collide with ours or AWS's are refused. */
export function toEc2Tags(tags: Tags, what: string): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => {
    if (Key.startsWith(OUR_PREFIX) || Key.toLowerCase().startsWith('aws:')) {
      throw new CloudError('INVALID_ARGUMENT', {
        message: `${what}: tag "${Key}" uses a reserved prefix (cloudplane: or aws:)`,
      });
    }
    return { Key, Value };
  });
}
