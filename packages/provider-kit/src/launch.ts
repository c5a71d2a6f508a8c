import { CloudError, sleep, toCloudError, type Logger } from '@cloudplane/sdk';
import type { RetryPolicy } from './http.js';

/**
 * Pieces of an all-or-nothing launch that are the same at every cloud: whether a failed launch
 * may be sent again, how long to wait first, and cleaning up an instance the launch could not
 * hand over (docs/contract.md: createInstance is all-or-nothing).
 */

/**
 * A failed launch may be sent again (after looking for it by correlation) only when the cloud
 * refused it (429) or may not have acted at all (no answer, 5xx, an answer we cannot read). Any
 * other 4xx is final.
 */
export function mayRelaunch(err: CloudError): boolean {
  if (err.code === 'RATE_LIMITED') return true;
  const status = err.detail.httpStatus;
  if (status !== undefined && status >= 400 && status < 500) return false;
  return err.retryable || status !== undefined;
}

/**
 * Waits before attempt `attempt + 1`: exponential backoff within the policy, or the cloud's
 * Retry-After when longer. A Retry-After beyond `maxRetryAfterMs` is thrown to the caller.
 */
export async function pauseBeforeRetry(
  attempt: number,
  err: CloudError,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<void> {
  if (err.retryAfterMs !== undefined && err.retryAfterMs > policy.maxRetryAfterMs) throw err;
  const backoff = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** (attempt - 1));
  await sleep(Math.max(backoff, err.retryAfterMs ?? 0), signal);
}

export interface CleanupOptions {
  readonly terminate: (cloudId: string) => Promise<void>;
  readonly logger: Logger;
  readonly providerId: string;
  readonly displayName: string;
}

/**
 * Terminates an instance a launch must not leave behind and answers the error to throw: `reason`
 * itself, or, when termination fails too, an error with the same code that names the instance
 * to terminate by hand.
 */
export async function terminateOrExplain(
  cloudId: string,
  reason: CloudError,
  options: CleanupOptions,
): Promise<CloudError> {
  try {
    await options.terminate(cloudId);
    options.logger.warn(
      { provider: options.providerId, cloudId, reason: reason.message },
      `terminated a ${options.displayName} instance the launch could not hand over`,
    );
    return reason;
  } catch (err) {
    const failure = toCloudError(err);
    options.logger.error(
      { provider: options.providerId, cloudId, code: failure.code },
      `could not terminate a ${options.displayName} instance the launch left behind`,
    );
    return new CloudError(reason.code, {
      message: `${reason.message}; terminating instance ${cloudId} failed too (${failure.message}): terminate it by hand`,
      retryable: reason.retryable,
      scope: reason.scope,
      detail: reason.detail,
      cause: err,
    });
  }
}
