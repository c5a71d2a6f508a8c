import {
  decodeCorrelation,
  encodeCorrelation,
  type CorrelationFormat,
  type CorrelationIds,
} from '@cloudplane/sdk';

/**
 * Lambda keeps no tags, so correlation lives in names it does keep (docs/providers/lambda.md,
 * "Correlation"):
 *
 * - the instance name (at most 64 characters) holds refId and cloudCredRefId in the SDK's compact
 *   correlation encoding, then a label: the launch minute (Lambda reports no creation time) and
 *   as much of the human name as fits;
 * - an SSH key the adapter registers is named after the launch that registered it (refId and
 *   cloudCredRefId, prefix `cpk`), so keys cloudplane added are recognisable in the console.
 *
 * The instance name alone is read back; the key is shared by every later launch with the same
 * public key, so its name says nothing about those instances.
 */

/** The spec limits both names to 64 characters and says nothing about their alphabet. */
const NAME_LIMIT = 64;
const NAME_ALPHABET = /^[A-Za-z0-9_-]+$/;

export const INSTANCE_NAME_FORMAT: CorrelationFormat = {
  prefix: 'cp',
  maxLength: NAME_LIMIT,
  allowed: NAME_ALPHABET,
  compact: true,
};

export const KEY_NAME_FORMAT: CorrelationFormat = {
  prefix: 'cpk',
  maxLength: NAME_LIMIT,
  allowed: NAME_ALPHABET,
  compact: true,
};

/** Minutes since the epoch in base 36; six digits last until the year 6100 or so. */
const STAMP = /^([0-9a-z]{6})(?:-|$)/;
const MINUTE_MS = 60_000;

function stampOf(at: Date): string {
  return Math.floor(at.getTime() / MINUTE_MS)
    .toString(36)
    .padStart(6, '0');
}

/** The instance name for a launch; INVALID_ARGUMENT when the ids cannot fit 64 characters. */
export function instanceName(ids: CorrelationIds, launchedAt: Date, humanName?: string): string {
  const stamp = stampOf(launchedAt);
  return encodeCorrelation(ids, INSTANCE_NAME_FORMAT, humanName ? `${stamp}-${humanName}` : stamp);
}

export interface InstanceNameData extends CorrelationIds {
  /** The launch minute, when the name kept it (long ids leave it no room). */
  readonly launchedAt?: Date;
}

/** What an instance name says, or null when cloudplane did not make it (a foreign instance). */
export function readInstanceName(name: string | null | undefined): InstanceNameData | null {
  if (name === null || name === undefined || name === '') return null;
  const decoded = decodeCorrelation(name, INSTANCE_NAME_FORMAT);
  if (!decoded) return null;
  const ids = { refId: decoded.refId, cloudCredRefId: decoded.cloudCredRefId };
  const stamp = STAMP.exec(decoded.label ?? '')?.[1];
  if (stamp === undefined) return ids;
  return { ...ids, launchedAt: new Date(parseInt(stamp, 36) * MINUTE_MS) };
}

/** The name of an SSH key the adapter registers for the launch `ids`. */
export function keyName(ids: CorrelationIds): string {
  return encodeCorrelation(ids, KEY_NAME_FORMAT);
}
