import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { isCloudError, type Logger } from '@cloudplane/sdk';
import type { CredentialStore } from '../credentials/store.js';
import type { Db } from '../db/open.js';
import { instances, offers, orphans } from '../db/schema.js';
import { ControlPlaneError, violatedUniqueConstraint } from '../errors.js';
import { openClients, type ClientOptions } from './clients.js';
import { writeEvents, type EventBell } from './events.js';
import { describeFailure } from './outcome.js';

/**
 * Orphans: instances a cloud reports with a credential's correlation data but no row here. An
 * admin adopts one (it becomes an instance of a user, tracked like any other) or terminates it.
 */

export type OrphanRow = typeof orphans.$inferSelect;

export interface OrphanServiceOptions {
  readonly db: Db;
  readonly credentials: CredentialStore;
  readonly bell: EventBell;
  readonly logger: Logger;
  readonly clientOptions: Omit<ClientOptions, 'logger'>;
}

export class OrphanService {
  constructor(private readonly options: OrphanServiceOptions) {}

  async list(): Promise<OrphanRow[]> {
    return this.options.db.select().from(orphans).orderBy(asc(orphans.firstSeenAt));
  }

  private async require(id: string): Promise<OrphanRow> {
    const [row] = await this.options.db.select().from(orphans).where(eq(orphans.id, id));
    if (!row) throw goneOrphan(id);
    return row;
  }

  /** Makes the orphan an instance of `userId` called `name`; returns the new instance's id. */
  async adopt(id: string, userId: string, name: string): Promise<string> {
    const orphan = await this.require(id);
    const seen = orphan.record;
    const [offer] = await this.options.db
      .select()
      .from(offers)
      .where(
        and(eq(offers.credentialId, orphan.credentialId), eq(offers.typeId, seen.instanceTypeId)),
      );
    const now = new Date();
    const instanceId = randomUUID();
    try {
      await this.options.db.transaction(async (tx) => {
        // Taken off the list first: a second adopt of the same orphan waits here for this one,
        // then finds nothing to take.
        const [taken] = await tx
          .delete(orphans)
          .where(eq(orphans.id, id))
          .returning({ id: orphans.id });
        if (!taken) throw goneOrphan(id);
        const [row] = await tx
          .insert(instances)
          .values({
            id: instanceId,
            refId: seen.refId,
            userId,
            credentialId: orphan.credentialId,
            provider: seen.provider,
            name,
            typeId: seen.instanceTypeId,
            location: seen.location,
            subLocation: seen.subLocation ?? null,
            instanceType: seen.instanceType,
            gpuName: offer?.gpuName ?? null,
            gpuCount: offer?.gpuCount ?? 0,
            gpuMemoryGiB: offer?.gpuMemoryGiB ?? null,
            price: offer?.price ?? null,
            currency: offer?.currency ?? null,
            sshKeyIds: [],
            tags: seen.tags,
            state: seen.status.lifecycle,
            nativeStatus: seen.status.native,
            statusMessage: seen.status.message ?? null,
            cloudId: seen.cloudId,
            publicIp: seen.publicIp,
            privateIp: seen.privateIp,
            hostname: seen.hostname,
            sshUser: seen.sshUser,
            sshPort: seen.sshPort,
            stoppable: seen.stoppable,
            rebootable: seen.rebootable,
            launchedAt: new Date(seen.createdAt),
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        if (!row) throw new Error('the adopted instance row was not written');
        await writeEvents(
          tx,
          row,
          [
            {
              kind: 'adopted',
              to: row.state,
              message: `adopted orphan ${seen.cloudId}`,
              data: { cloudId: seen.cloudId },
            },
          ],
          now,
        );
      });
    } catch (err) {
      if (violatedUniqueConstraint(err) === 'instances_live_name_key') {
        throw new ControlPlaneError(
          409,
          'instance/name-taken',
          `that user already has an instance named "${name}"`,
        );
      }
      throw err;
    }
    this.options.bell.ring();
    return instanceId;
  }

  /** Terminates the orphan at its cloud (idempotent) and forgets it. */
  async terminate(id: string): Promise<void> {
    const orphan = await this.require(id);
    const clients = await openClients(this.options.credentials, orphan.credentialId, {
      ...this.options.clientOptions,
      logger: this.options.logger,
    });
    try {
      await clients.at(orphan.record.location).terminateInstance(orphan.cloudId);
    } catch (err) {
      if (!isCloudError(err, 'INSTANCE_NOT_FOUND')) {
        const reason = describeFailure(err, clients.scrub);
        throw new ControlPlaneError(
          503,
          'orphan/terminate-failed',
          `the provider did not terminate ${orphan.cloudId}: ${reason.code}: ${reason.message}; try again`,
        );
      }
    }
    await this.options.db.delete(orphans).where(eq(orphans.id, id));
  }
}

function goneOrphan(id: string): ControlPlaneError {
  return new ControlPlaneError(
    404,
    'orphan/not-found',
    `no orphan with id ${id} (adopted or terminated already?): list them with GET /v1/orphans`,
  );
}
