import { isCloudError } from './errors.js';
import type { Instance, LifecycleState } from './types/instance.js';

/** The wait ran out of time; `last` is the last status seen (if any). */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
  constructor(
    readonly target: readonly LifecycleState[],
    readonly timeoutMs: number,
    readonly last: Instance | undefined,
  ) {
    super(
      `instance ${last?.cloudId ?? '(not seen)'} did not reach ${target.join(' or ')} within ${timeoutMs} ms (last status: ${last ? `${last.status.lifecycle} (${last.status.native})` : 'none'})`,
    );
  }
}

/** The instance reached a state from which the target cannot be reached (e.g. failed). */
export class UnexpectedStatusError extends Error {
  override readonly name = 'UnexpectedStatusError';
  constructor(
    readonly target: readonly LifecycleState[],
    readonly instance: Instance,
  ) {
    super(
      `instance ${instance.cloudId} is ${instance.status.lifecycle} (${instance.status.native}${instance.status.message ? `: ${instance.status.message}` : ''}) while waiting for ${target.join(' or ')}`,
    );
  }
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
  /** States that end the wait with UnexpectedStatusError. Default: terminated and failed. */
  readonly failOn?: readonly LifecycleState[];
  /** When true, INSTANCE_NOT_FOUND counts as reaching `terminated` (clouds that forget fast). */
  readonly notFoundIsTerminated?: boolean;
  /** Called with each status seen (progress output). */
  readonly onStatus?: (instance: Instance) => void;
}

/**
 * Polls `get` until the instance is in one of `target`. Errors from `get` other than not-found
 * propagate at once (the caller decides about retries); not-found propagates unless
 * `notFoundIsTerminated` and the target includes terminated. Abort ends with the signal's reason.
 */
export async function waitForStatus(
  get: () => Promise<Instance>,
  target: LifecycleState | readonly LifecycleState[],
  options: WaitOptions,
): Promise<Instance | undefined> {
  const targets: readonly LifecycleState[] = typeof target === 'string' ? [target] : target;
  const failOn = (options.failOn ?? ['terminated', 'failed']).filter((s) => !targets.includes(s));
  const interval = options.intervalMs ?? 2000;
  const deadline = Date.now() + options.timeoutMs;
  let last: Instance | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      last = await get();
    } catch (err) {
      if (
        options.notFoundIsTerminated === true &&
        targets.includes('terminated') &&
        isCloudError(err, 'INSTANCE_NOT_FOUND')
      ) {
        return undefined;
      }
      throw err;
    }
    options.onStatus?.(last);
    if (targets.includes(last.status.lifecycle)) return last;
    if (failOn.includes(last.status.lifecycle)) throw new UnexpectedStatusError(targets, last);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new WaitTimeoutError(targets, options.timeoutMs, last);
    await sleep(Math.min(interval, remaining), options.signal);
  }
}

/** setTimeout as a promise that rejects with the signal's reason on abort. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
