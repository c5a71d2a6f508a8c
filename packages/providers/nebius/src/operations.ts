import { sleep } from '@cloudplane/sdk';
import { cloudErrorFromOperationStatus, type NotFoundCode } from './errors.js';
import type { NebiusRpc } from './rpc.js';
import { OperationWire, parseOrThrow } from './wire.js';

/**
 * Nebius answers every change with an Operation (proto/README.md, "Operations"): it has finished
 * once `status` is set, successfully when the code is OK. The adapter reads operations on the
 * compute host, where the instance operations it starts live.
 */

export interface AwaitOptions {
  /** For messages: "create instance". */
  readonly operation: string;
  readonly notFound: NotFoundCode;
  /** Give up waiting (not the operation) after this long; 0 looks once. */
  readonly waitMs: number;
  readonly pollMs: number;
  readonly signal?: AbortSignal | undefined;
}

export interface Outcome {
  /** False when the operation was still running when the wait ended. */
  readonly done: boolean;
  readonly op: OperationWire;
}

/** Parses an Operation message; an unreadable one is an INTERNAL error. */
export function readOperation(raw: unknown, operation: string): OperationWire {
  return parseOrThrow(OperationWire, raw, operation);
}

/**
 * Polls `op` until it finishes or `waitMs` passes. A failed operation throws its mapped error;
 * a successful one answers `done: true`; one still running at the end answers `done: false`.
 */
export async function awaitOperation(
  rpc: NebiusRpc,
  first: OperationWire,
  options: AwaitOptions,
): Promise<Outcome> {
  const until = Date.now() + options.waitMs;
  let op = first;
  for (;;) {
    if (op.status !== null) {
      if (op.status.code === 0) return { done: true, op };
      throw cloudErrorFromOperationStatus(op.status, {
        operation: options.operation,
        notFound: options.notFound,
      });
    }
    if (Date.now() >= until) return { done: false, op };
    await sleep(options.pollMs, options.signal);
    const id = op.id;
    op = readOperation(
      await rpc.call({
        operation: `${options.operation}: read operation ${id}`,
        replay: 'idempotent',
        invoke: (s) => (md, opts, done) => s.computeOperations.get({ id }, md, opts, done),
      }),
      options.operation,
    );
  }
}
