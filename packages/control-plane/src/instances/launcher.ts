import { randomUUID } from 'node:crypto';
import { and, count, eq, gt, sql } from 'drizzle-orm';
import {
  isCloudError,
  type CloudError,
  type CreateInstanceAttrs,
  type Instance,
  type Logger,
} from '@cloudplane/sdk';
import type { CredentialStore } from '../credentials/store.js';
import type { Db } from '../db/open.js';
import { credentials, instances, type AttemptOutcome } from '../db/schema.js';
import { LaunchAttempts } from './attempts.js';
import type { CapacityMemory, OfferPlace } from './capacity.js';
import { avoidedPlace, pickOffer } from './picker.js';
import { describeFailure, isRefusal } from './outcome.js';
import { observe, type InstanceRow } from './observe.js';
import { openClients, parseInstance, type ClientOptions, type InstanceClients } from './clients.js';
import { writeEvents } from './events.js';
import type { InstanceRows } from './rows.js';

/**
 * The create job: exactly one cloud instance per row. The row is the journal: each attempt is
 * recorded (and committed) before the provider is called, and any attempt after the first
 * begins by looking the row's refId up at the cloud, adopting what it finds. Only a complete
 * list without the refId lets it launch again. docs/instances.md, "Exactly once".
 */

export type CreateOutcome =
  | { readonly kind: 'done' }
  /** The credential's launch rate is used up: run again after `delayMs`. */
  | { readonly kind: 'later'; readonly delayMs: number }
  /** The launch went through but a terminate was asked for meanwhile. */
  | { readonly kind: 'terminate' }
  /** Failed over to another offer: run again at once. */
  | { readonly kind: 'again' };

export interface LauncherOptions {
  readonly db: Db;
  readonly rows: InstanceRows;
  readonly credentials: CredentialStore;
  readonly logger: Logger;
  readonly clientOptions: Omit<ClientOptions, 'logger'>;
  readonly capacity: CapacityMemory;
}

/** A sentinel for "this attempt may have acted; look before the next one". */
export class AmbiguousLaunch extends Error {
  override readonly name = 'AmbiguousLaunch';
}

export class Launcher {
  private readonly attempts: LaunchAttempts;

  constructor(private readonly options: LauncherOptions) {
    this.attempts = new LaunchAttempts(options.db);
  }

  /**
   * One run of the create job. Throws AmbiguousLaunch (the job is retried) when the cloud may
   * or may not have the instance; `lastAttempt` turns that into a failed row instead.
   */
  async run(instanceId: string, lastAttempt: boolean): Promise<CreateOutcome> {
    const row = await this.options.rows.get(instanceId);
    if (!row || !awaitsCreate(row) || row.credentialId === null) return { kind: 'done' };
    const credentialId = row.credentialId;
    const clients = await openClients(this.options.credentials, credentialId, {
      ...this.options.clientOptions,
      logger: this.options.logger,
    });
    try {
      return await this.attempt(row, credentialId, clients);
    } catch (err) {
      if (!(err instanceof AmbiguousLaunch) || !lastAttempt) throw err;
      await this.giveUp(row.id, err.message);
      return { kind: 'done' };
    }
  }

  private async attempt(
    row: InstanceRow,
    credentialId: string,
    clients: InstanceClients,
  ): Promise<CreateOutcome> {
    if (row.createAttempts > 0) {
      const found = await this.lookUp(row, clients);
      if (found) return this.adopt(row, found, 'found');
    }
    const slot = await this.takeSlot(
      row,
      credentialId,
      clients.opened.provider.maxCreatesPerMinute,
    );
    if (slot.kind !== 'go') return slot.outcome;
    const current = slot.row;
    const intent = current.intent;
    if (!intent) {
      await this.giveUp(row.id, 'the launch request was lost; launch again');
      return { kind: 'done' };
    }
    const attrs: CreateInstanceAttrs = {
      refId: current.refId,
      name: current.name,
      publicKey: intent.publicKey,
      location: current.location,
      ...(current.subLocation === null ? {} : { subLocation: current.subLocation }),
      instanceType: current.instanceType,
      ...(intent.tags ? { tags: intent.tags } : {}),
      ...(intent.firewallRules ? { firewallRules: intent.firewallRules } : {}),
      ...(intent.userData === undefined ? {} : { userData: intent.userData }),
    };
    let created: Instance;
    try {
      created = parseInstance(
        clients.opened,
        await clients.at(current.location).createInstance(attrs),
      );
    } catch (err) {
      const reason = describeFailure(err, clients.scrub);
      if (isRefusal(err)) {
        await this.attempts.finish(current.refId, outcomeOf(err), reason);
        if (isCloudError(err, 'INSUFFICIENT_CAPACITY')) {
          await this.options.capacity.remember(placeOf(current, credentialId), err, {
            provider: current.provider,
            gpu: current.gpuName,
          });
        }
        if (mayFailOver(current, err)) {
          return this.failOver(current, credentialId, clients, err, reason.message);
        }
        await this.fail(current.id, reason.code, reason.message);
        return { kind: 'done' };
      }
      this.options.logger.warn(
        { instanceId: row.id, code: reason.code, reason: reason.message },
        'launch answer unknown; the next attempt looks for it by refId first',
      );
      throw new AmbiguousLaunch(`${reason.code}: ${reason.message}`);
    }
    const outcome = await this.adopt(current, created, 'created');
    // After the launch is recorded, not before: a mark that outlives a crash here is cleared
    // by the next success or catalog sync, and the launch's answer is not kept waiting on it.
    await this.options.capacity.clear(placeOf(current, credentialId));
    return outcome;
  }

