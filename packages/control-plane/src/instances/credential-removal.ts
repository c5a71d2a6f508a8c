import { and, eq, isNull } from 'drizzle-orm';
import type { Logger } from '@cloudplane/sdk';
import type { CredentialStore } from '../credentials/store.js';
import type { Db } from '../db/open.js';
import { instances } from '../db/schema.js';
import { ControlPlaneError } from '../errors.js';
import { openClients, type ClientOptions } from './clients.js';
import { ATTEMPT_SETTLES_MS, LAUNCH_UNCONFIRMED } from './launcher.js';
import { describeFailure } from './outcome.js';

/**
 * Removing a credential. Beyond the store's own rule (no live instance), a launch on it that
 * ended unconfirmed (`LAUNCH_UNCONFIRMED`) may still have made an instance at the provider: while
 * the credential exists its syncer finds such an instance by its refId and terminates it; once
 * removed, nothing would, and it would bill unseen. So the credential goes only once the
 * provider's complete list, taken after each such launch's last attempt settled, holds none of
 * their refIds.
 */

export interface CredentialRemovalOptions {
  readonly db: Db;
  readonly credentials: CredentialStore;
  readonly logger: Logger;
  readonly clientOptions: Omit<ClientOptions, 'logger'>;
}

export class CredentialRemoval {
  constructor(private readonly options: CredentialRemovalOptions) {}

  async remove(id: string): Promise<void> {
    await this.checkUnconfirmedLaunches(id);
    await this.options.credentials.remove(id);
  }

  private async checkUnconfirmedLaunches(id: string): Promise<void> {
    const unconfirmed = await this.options.db
      .select({ refId: instances.refId, sentAt: instances.createSentAt })
      .from(instances)
      .where(
        and(
          eq(instances.credentialId, id),
          eq(instances.state, 'failed'),
          isNull(instances.cloudId),
          isNull(instances.terminatedAt),
          eq(instances.lastErrorCode, LAUNCH_UNCONFIRMED),
        ),
      );
    if (unconfirmed.length === 0) return;
    const settlesAt = Math.max(
      ...unconfirmed.map((row) => (row.sentAt?.getTime() ?? 0) + ATTEMPT_SETTLES_MS),
    );
    if (settlesAt > Date.now()) {
      throw inUse(
        `${String(unconfirmed.length)} launch(es) on this credential were never confirmed, and the provider may still act on the last one until ${new Date(settlesAt).toISOString()}: remove it after that`,
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
        `${String(unconfirmed.length)} launch(es) on this credential were never confirmed, and the provider could not be asked whether it made them (${reason.code}: ${reason.message}): remove it once the provider answers, or give the credential a working key first`,
      );
    }
    const refIds = new Set(unconfirmed.map((row) => row.refId));
    const made = listed.filter((i) => refIds.has(i.refId) && i.status.lifecycle !== 'terminated');
    if (made.length > 0) {
      throw inUse(
        `the provider holds ${String(made.length)} instance(s) made by launches reported failed (${made.map((i) => i.cloudId).join(', ')}); the instance syncer is terminating them: remove the credential once they are gone`,
      );
    }
  }
}

function inUse(message: string): ControlPlaneError {
  return new ControlPlaneError(409, 'credential/in-use', message);
}
