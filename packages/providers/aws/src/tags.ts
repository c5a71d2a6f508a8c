import type { Tag } from '@aws-sdk/client-ec2';
import {
  checkUserTags,
  correlationTags as schemeTags,
  defineTagScheme,
  readCorrelationTags,
  userTagsOf,
  type CorrelationIds,
  type TagCorrelation,
  type Tags,
} from '@cloudplane/sdk';

/**
 * Correlation lives in EC2 tags, set atomically with the launch (TagSpecifications): an instance
 * never exists without them. Tags under `cloudplane:` are ours, those under `aws:` are AWS's own;
 * the rest are the user's. The launch time is kept too: EC2's LaunchTime changes on every start.
 */
export const TAG_SCHEME = defineTagScheme({
  separator: ':',
  names: { cloudCredRefId: 'cred-id' },
  createdAt: 'extended',
  cloudPrefixes: ['aws:'],
});
export const TAG_REF_ID = TAG_SCHEME.refIdKey;
export const TAG_CRED_ID = TAG_SCHEME.cloudCredRefIdKey;
export const TAG_CREATED_AT = TAG_SCHEME.key('created-at');
/** Marks the security groups the adapter made (the value is the rule set's digest). */
export const TAG_FIREWALL = TAG_SCHEME.key('firewall');

/** EC2's tag list as a map; a tag without a key cannot be ours or the user's. */
function tagMap(tags: readonly Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { Key, Value } of tags ?? []) if (Key !== undefined) out[Key] = Value ?? '';
  return out;
}

function tagList(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function correlationTags(ids: CorrelationIds, launchedAt: Date): Tag[] {
  return tagList(schemeTags(TAG_SCHEME, ids, launchedAt));
}

/** The correlation tags of an instance, or null for an instance cloudplane did not create. */
export function readCorrelation(tags: readonly Tag[] | undefined): TagCorrelation | null {
  return readCorrelationTags(TAG_SCHEME, tagMap(tags));
}

/** The user's tags (ours and AWS's own `aws:` tags left out). */
export function userTags(tags: readonly Tag[] | undefined): Tags {
  return userTagsOf(TAG_SCHEME, tagMap(tags));
}

/** User tags as EC2 takes them; keys that would collide with ours or AWS's are refused. */
export function toEc2Tags(tags: Tags, what: string): Tag[] {
  return tagList(checkUserTags(TAG_SCHEME, tags, what));
}
