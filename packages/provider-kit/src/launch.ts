import {
  CloudError,
  isCloudError,
  REFUSAL_CODES,
  sleep,
  toCloudError,
  type CorrelationIds,
  type Instance,
  type LifecycleState,
  type Logger,
} from '@cloudplane/sdk';
import type { RetryPolicy } from './http.js';

/**
 * Pieces of an all-or-nothing launch that are the same at every cloud: whether a failed launch
 * may be sent again, how long to wait first, and cleaning up an instance the launch could not
 * hand over (docs/contract.md: createInstance is all-or-nothing).
 */

/**
 * A failed launch may be sent again (after looking for it by correlation) only when the cloud
 * refused it (429) or may not have acted at all (no answer, 5xx). Any other 4xx is final, and so
 * is a 2xx whose body could not be read: the cloud accepted that launch, so it is looked for,
 * never sent again.
 */
export function mayRelaunch(err: CloudError): boolean {
  if (err.code === 'RATE_LIMITED') return true;
  const status = err.detail.httpStatus;
  if (status !== undefined && status >= 200 && status < 500) return false;
  return err.retryable || status !== undefined;
}

/**
 * Whether a failed launch may have started an instance all the same: not when the cloud said it
 * refused (a refusal's code, a 429, or another 4xx), whatever the status it came with.
 */
function mayHaveActed(err: CloudError): boolean {
  if (err.code === 'RATE_LIMITED' || REFUSAL_CODES.has(err.code)) return false;
  const status = err.detail.httpStatus;
  return status === undefined || status < 400 || status >= 500;
}

/**
 * The error for a launch that ended in `final` after an earlier attempt that may have started an
 * instance (`unsure`): never a refusal, since the instance may exist after all, so the caller
 * looks for it by refId before trying elsewhere under a new one (a refusal would have the
 * control plane fail over and leave that instance billing as an orphan).
 */
function outcomeUnknown(unsure: CloudError, final: CloudError): CloudError {
  if (final === unsure) return final;
  return new CloudError(unsure.code, {
    message: `${unsure.message}; the launch may have started an instance all the same, and a later attempt ended in ${final.code}: ${final.message}`,
    retryable: true,
    scope: unsure.scope,
    detail: unsure.detail,
    cause: final,
  });
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
 * itself, or, when termination fails too, an error that names the instance to terminate by hand.
 * That error keeps `reason`'s code unless it is a refusal: a machine is left, and a refusal would
 * tell the caller nothing was made (it would fail over and not look for this one).
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
    return new CloudError(REFUSAL_CODES.has(reason.code) ? 'INTERNAL' : reason.code, {
      message: `${reason.message}; terminating instance ${cloudId} failed too (${failure.message}): terminate it by hand`,
      retryable: reason.retryable,
      scope: reason.scope,
      detail: reason.detail,
      cause: err,
    });
  }
}

export interface LaunchOptions extends CleanupOptions {
  /** The correlation the launch carries: an earlier launch is found, and the result checked, by it. */
  readonly ids: CorrelationIds;
  /**
   * Sends the launch request once (no retries of its own) and answers the ids of the instances
   * the cloud accepted: one, normally. Extra ones are terminated; none is INSUFFICIENT_CAPACITY.
   */
  readonly launch: () => Promise<readonly string[]>;
  /** Every instance of this client that cloudplane created (the adapter's listInstances). */
  readonly list: () => Promise<readonly Instance[]>;
  /**
   * A launched instance, mapped: INSTANCE_NOT_FOUND while the cloud does not know it yet (asked
   * again a few times), INTERNAL when it no longer carries its correlation data.
   */
  readonly get: (cloudId: string) => Promise<Instance>;
  /** Attempts in all and waits between them (the adapter's retry policy). */
  readonly policy: RetryPolicy;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Launch, all or nothing (docs/contract.md). Every launch attempt is preceded by a look for a live
 * instance that already carries this refId, so a retried create (here after an ambiguous failure,
 * or by the control plane after a crash) adopts the earlier launch instead of starting a second
 * machine. A launch is sent again only after a failure that `mayRelaunch`; an accepted launch that
 * cannot be handed over (the instance does not come back, or with other correlation data) is
 * terminated, and its error thrown.
 */
export async function launchAllOrNothing(options: LaunchOptions): Promise<Instance> {
  const { ids, policy, signal } = options;
  let lastError: CloudError | undefined;
  /** The first failure that may have started an instance: every later error is reported as it. */
  let unsure: CloudError | undefined;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    signal?.throwIfAborted();
    const earlier = await findLaunch(options);
    if (earlier) return earlier;
    let launched: readonly string[];
    try {
      launched = await options.launch();
    } catch (err) {
      lastError = toCloudError(err);
      unsure ??= mayHaveActed(lastError) ? lastError : undefined;
      if (!mayRelaunch(lastError)) break;
      options.logger.warn(
        { provider: options.providerId, refId: ids.refId, attempt, code: lastError.code },
        `${options.displayName} launch failed or its outcome is unknown; looking for the instance before retrying`,
      );
      if (attempt < policy.attempts) await pauseBeforeRetry(attempt, lastError, policy, signal);
      continue;
    }
    try {
      return await settle(launched, options);
    } catch (err) {
      // No instance to hand over (none started, or it could not be kept): still not a refusal
      // when an earlier attempt may have started one.
      throw unsure && isCloudError(err) ? outcomeUnknown(unsure, err) : err;
    }
  }
  if (unsure) {
    const late = await findLaunch(options).catch(() => undefined);
    if (late) return late;
  }
  if (!lastError) throw new CloudError('INTERNAL', { message: 'launch instance: no attempt made' });
  throw unsure ? outcomeUnknown(unsure, lastError) : lastError;
}

