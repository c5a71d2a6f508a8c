import { and, count, eq, gt, notInArray, sql, type SQL } from 'drizzle-orm';
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
      const [gaveUp] = await tx
        .select({ n: count() })
        .from(launchAttempts)
        .where(givenUpHere(id, cleared));
      if ((left?.n ?? 0) + (gaveUp?.n ?? 0) > 0) {
        throw inUse(
          'a launch on this credential failed unconfirmed or failed over just now, and may still make an instance: retry the removal',
        );
      }
    });
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
    // A launch that failed over away from this credential gave up a refId here. Its refusal
    // was certain, but an earlier attempt under that refId may have gone unanswered; the
    // syncer ends what a slow provider then makes as a stray, but only while the credential
    // exists. So such refIds are waited for and looked up like unconfirmed launches.
    const gaveUp = await this.options.db
      .select({ refId: launchAttempts.refId, sentAt: launchAttempts.finishedAt })
      .from(launchAttempts)
      .where(givenUpHere(id, abandoned));
    unconfirmed.push(...gaveUp);
    if (unconfirmed.length === 0) return [];
    const n = String(unconfirmed.length);
    const settlesAt = Math.max(
      ...unconfirmed.map((row) => (row.sentAt?.getTime() ?? 0) + ATTEMPT_SETTLES_MS),
    );
    if (settlesAt > Date.now()) {
      throw inUse(
        `${n} failed or failed-over launch(es) on this credential may still make an instance: the provider may act on the last attempt until ${new Date(settlesAt).toISOString()}: remove it after that`,
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
        `${n} failed or failed-over launch(es) on this credential may still make an instance, and the provider could not be asked whether it made them (${reason.code}: ${reason.message}): retry once it answers, give the credential a working key, or check at the provider for instances tagged with these refIds and name the ones you checked in abandon=: ${unconfirmed.map((r) => r.refId).join(',')}`,
      );
    }
    const refIds = new Set(unconfirmed.map((row) => row.refId));
    const made = listed.filter((i) => refIds.has(i.refId) && i.status.lifecycle !== 'terminated');
    if (made.length > 0) {
      throw inUse(
        `the provider holds ${String(made.length)} instance(s) made by launches reported failed or failed over (${made.map((i) => i.cloudId).join(', ')}); the instance syncer is terminating them: remove the credential once they are gone`,
      );
    }
    return [...refIds];
  }
}

/**
 * How long after a failover its given-up refId is still looked up at a removal: a late instance
 * under it shows up within ATTEMPT_SETTLES_MS, and the syncer, listing every few seconds, has
 * ended it well before this.
 */
const GIVEN_UP_LOOKED_UP_MS = 60 * 60_000;

/** Recent launch attempts on this credential whose launch has moved to another refId since. */
function givenUpHere(credentialId: string, except: readonly string[]): SQL | undefined {
  return and(
    eq(launchAttempts.credentialId, credentialId),
    gt(launchAttempts.finishedAt, new Date(Date.now() - GIVEN_UP_LOOKED_UP_MS)),
    sql`EXISTS (SELECT 1 FROM ${instances} WHERE ${instances.id} = ${launchAttempts.instanceId} AND ${instances.refId} <> ${launchAttempts.refId})`,
    except.length === 0 ? undefined : notInArray(launchAttempts.refId, [...except]),
  );
}

function inUse(message: string): ControlPlaneError {
  return new ControlPlaneError(409, 'credential/in-use', message);
}
