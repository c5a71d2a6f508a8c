import { isCloudError, type Instance, type Logger } from '@cloudplane/sdk';
import type { Metrics } from '../metrics.js';
import type { InstanceClients } from './clients.js';
import type { ObservedRow } from './observe.js';
import { describeFailure } from './outcome.js';
import type { InstanceRows } from './rows.js';

/**
 * Strays: live instances under a row's refId that the row does not hold. A refId names one
 * launch, so such an instance was made by a launch attempt that a provider acted on late (after
 * the row had its instance, or after the row ended), and no user asked for it or can reach it
 * through cloudplane. Left alone it would run and bill with nothing managing it, and it is not an
 * orphan either (its refId has a row), so the syncer ends it at once, with an event on the row.
 */

export interface Stray {
  readonly row: Pick<ObservedRow, 'id' | 'userId' | 'cloudId' | 'terminatedAt'>;
  readonly seen: Instance;
  /** `seen` carries a refId the row launched under before it failed over to another offer. */
  readonly earlierRefId?: boolean;
}

/** A terminate already sent is not sent again for this long while the cloud still lists it. */
export const STRAY_RESEND_MS = 60_000;

/** Whether the cloud has `seen` on its way out already (nothing to end, nobody to tell). */
export function isEnding(seen: Instance): boolean {
  return seen.status.lifecycle === 'terminated' || seen.status.lifecycle === 'terminating';
}

/**
 * Whether `seen`, listed under `row`'s refId and not as the row's own instance, is a stray of
 * that row. Any live instance under an ended row's refId is one (the row's user was told it
 * ended). Under a live row, one is when the row has matched an instance this sync already: its
 * own, listed in any state, or (a row with none yet) the first one found under its refId. A row
 * whose instance is not listed at all takes `seen` as its instance, as before.
 */
export function isStray(
  row: Pick<ObservedRow, 'cloudId' | 'terminatedAt'>,
  seen: Instance,
  context: { readonly rowMatched: boolean },
): boolean {
  if (row.terminatedAt !== null) return true;
  return row.cloudId !== seen.cloudId && context.rowMatched;
}

export class StrayEnder {
  /**
   * Credential and cloud id → when its terminate was sent, so a cloud slow to list it as ending
   * is not sent it again at every sync. Entries go after STRAY_RESEND_MS.
   */
  private readonly sent = new Map<string, number>();

  constructor(
    private readonly options: {
      readonly rows: InstanceRows;
      readonly logger: Logger;
      readonly metrics?: Metrics | undefined;
    },
  ) {}

  /** Terminates each stray not already ending; a failure is logged and retried next sync. */
  async end(
    credentialId: string,
    clients: InstanceClients,
    strays: readonly Stray[],
  ): Promise<void> {
    const now = Date.now();
    for (const [key, at] of this.sent) if (now - at >= STRAY_RESEND_MS) this.sent.delete(key);
    for (const { row, seen, earlierRefId } of strays) {
      const key = `${credentialId}/${seen.cloudId}`;
      if (isEnding(seen) || this.sent.has(key)) continue;
      // Claimed before the call, so a sync running beside this one does not send it too.
      this.sent.set(key, now);
      const fields = { credentialId, instanceId: row.id, cloudId: seen.cloudId };
      try {
        await clients.at(seen.location).terminateInstance(seen.cloudId);
      } catch (err) {
        if (isCloudError(err, 'INSTANCE_NOT_FOUND')) continue; // gone meanwhile: nothing ended
        this.sent.delete(key);
        const reason = describeFailure(err, clients.scrub);
        this.options.logger.warn(
          { ...fields, code: reason.code, reason: reason.message },
          'could not terminate a stray instance; the next sync retries',
        );
        continue;
      }
      this.options.metrics?.straysTerminated.inc({ provider: clients.opened.provider.id });
      const why =
        row.terminatedAt !== null
          ? 'after this instance ended'
          : row.cloudId !== null
            ? `beside ${row.cloudId}`
            : earlierRefId
              ? 'while the launch tries elsewhere'
              : 'beside the instance this launch has';
      const made = earlierRefId
        ? `made by an attempt this launch gave up when it failed over (refId ${seen.refId})`
        : "made under this launch's refId";
      const message = `${seen.cloudId}, ${made}, was ${seen.status.lifecycle} at the provider ${why}; terminated it`;
      this.options.logger.warn(fields, `stray instance terminated: ${message}`);
      try {
        await this.options.rows.note(row, [
          { kind: 'stray', message, data: { cloudId: seen.cloudId } },
        ]);
      } catch (err) {
        // The terminate is done and logged; only the row's timeline misses it.
        this.options.logger.error(
          { ...fields, err: describeFailure(err, clients.scrub).message },
          'could not write the stray event',
        );
      }
    }
  }
}