  /**
   * After a capacity or quota refusal of a launch by requirement: prove this attempt made
   * nothing (a complete list without its refId), then move the row to the next best offer with
   * a fresh refId, avoiding the refused place as far as the error's scope reaches.
   */
  private async failOver(
    row: InstanceRow,
    credentialId: string,
    clients: InstanceClients,
    err: CloudError,
    reason: string,
  ): Promise<CreateOutcome> {
    const found = await this.lookUp(row, clients);
    if (found) return this.adopt(row, found, 'found');
    const requirement = row.requirement;
    if (!requirement) throw new Error('failOver is only called for launches by requirement');
    const avoid = [...row.avoid, avoidedPlace(err.scope, placeOf(row, credentialId))];
    const next = await pickOffer(this.options.db, requirement, avoid);
    if (!next) {
      await this.fail(
        row.id,
        err.code,
        `${reason}; no other offer meets the requirement (tried ${String(row.failovers + 1)})`,
      );
      return { kind: 'done' };
    }
    await this.options.rows.locked(row.id, (locked) =>
      Promise.resolve({
        result: undefined,
        set: {
          refId: randomUUID(),
          credentialId: next.credentialId,
          provider: next.provider,
          typeId: next.typeId,
          location: next.record.location,
          subLocation: next.record.subLocation ?? null,
          instanceType: next.record.type,
          gpuName: next.gpuName,
          gpuCount: next.gpuCount,
          gpuMemoryGiB: next.gpuMemoryGiB,
          price: next.price,
          currency: next.currency,
          createAttempts: 0,
          failovers: locked.failovers + 1,
          avoid,
        },
        events: [
          {
            kind: 'failover' as const,
            message: `${row.instanceType} in ${row.location} (${row.provider}) refused: ${reason}; trying ${next.type} in ${next.location} (${next.provider})`,
            data: {
              from: { credentialId, typeId: row.typeId, refId: row.refId },
              to: { credentialId: next.credentialId, typeId: next.typeId },
              code: err.code,
            },
          },
        ],
      }),
    );
    return { kind: 'again' };
  }

  /** The instance with this row's refId, if a complete list has it; ambiguous if no list. */
  private async lookUp(row: InstanceRow, clients: InstanceClients): Promise<Instance | null> {
    let listed: Instance[];
    try {
      listed = await clients.listAll();
    } catch (err) {
      const reason = describeFailure(err, clients.scrub);
      throw new AmbiguousLaunch(`cannot look for an earlier attempt: ${reason.message}`);
    }
    return listed.find((i) => i.refId === row.refId) ?? null;
  }

  /** The row takes the cloud's instance: the one its launch `created`, or one `found` by refId. */
  private async adopt(
    row: InstanceRow,
    found: Instance,
    how: 'created' | 'found',
  ): Promise<CreateOutcome> {
    const terminate = await this.options.rows.locked(row.id, async (locked, tx) => {
      // The attempt's outcome commits with the row that records it: one transaction fewer
      // between the provider's answer and the launch being visible.
      await LaunchAttempts.finishIn(tx, row.refId, 'created', null);
      const observed = observe(locked, found, new Date());
      const events = [
        ...(how === 'found'
          ? [
              {
                kind: 'adopted' as const,
                message: `the provider has it as ${found.cloudId}`,
                data: { cloudId: found.cloudId },
              },
            ]
          : []),
        ...observed.events,
      ];
      return {
        result: locked.pendingAction === 'terminate',
        set: {
          ...observed.set,
          intent: null,
          lastError: null,
          lastErrorCode: null,
          ...(locked.pendingAction === 'terminate' ? { pendingAction: 'terminate' as const } : {}),
        },
        events,
      };
    });
    return terminate ? { kind: 'terminate' } : { kind: 'done' };
  }