/** A live (not terminating) instance launched for `options.ids`, if any. */
async function findLaunch(options: LaunchOptions): Promise<Instance | undefined> {
  const { refId, cloudCredRefId } = options.ids;
  return (await options.list()).find(
    (i) =>
      i.refId === refId &&
      i.cloudCredRefId === cloudCredRefId &&
      i.status.lifecycle !== 'terminating' &&
      i.status.lifecycle !== 'terminated',
  );
}

/** Turns accepted instance ids into the result, terminating everything if that fails. */
async function settle(launched: readonly string[], options: LaunchOptions): Promise<Instance> {
  const [cloudId, ...extra] = launched;
  if (cloudId === undefined) {
    throw new CloudError('INSUFFICIENT_CAPACITY', {
      message: `launch instance: ${options.displayName} accepted the launch but started no instance`,
    });
  }
  for (const id of extra) {
    const surplus = new CloudError('INTERNAL', { message: `surplus instance ${id}` });
    const outcome = await terminateOrExplain(id, surplus, options);
    if (outcome !== surplus) throw outcome;
  }
  try {
    const instance = await getFresh(cloudId, options);
    const { refId, cloudCredRefId } = options.ids;
    if (instance.refId !== refId || instance.cloudCredRefId !== cloudCredRefId) {
      throw new CloudError('INTERNAL', {
        message: `instance ${cloudId} came back with other correlation data than it was launched with`,
      });
    }
    return instance;
  } catch (err) {
    throw await terminateOrExplain(cloudId, toCloudError(err), options);
  }
}

/** Right after a launch the cloud may not know the id yet; give it a few short tries. */
async function getFresh(cloudId: string, options: LaunchOptions): Promise<Instance> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await options.get(cloudId);
    } catch (err) {
      if (!isCloudError(err, 'INSTANCE_NOT_FOUND') || attempt >= options.policy.attempts) throw err;
      await pauseBeforeRetry(attempt, err, options.policy, options.signal);
    }
  }
}

/** Where an instance stands for termination: gone, on its way out, or live. */
export type InstanceState = 'gone' | 'ending' | 'live';

/**
 * The state of an instance from a fresh look at its lifecycle; `lifecycle` throwing
 * INSTANCE_NOT_FOUND reads as gone, any other error is thrown.
 */
export async function instanceState(
  lifecycle: () => Promise<LifecycleState>,
): Promise<InstanceState> {
  try {
    const state = await lifecycle();
    return state === 'terminating' || state === 'terminated' ? 'ending' : 'live';
  } catch (err) {
    if (isCloudError(err, 'INSTANCE_NOT_FOUND')) return 'gone';
    throw err;
  }
}

/**
 * Whether a failed termination counts as done (terminateInstance is idempotent): the instance is
 * gone, or the cloud refused (INVALID_ARGUMENT) to terminate what is already on its way out.
 */
export async function terminatedAnyway(
  err: unknown,
  state: () => Promise<InstanceState>,
): Promise<boolean> {
  if (isCloudError(err, 'INSTANCE_NOT_FOUND')) return true;
  return isCloudError(err, 'INVALID_ARGUMENT') && (await state()) !== 'live';
}
