import { randomUUID } from 'node:crypto';
import { and, count, eq, gt, sql } from 'drizzle-orm';
import {
  isCloudError,
  type CloudError,
  type CreateInstanceAttrs,
  type Instance,
  type Logger,
} from '@cloudplane/sdk';
import type { CredentialRow, CredentialStore, OpenedCredential } from '../credentials/store.js';
import type { Db, Tx } from '../db/open.js';
import { ControlPlaneError } from '../errors.js';
import type { ProviderRegistry } from '../providers.js';
import { credentials, instances, type AttemptOutcome } from '../db/schema.js';
import { LaunchAttempts } from './attempts.js';
import type { CapacityMemory, OfferPlace } from './capacity.js';
import { avoidedPlace, pickOffer, withinCapabilities } from './picker.js';
import { LAUNCH_UNCONFIRMED, describeFailure, isRefusal } from './outcome.js';
import { observe, type InstanceRow } from './observe.js';
import {
  clientsFor,
  openClients,
  parseInstance,
  type ClientOptions,
  type InstanceClients,
} from './clients.js';
import { writeEvents, type NewEvent } from './events.js';
import type { InstanceRows } from './rows.js';

/**
 * Launches: exactly one cloud instance per row. The row is the journal: each attempt is
 * recorded (and committed) before the provider is called, and any attempt after the first
 * begins by looking the row's refId up at the cloud, adopting what it finds. Only a complete
 * list without the refId lets it launch again. The first attempt is sent by the node that
 * accepted the launch (`accept`, `sendFirst`); later ones by the create job (`run`).
 * docs/instances.md, "Exactly once" and "The create lane".
 */

/**
 * The longest a provider's createInstance may take: the create lease's TTL (a node cut off
 * mid-call has its answer before another node may look), and how long after an attempt was
 * sent a look-up that misses its instance is taken as proof that it made none.
 */
export const ATTEMPT_SETTLES_MS = 120_000;

export type CreateOutcome =
  | { readonly kind: 'done' }
  /** The credential's launch rate is used up: run again after `delayMs`. */
  | { readonly kind: 'later'; readonly delayMs: number }
  /** The launch went through but a terminate was asked for meanwhile. */
  | { readonly kind: 'terminate' }
  /** Failed over to another offer: run again at once. */
  | { readonly kind: 'again' };

/** A journaled launch: sent now by the accepting node, or queued for the create job. */
export type Accepted =
  | { readonly kind: 'go'; readonly row: InstanceRow; readonly opened: OpenedCredential }
  | { readonly kind: 'queue'; readonly row: InstanceRow; readonly delayMs: number };

export type NewInstanceRow = typeof instances.$inferInsert;