  /**
   * Records this attempt before the provider hears of it, within the credential's launch rate
   * (counted from the rows, so every node shares it). A row whose terminate came first is
   * ended here without ever reaching the provider.
   */
  private async takeSlot(
    row: InstanceRow,
    credentialId: string,
    perMinute: number,
  ): Promise<{ kind: 'go'; row: InstanceRow } | { kind: 'stop'; outcome: CreateOutcome }> {
    return this.options.db.transaction(async (tx) => {
      await tx
        .select({ id: credentials.id })
        .from(credentials)
        .where(eq(credentials.id, credentialId))
        .for('update');
      const [locked] = await tx
        .select()
        .from(instances)
        .where(eq(instances.id, row.id))
        .for('update');
      if (!locked || !awaitsCreate(locked)) {
        return { kind: 'stop' as const, outcome: { kind: 'done' as const } };
      }
      const now = new Date();
      if (locked.pendingAction === 'terminate' && locked.createAttempts === 0) {
        await tx
          .update(instances)
          .set({
            state: 'terminated',
            pendingAction: null,
            intent: null,
            terminatedAt: now,
            updatedAt: now,
          })
          .where(eq(instances.id, row.id));
        await writeEvents(
          tx,
          locked,
          [
            {
              kind: 'terminated',
              from: locked.state,
              to: 'terminated',
              message: 'terminated before launch',
            },
          ],
          now,
        );
        return { kind: 'stop' as const, outcome: { kind: 'done' as const } };
      }
      const windowStart = new Date(now.getTime() - 60_000);
      const [recent] = await tx
        .select({ n: count(), oldest: sql<string | null>`min(${instances.createSentAt})` })
        .from(instances)
        .where(
          and(eq(instances.credentialId, credentialId), gt(instances.createSentAt, windowStart)),
        );
      if ((recent?.n ?? 0) >= perMinute) {
        const oldest = recent?.oldest ? new Date(recent.oldest).getTime() : now.getTime();
        return {
          kind: 'stop' as const,
          outcome: {
            kind: 'later' as const,
            delayMs: Math.max(1000, oldest + 60_000 - now.getTime()),
          },
        };
      }
      const [updated] = await tx
        .update(instances)
        .set({ createAttempts: locked.createAttempts + 1, createSentAt: now, updatedAt: now })
        .where(eq(instances.id, row.id))
        .returning();
      await writeEvents(
        tx,
        locked,
        [
          {
            kind: 'launching',
            message: `attempt ${String(locked.createAttempts + 1)} sent to ${row.provider}`,
          },
        ],
        now,
      );
      if (!updated) throw new Error('the instance row vanished while locked');
      await LaunchAttempts.start(tx, updated, credentialId, now);
      return { kind: 'go' as const, row: updated };
    });
  }

  private async fail(id: string, code: string, message: string): Promise<void> {
    await this.options.rows.locked(id, (row) =>
      Promise.resolve({
        result: undefined,
        set: {
          state: 'failed' as const,
          pendingAction: null,
          intent: null,
          lastErrorCode: code,
          lastError: message,
        },
        events: [
          {
            kind: 'launch-failed' as const,
            from: row.state,
            to: 'failed',
            message: `${code}: ${message}`,
          },
        ],
      }),
    );
  }

  /** After the last retry: the row fails; if the instance ever shows up, the syncer ends it. */
  private async giveUp(id: string, reason: string): Promise<void> {
    const row = await this.options.rows.get(id);
    if (row) {
      await this.attempts.finish(row.refId, 'unconfirmed', {
        code: 'LAUNCH_UNCONFIRMED',
        message: reason,
      });
    }
    await this.fail(id, 'LAUNCH_UNCONFIRMED', `the launch could not be confirmed (${reason})`);
  }
}

function awaitsCreate(row: InstanceRow): boolean {
  return row.cloudId === null && row.state === 'pending' && row.terminatedAt === null;
}

/** Only a launch by requirement moves on, only for capacity or quota, and only so often. */
const MAX_FAILOVERS = 5;

function mayFailOver(row: InstanceRow, err: CloudError): boolean {
  return (
    row.requirement !== null &&
    row.failovers < MAX_FAILOVERS &&
    isCloudError(err, 'INSUFFICIENT_CAPACITY', 'OUT_OF_QUOTA')
  );
}

function outcomeOf(err: CloudError): AttemptOutcome {
  if (err.code === 'INSUFFICIENT_CAPACITY') return 'capacity';
  if (err.code === 'OUT_OF_QUOTA') return 'quota';
  return 'refused';
}

function placeOf(row: InstanceRow, credentialId: string): OfferPlace {
  return { credentialId, typeId: row.typeId, location: row.location };
}
