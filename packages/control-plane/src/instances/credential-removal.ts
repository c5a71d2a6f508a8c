import { and, count, eq, gt, max, ne, notInArray } from 'drizzle-orm';
import type { Logger } from '@cloudplane/sdk';
import type { CredentialStore } from '../credentials/store.js';
import type { Db } from '../db/open.js';
import { instances, launchAttempts } from '../db/schema.js';
import { ControlPlaneError } from '../errors.js';
import { openClients, type ClientOptions } from './clients.js';
import { ATTEMPT_SETTLES_MS } from './launcher.js';
import { mayStillAppear } from './live.js';
import { describeFailure } from './outcome.js';

/**
 * Removing a credential. Beyond the store's own rule (no live instance), a failed launch on it
 * may still have made an instance at the provider (`mayStillAppear`: given up unconfirmed, or
 * failed after an attempt whose answer never came). While the credential exists its syncer
 * finds such an instance by its refId and terminates it; once removed, nothing would, and it
 * would bill unseen. So the credential goes only once each such launch's last attempt has
 * settled and the provider's complete list, asked now, holds none of their refIds. An operator
 * who has checked at the provider may abandon the ones checked, by refId, for a credential the
 * provider no longer answers.
 */

export interface CredentialRemovalOptions {
  readonly db: Db;
  readonly credentials: CredentialStore;
  readonly logger: Logger;
  readonly clientOptions: Omit<ClientOptions, 'logger'>;
}

export class CredentialRemoval {
  constructor(private readonly options: CredentialRemovalOptions) {}

  /**
   * Removes the credential. `abandon`: refIds of launches an operator has checked at the
   * provider, taken as having made nothing without asking it (for a provider that no longer
   * answers); every other such launch is still waited for and looked up.
   */
  async remove(id: string, { abandon = [] }: { abandon?: readonly string[] } = {}): Promise<void> {
    if (abandon.length > 0) {
      this.options.logger.warn(
        { credentialId: id, refIds: abandon },
        'removing a credential with these unconfirmed launches abandoned, as its operator asked',
      );
    }
    await this.refuseWhileFailoverSettles(id);
    const cleared = [...abandon, ...(await this.clearUnconfirmed(id, abandon))];
    // A launch can fail unconfirmed between the look-up above and the delete: counted again
    // under the credential's lock, any that was not cleared refuses the removal.
    await this.options.credentials.remove(id, async (tx) => {
      const [left] = await tx
        .select({ n: count() })
        .from(instances)
        .where(
          and(
            eq(instances.credentialId, id),
            mayStillAppear(),
            cleared.length === 0 ? undefined : notInArray(instances.refId, cleared),
          ),
        );
      if ((left?.n ?? 0) > 0) {
        throw inUse(
          'a launch on this credential failed unconfirmed just now, and may still make an instance: retry the removal',
        );
      }
    });
  }

  /**
   * A launch that failed over away from this credential gave up a refId here. Its refusal was
   * certain, but an earlier attempt under the same refId may have gone unanswered, and a slow
   * provider can still act on that one for a while; the syncer ends what then appears as a
   * stray, but only while the credential exists. So a removal waits until every such refId
   * given up here has settled.
   */
  private async refuseWhileFailoverSettles(id: string): Promise<void> {
    const since = new Date(Date.now() - ATTEMPT_SETTLES_MS);
    const [latest] = await this.options.db
      .select({ at: max(launchAttempts.finishedAt) })
      .from(launchAttempts)
      .innerJoin(instances, eq(instances.id, launchAttempts.instanceId))
      .where(
        and(
          eq(launchAttempts.credentialId, id),
          ne(instances.refId, launchAttempts.refId),
          gt(launchAttempts.finishedAt, since),
        ),
      );
    if (!latest?.at) return;
    const settlesAt = new Date(latest.at.getTime() + ATTEMPT_SETTLES_MS).toISOString();
    throw inUse(
      `a launch failed over away from this credential just now, and the provider may still act on an earlier attempt of it until ${settlesAt}: remove it after that`,
    );
  }

  /** The refIds of this credential's launches that may still appear, shown to have made nothing. */
  private async clearUnconfirmed(id: string, abandoned: readonly string[]): Promise<string[]> {
    const unconfirmed = await this.options.db
      .select({ refId: instances.refId, sentAt: instances.createSentAt })
      .from(instances)
      .where(
        and(
          eq(instances.credentialId, id),
          mayStillAppear(),
          abandoned.length === 0 ? undefined : notInArray(instances.refId, [...abandoned]),
        ),
      );
    if (unconfirmed.length === 0) return [];
    const n = String(unconfirmed.length);
    const settlesAt = Math.max(
      ...unconfirmed.map((row) => (row.sentAt?.getTime() ?? 0) + ATTEMPT_SETTLES_MS),
    );
    if (settlesAt > Date.now()) {
      throw inUse(
        `${n} failed launch(es) on this credential were never answered, and the provider may still act on the last one until ${new Date(settlesAt).toISOString()}: remove it after that`,
      );
    }
    const clients = await openClients(this.options.credentials, id, {
      ...this.options.clientOptions,
      logger: this.options.logger,
    });
    let listed;
    try {
      listed = await clients.listAll();
    } catch (err) {
      const reason = describeFailure(err, clients.scrub);
      throw inUse(
        `${n} failed launch(es) on this credential were never answered, and the provider could not be asked whether it made them (${reason.code}: ${reason.message}): retry once it answers, give the credential a working key, or check at the provider for instances tagged with these refIds and name the ones you checked in abandon=: ${unconfirmed.map((r) => r.refId).join(',')}`,
      );
    }
    const refIds = new Set(unconfirmed.map((row) => row.refId));
    const made = listed.filter((i) => refIds.has(i.refId) && i.status.lifecycle !== 'terminated');
    if (made.length > 0) {
      throw inUse(
        `the provider holds ${String(made.length)} instance(s) made by launches reported failed (${made.map((i) => i.cloudId).join(', ')}); the instance syncer is terminating them: remove the credential once they are gone`,
      );
    }
    return [...refIds];
  }
}

function inUse(message: string): ControlPlaneError {
  return new ControlPlaneError(409, 'credential/in-use', message);
}