export interface LauncherOptions {
  readonly db: Db;
  readonly rows: InstanceRows;
  readonly credentials: CredentialStore;
  readonly logger: Logger;
  readonly clientOptions: Omit<ClientOptions, 'logger'>;
  readonly capacity: CapacityMemory;
  /** What a failover may pick from: the loaded providers, as their capabilities allow. */
  readonly providers: ProviderRegistry;
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
      await this.giveUp(row, err.message);
      return { kind: 'done' };
    }
  }

  /**
   * Journals a new launch in one transaction: the row and its `requested` event and, when
   * `first` is given and the credential's launch rate has room, the first attempt's slot (as
   * `takeSlot` records it) and the create lease `first.lease` takes. A launch that got its
   * slot is sent by `sendFirst` with no job in between; one that did not is left to the
   * create job (after `delayMs` when the rate is used up).
   */
  async accept(
    row: NewInstanceRow,
    requested: NewEvent,
    first: {
      readonly perMinute: number;
      /** Takes the create lease in `tx`; false when it is held. */
      readonly lease: (tx: Tx) => Promise<boolean>;
      /** Gives the lease back in `tx` (the rate was used up after all). */
      readonly release: (tx: Tx) => Promise<void>;
    } | null,
  ): Promise<Accepted> {
    const credentialId = row.credentialId;
    if (!credentialId) throw new Error('a launch is always for an offer of a credential');
    return this.options.db.transaction(async (tx) => {
      const now = row.createdAt;
      // The row goes in with its slot taken, and the credential is locked only after: the
      // launches on one credential queue for its lock, so the less each does holding it, the
      // more of them one node accepts per second. Over the rate, the slot is taken back.
      const slotted = first ? { ...row, createAttempts: 1, createSentAt: now } : row;
      const [inserted] = await tx.insert(instances).values(slotted).returning();
      if (!inserted) throw new Error('the instance row was not written');
      if (!first) {
        await writeEvents(tx, inserted, [requested], now);
        return { kind: 'queue' as const, row: inserted, delayMs: 0 };
      }
      if (!(await first.lease(tx))) throw new Error('a new launch found its create lease held');
      await LaunchAttempts.start(tx, inserted, credentialId, now);
      const rate = await lockLaunchRate(tx, credentialId, first.perMinute, now, 'counts-itself');
      // The row's foreign key holds the credential since the insert: it cannot be gone here.
      if (!rate.credential) throw new Error('the credential vanished under its foreign key');
      if (rate.delayMs !== null) {
        const [queued] = await tx
          .update(instances)
          .set({ createAttempts: 0, createSentAt: null })
          .where(eq(instances.id, inserted.id))
          .returning();
        await first.release(tx);
        await LaunchAttempts.forget(tx, inserted.refId);
        if (!queued) throw new Error('the instance row vanished in its own transaction');
        await writeEvents(tx, queued, [requested], now);
        return { kind: 'queue' as const, row: queued, delayMs: rate.delayMs };
      }
      const opened = this.open(rate.credential);
      await writeEvents(tx, inserted, [requested, launchingEvent(inserted)], now);
      return { kind: 'go' as const, row: inserted, opened };
    });
  }

  /**
   * The first attempt of a launch `accept` gave its slot: sent to the provider now, its answer
   * recorded. Throws as `run` does; the create job then takes over, looking the attempt up by
   * refId before it sends another.
   */
  async sendFirst(row: InstanceRow, opened: OpenedCredential): Promise<CreateOutcome> {
    const clients = clientsFor(opened, {
      ...this.options.clientOptions,
      logger: this.options.logger,
    });
    return this.send(row, opened.id, clients);
  }

  /** The credential for a launch; one that no longer opens refuses the launch, storing nothing. */
  private open(credential: CredentialRow): OpenedCredential {
    try {
      return this.options.credentials.openRow(credential);
    } catch (err) {
      if (!(err instanceof ControlPlaneError)) throw err;
      throw new ControlPlaneError(
        409,
        'offer/unavailable',
        'the provider credential behind this offer cannot be used until an operator replaces it; pick another offer',
      );
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
    // Every attempt so far is now known to have made nothing (none, or a complete list without
    // the refId), so a terminate asked for meanwhile may end the row without launching.
    const slot = await this.takeSlot(
      row,
      credentialId,
      clients.opened.provider.maxCreatesPerMinute,
      row.createAttempts,
    );
    if (slot.kind !== 'go') return slot.outcome;
    return this.send(slot.row, credentialId, clients);
  }

  /**
   * Sends an attempt whose slot is taken (recorded and committed) to the provider, and records
   * the answer: the instance, a refusal (failing over where the launch allows it), or an
   * ambiguity, thrown as AmbiguousLaunch for the next attempt to look up first.
   */
  private async send(
    current: InstanceRow,
    credentialId: string,
    clients: InstanceClients,
  ): Promise<CreateOutcome> {
    const intent = current.intent;
    if (!intent) {
      await this.giveUp(current, 'the launch request was lost; launch again');
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
          await this.options.capacity.remember(
            placeOf(current, credentialId),
            err,
            reason.message,
            { provider: current.provider, gpu: current.gpuName },
          );
        }
        if (mayFailOver(current, err)) {
          return this.failOver(current, credentialId, clients, err, reason.message);
        }
        await this.fail(current, reason.code, reason.message);
        return { kind: 'done' };
      }
      this.options.logger.warn(
        { instanceId: current.id, code: reason.code, reason: reason.message },
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
    const within = withinCapabilities(
      requirement,
      this.options.providers,
      row.intent?.firewallRules,
    );
    const next = within && (await pickOffer(this.options.db, within, avoid));
    if (!next) {
      await this.fail(
        row,
        err.code,
        `${reason}; no other offer meets the requirement (tried ${String(row.failovers + 1)})`,
      );
      return { kind: 'done' };
    }
    const moved = await this.options.rows.locked(row.id, (locked) => {
      // Only a row still waiting on this very attempt moves: a sync may have adopted the
      // refused refId's instance meanwhile (a slow provider acting on an earlier attempt), and
      // moving that row would pair the instance with another credential.
      if (!awaitsCreate(locked) || locked.refId !== row.refId) {
        return Promise.resolve({ result: false });
      }
      return Promise.resolve({
        result: true,
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
      });
    });
    return moved ? { kind: 'again' } : { kind: 'done' };
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
      // The row has its instance already (a sync adopted an earlier attempt's), has ended, or
      // failed over to another offer under a new refId since this attempt was sent: this one is
      // a stray, which its credential's syncer terminates. The row stays as it is.
      if (
        locked.terminatedAt !== null ||
        locked.refId !== row.refId ||
        (locked.cloudId !== null && locked.cloudId !== found.cloudId)
      ) {
        return { result: false };
      }
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
   * ended here without reaching the provider, when the first `provenAbsent` attempts are known
   * to have made nothing and no other attempt was recorded since.
   */
  private async takeSlot(
    row: InstanceRow,
    credentialId: string,
    perMinute: number,
    provenAbsent: number,
  ): Promise<{ kind: 'go'; row: InstanceRow } | { kind: 'stop'; outcome: CreateOutcome }> {
    return this.options.db.transaction(async (tx) => {
      const now = new Date();
      const rate = await lockLaunchRate(tx, credentialId, perMinute, now);
      const [locked] = await tx
        .select()
        .from(instances)
        .where(eq(instances.id, row.id))
        .for('update');
      if (!locked || !awaitsCreate(locked)) {
        return { kind: 'stop' as const, outcome: { kind: 'done' as const } };
      }
      if (locked.pendingAction === 'terminate' && locked.createAttempts <= provenAbsent) {
        // An attempt sent less than a provider call's longest time ago may still be acted on
        // by a slow provider after the look-up: look again once it is surely over, rather
        // than end a row whose instance could then appear with nobody watching its refId.
        const settlesAt = (locked.createSentAt?.getTime() ?? 0) + ATTEMPT_SETTLES_MS;
        if (locked.createAttempts > 0 && settlesAt > now.getTime()) {
          return {
            kind: 'stop' as const,
            outcome: { kind: 'later' as const, delayMs: settlesAt - now.getTime() },
          };
        }
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
      if (rate.delayMs !== null) {
        return {
          kind: 'stop' as const,
          outcome: { kind: 'later' as const, delayMs: rate.delayMs },
        };
      }
      const [updated] = await tx
        .update(instances)
        .set({ createAttempts: locked.createAttempts + 1, createSentAt: now, updatedAt: now })
        .where(eq(instances.id, row.id))
        .returning();
      if (!updated) throw new Error('the instance row vanished while locked');
      await writeEvents(tx, locked, [launchingEvent(updated)], now);
      await LaunchAttempts.start(tx, updated, credentialId, now);
      return { kind: 'go' as const, row: updated };
    });
  }

  /**
   * The launch failed: only a row still waiting for this very attempt's refId takes that. One
   * that a sync adopted meanwhile has its instance (and maybe a terminate its user asked for
   * since), and one another runner failed over has a new launch on its way: a late failure of
   * this attempt must overwrite neither.
   */
  private async fail(
    attempt: Pick<InstanceRow, 'id' | 'refId'>,
    code: string,
    message: string,
    /** Also records the row's open attempt as unconfirmed, in the same transaction. */
    unconfirmed?: { readonly reason: string },
  ): Promise<void> {
    await this.options.rows.locked(attempt.id, async (row, tx) => {
      if (!awaitsCreate(row) || row.refId !== attempt.refId) return { result: undefined };
      if (unconfirmed) {
        await LaunchAttempts.finishIn(tx, row.refId, 'unconfirmed', {
          code: LAUNCH_UNCONFIRMED,
          message: unconfirmed.reason,
        });
      }
      return {
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
      };
    });
  }

  /** After the last retry: the row fails; if the instance ever shows up, the syncer ends it. */
  private async giveUp(attempt: Pick<InstanceRow, 'id' | 'refId'>, reason: string): Promise<void> {
    await this.fail(attempt, LAUNCH_UNCONFIRMED, `the launch could not be confirmed (${reason})`, {
      reason,
    });
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

/** The event of an attempt's slot being taken: the provider hears of it next. */
function launchingEvent(row: Pick<InstanceRow, 'createAttempts' | 'provider'>): NewEvent {
  return {
    kind: 'launching',
    message: `attempt ${String(row.createAttempts)} sent to ${row.provider}`,
  };
}

/**
 * Locks the credential, so every node's launches on it take their slots in turn, and counts
 * the launches sent on it in the last minute (from the rows, which every node shares; a row
 * that `counts-itself` is this transaction's own, already slotted). Returns the credential as
 * read, and how long until the rate has room again (null: it has room now).
 */
async function lockLaunchRate(
  tx: Tx,
  credentialId: string,
  perMinute: number,
  now: Date,
  own: 'counts-itself' | 'not-yet-counted' = 'not-yet-counted',
): Promise<{ credential: CredentialRow | undefined; delayMs: number | null }> {
  // NO KEY UPDATE, not UPDATE: a launch that wrote its row first already holds the KEY SHARE
  // lock its foreign key took on the credential, and two such launches asking for UPDATE would
  // each wait for the other's KEY SHARE. NO KEY UPDATE still excludes every other launch.
  const [credential] = await tx
    .select()
    .from(credentials)
    .where(eq(credentials.id, credentialId))
    .for('no key update');
  const windowStart = new Date(now.getTime() - 60_000);
  const [recent] = await tx
    .select({ n: count(), oldest: sql<string | null>`min(${instances.createSentAt})` })
    .from(instances)
    .where(and(eq(instances.credentialId, credentialId), gt(instances.createSentAt, windowStart)));
  const others = (recent?.n ?? 0) - (own === 'counts-itself' ? 1 : 0);
  if (others < perMinute) return { credential, delayMs: null };
  const oldest = recent?.oldest ? new Date(recent.oldest).getTime() : now.getTime();
  return { credential, delayMs: Math.max(1000, oldest + 60_000 - now.getTime()) };
}
