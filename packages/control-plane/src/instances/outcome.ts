import { isCloudError, type CloudError, type CloudErrorCode } from '@cloudplane/sdk';

/**
 * Whether a failed provider call certainly did nothing. A refusal (no capacity, no quota, a bad
 * request, no permission) did nothing; a timeout, a 5xx or an unreadable answer may have acted,
 * so the caller must look before trying again.
 */

const REFUSALS: ReadonlySet<CloudErrorCode> = new Set([
  'INSUFFICIENT_CAPACITY',
  'OUT_OF_QUOTA',
  'INVALID_ARGUMENT',
  'IMAGE_NOT_FOUND',
  'RESOURCE_NOT_FOUND',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'NOT_IMPLEMENTED',
  'DUPLICATE_FIREWALL_RULE',
]);

/** The error of a launch given up with no answer: it may have made an instance after all. */
export const LAUNCH_UNCONFIRMED = 'LAUNCH_UNCONFIRMED';

export function isRefusal(err: unknown): err is CloudError {
  return isCloudError(err) && REFUSALS.has(err.code);
}

/** A short, scrubbed reason for rows, events and logs. */
export function describeFailure(
  err: unknown,
  scrub: (text: string) => string,
): {
  code: string;
  message: string;
} {
  if (isCloudError(err)) return { code: err.code, message: scrub(err.message) };
  const message = err instanceof Error ? err.message : String(err);
  const code =
    err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : 'INTERNAL';
  return { code, message: scrub(message) };
}
