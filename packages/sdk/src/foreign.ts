import type { CorrelationIds } from './correlation.js';
import { CloudError } from './errors.js';
import type { LifecycleState } from './types/instance.js';

/**
 * Skipping foreign instances. An instance without correlation data (made in the cloud's console,
 * by another tool, or whose tags were edited away) is not cloudplane's: listInstances skips it and
 * never fails because of it. The instance syncer lists every few seconds, so each one is reported
 * once per client rather than on every poll.
 *
 * Instances made by another credential of the same account are not foreign: they carry correlation
 * data, and are returned with their creator's cloudCredRefId (conformance `lifecycle.second-client`
 * checks it; the control plane keeps only its own per credential).
 */

/** Logs a warning once per key; provider-kit's WarnOnce is one. */
export interface WarnsOnce {
  warn(key: string, fields: Record<string, unknown>, message: string): unknown;
}

export interface CorrelatedOnlyOptions<W, C extends CorrelationIds> {
  /** What the item's tags or name say, or null (or undefined) for a foreign item. */
  readonly correlate: (item: W) => C | null | undefined;
  readonly cloudIdOf: (item: W) => string | undefined;
  readonly warnings: WarnsOnce;
  /** The warning, naming the cloud: `skipping a Fluidstack instance cloudplane did not create`. */
  readonly message?: string;
  /** Added to the warning's fields (a region, a project); never secrets. */
  readonly fields?: Record<string, unknown>;
}

/** The listed items cloudplane created, each with its correlation; foreign ones warned once. */
export function correlatedOnly<W, C extends CorrelationIds>(
  items: Iterable<W>,
  options: CorrelatedOnlyOptions<W, C>,
): { item: W; ids: C }[] {
  const ours: { item: W; ids: C }[] = [];
  for (const item of items) {
    const ids = options.correlate(item);
    if (ids) {
      ours.push({ item, ids });
      continue;
    }
    const cloudId = options.cloudIdOf(item);
    options.warnings.warn(
      `foreign:${cloudId ?? '?'}`,
      { cloudId, ...options.fields },
      options.message ?? 'skipping an instance without cloudplane correlation data',
    );
  }
  return ours;
}

/** `detail.providerCode` of a `foreignInstance` error: a caller tells it from any other 403. */
export const FOREIGN_INSTANCE = 'cloudplane/foreign-instance';

/** Whether `err` is a `foreignInstance` error (a live instance without our correlation data). */
export function isForeignInstance(err: unknown): err is CloudError {
  return (
    err instanceof CloudError &&
    err.code === 'PERMISSION_DENIED' &&
    err.detail.providerCode === FOREIGN_INSTANCE
  );
}

/**
 * The error for an instance asked for by id (get, terminate, stop, tags) that the cloud has but
 * that carries no correlation data. Not INSTANCE_NOT_FOUND while it may bill: it may be one
 * cloudplane launched whose name or tags were changed at the provider since, and a caller that
 * took "not found" for "gone" would stop tracking a running machine. cloudplane neither reports
 * nor acts on it; `why` says what the adapter looked for. One that has ended (`lifecycle`, from
 * the adapter's status table) is INSTANCE_NOT_FOUND after all: gone is what a caller must hear,
 * or the row of a renamed instance ended at the provider would wait for it for ever.
 */
export function foreignInstance(
  cloudId: string,
  why: string,
  lifecycle: LifecycleState,
): CloudError {
  if (lifecycle === 'terminated') {
    return new CloudError('INSTANCE_NOT_FOUND', {
      message: `instance ${cloudId} has ended, and carries no cloudplane correlation data (${why})`,
    });
  }
  return new CloudError('PERMISSION_DENIED', {
    detail: { providerCode: FOREIGN_INSTANCE },
    message: `instance ${cloudId} was not created by cloudplane (${why}), so cloudplane neither reports nor acts on it; if cloudplane launched it, its correlation data was changed at the provider: end it there`,
    scope: 'none',
  });
}
