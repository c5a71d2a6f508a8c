import { isCloudError, REFUSAL_CODES, type CloudError } from '@cloudplane/sdk';

/**
 * A row's error while the provider has its instance but without our correlation data (renamed or
 * retagged at the provider, `foreignInstance`): set and cleared by the instance syncer only.
 */
export const INSTANCE_NOT_VOUCHED = 'INSTANCE_NOT_VOUCHED';

/** The error of a launch given up with no answer: it may have made an instance after all. */
export const LAUNCH_UNCONFIRMED = 'LAUNCH_UNCONFIRMED';

/**
 * Whether a failed provider call certainly did nothing (`REFUSAL_CODES`); anything else may
 * have acted, so the caller must look before trying again.
 */
export function isRefusal(err: unknown): err is CloudError {
  return isCloudError(err) && REFUSAL_CODES.has(err.code);
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
