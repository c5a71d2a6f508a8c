import { isCloudError, type CloudClient, type LifecycleState, type Logger } from '@cloudplane/sdk';
import type { CredentialStore } from '../credentials/store.js';
import type { InstanceAction } from '../db/schema.js';
import { openClients, type ClientOptions } from './clients.js';
import type { InstanceRow } from './observe.js';
import { describeFailure, isRefusal } from './outcome.js';
import type { InstanceRows, Locked } from './rows.js';

/**
 * Stop, start, reboot and terminate jobs. Each sends the request and leaves the outcome to the
 * syncer (the caller then syncs the credential at once), except a refusal, which ends the
 * pending action with its reason. Ambiguous failures are thrown so the job is retried: every
 * one of these requests may be sent twice (terminate of a gone instance succeeds).
 */

export type LifecycleAction = Exclude<InstanceAction, 'create'>;

/**
 * How long after the provider accepted an action the sweep sends it again, should the syncer
 * not have seen it done by then (a provider that lost it, or a machine started again behind
 * our back). Stopping and starting a large GPU machine can take minutes, and repeating them
 * while they run can be refused as a state conflict; a terminate is money, so sooner. A
 * reboot is done once accepted, so it is never sent again.
 */
export const ACTION_RESEND_MS: Readonly<Record<Exclude<LifecycleAction, 'reboot'>, number>> = {
  terminate: 60_000,
  stop: 300_000,
  start: 300_000,
};

/**
 * Whether a pending action was accepted by the provider recently enough to be waiting for its
 * outcome, not for a job: the sweep does not queue it, and a job for it (a duplicate, a retry)
 * does not send it. Stamps come from the clock of the node that sent the action: a stamp
 * further ahead than the window is taken as that clock being wrong, and the action as overdue,
 * so a wrong clock costs repeats (as before there was a stamp), never a lost action.
 */
export function awaitsOutcome(action: InstanceAction, sentAt: Date | null, now: number): boolean {
  if (sentAt === null || action === 'create' || action === 'reboot') return false;
  const age = now - sentAt.getTime();
  return -ACTION_RESEND_MS[action] < age && age < ACTION_RESEND_MS[action];
}

/** The states that show an accepted stop or start under way, or done. */
const UNDER_WAY: Readonly<Record<'stop' | 'start', readonly LifecycleState[]>> = {
  stop: ['stopping', 'stopped'],
  start: ['pending', 'running'],
};

export type ActionOutcome =
  | { readonly kind: 'sent' }
  | { readonly kind: 'skipped' }
  /** Terminate of a row whose launch is still in flight: try again once it has a cloud id. */
  | { readonly kind: 'wait' };

export interface ActionRunnerOptions {
  readonly rows: InstanceRows;
  readonly credentials: CredentialStore;
  readonly logger: Logger;
  readonly clientOptions: Omit<ClientOptions, 'logger'>;
}

export class ActionRunner {
  constructor(private readonly options: ActionRunnerOptions) {}

  async run(
    instanceId: string,
    action: LifecycleAction,
    lastAttempt: boolean,
  ): Promise<ActionOutcome> {
    const row = await this.options.rows.get(instanceId);
    if (!row || row.pendingAction !== action || row.terminatedAt !== null)
      return { kind: 'skipped' };
    if (awaitsOutcome(action, row.actionSentAt, Date.now())) return { kind: 'skipped' };
    if (row.cloudId === null) return this.endUnlaunched(row.id);
    // Live rows always have their credential: its removal is refused while they exist.
    if (row.credentialId === null) return { kind: 'skipped' };
    const cloudId = row.cloudId;
    const clients = await openClients(this.options.credentials, row.credentialId, {
      ...this.options.clientOptions,
      logger: this.options.logger,
    });
    const client = clients.at(row.location);
    try {
      await send(client, action, cloudId);
    } catch (err) {
      const reason = describeFailure(err, clients.scrub);
      const failure = `${reason.code}: ${reason.message}`;
      // A terminate is never given up, refused or not: the machine may bill until it ends, and
      // what refused it (a credential, a state conflict, a protection flag) can be put right.
      // Its last retry records the error and keeps the action pending; the sweep then queues
      // a new job for it.
      const keepTrying = action === 'terminate';
      if (!lastAttempt && (keepTrying || !isRefusal(err))) throw new Error(failure);
      const stillPending = await this.options.rows.locked(row.id, (locked) =>
        Promise.resolve(failed(locked, action, { ...reason, refused: isRefusal(err) }, failure)),
      );
      if (keepTrying && stillPending) {
        this.options.logger.warn(
          { instanceId: row.id, cloudId, code: reason.code, reason: reason.message },
          'terminate still failing after its retries; a new job follows',
        );
        throw new Error(failure);
      }
      return { kind: 'sent' };
    }
    await this.options.rows.locked(row.id, (locked) =>
      Promise.resolve(accepted(locked, action, new Date())),
    );
    return { kind: 'sent' };
  }
  /**
   * A terminate of a row with no cloud id: if no launch attempt was ever sent, the row ends
   * here (the create job, taking the same row lock, then finds nothing to do); otherwise the
   * launch's answer must be awaited.
   */
  private async endUnlaunched(id: string): Promise<ActionOutcome> {
    return this.options.rows.locked<ActionOutcome>(id, (row) => {
      if (row.cloudId !== null || row.createAttempts > 0 || row.pendingAction !== 'terminate') {
        return Promise.resolve({ result: { kind: 'wait' as const } });
      }
      return Promise.resolve({
        result: { kind: 'sent' as const },
        set: {
          state: 'terminated' as const,
          pendingAction: null,
          actionRequestedAt: null,
          intent: null,
          terminatedAt: new Date(),
        },
        events: [
          {
            kind: 'terminated' as const,
            from: row.state,
            to: 'terminated',
            message: 'terminated before the launch reached the provider',
          },
        ],
      });
    });
  }
}

/**
 * The provider accepted `action`. A reboot is then done; a terminate shows `terminating` until
 * the syncer sees it gone; a stop, start or terminate notes when it was accepted, so the sweep
 * leaves the syncer to see it done until ACTION_RESEND_MS has passed.
 */
function accepted(locked: InstanceRow, action: LifecycleAction, now: Date): Locked<undefined> {
  const pending = locked.pendingAction === action;
  if (action === 'reboot') {
    return {
      result: undefined,
      ...(pending ? { set: { pendingAction: null, actionRequestedAt: null } } : {}),
    };
  }
  if (action !== 'terminate') {
    return { result: undefined, ...(pending ? { set: { actionSentAt: now } } : {}) };
  }
  if (locked.state === 'terminated') return { result: undefined };
  return {
    result: undefined,
    // An earlier failed try's error no longer holds.
    set: {
      state: 'terminating',
      lastErrorCode: null,
      lastError: null,
      ...(pending ? { actionSentAt: now } : {}),
    },
    events:
      locked.state === 'terminating'
        ? []
        : [{ kind: 'state', from: locked.state, to: 'terminating', message: 'terminate sent' }],
  };
}

/**
 * What a failure that ends this job's tries leaves on the row; the result says whether the
 * action is still pending. A terminate is never given up: its error is shown, and written as an
 * event only when it differs from the one shown (a new request clears `lastError`, so what is
 * shown is this terminate's; a stuck terminate would otherwise add an event with every job). A
 * stop or start ends with its error, except a refused repeat of one the provider had accepted
 * while the instance's state shows it under way or done: such a refusal is about the first.
 */
function failed(
  locked: InstanceRow,
  action: LifecycleAction,
  reason: { readonly code: string; readonly message: string; readonly refused: boolean },
  failure: string,
): Locked<boolean> {
  if (locked.pendingAction !== action) return { result: false };
  const error = { lastErrorCode: reason.code, lastError: reason.message };
  if (action === 'terminate') {
    const shown = locked.lastErrorCode === reason.code && locked.lastError === reason.message;
    return shown
      ? { result: true }
      : {
          result: true,
          set: error,
          events: [
            {
              kind: 'action-failed',
              message: `terminate failed again (${failure}); still trying`,
            },
          ],
        };
  }
  const cleared = { pendingAction: null, actionRequestedAt: null };
  if (
    reason.refused &&
    action !== 'reboot' &&
    locked.actionSentAt !== null &&
    UNDER_WAY[action].includes(locked.state)
  ) {
    return {
      result: true,
      set: cleared,
      events: [
        {
          kind: 'action-failed',
          message: `${action} sent again and refused (${failure}); the provider had accepted it and the instance is ${locked.state}`,
        },
      ],
    };
  }
  return {
    result: true,
    set: { ...cleared, ...error },
    events: [{ kind: 'action-failed', message: `${action} failed: ${failure}` }],
  };
}

async function send(client: CloudClient, action: LifecycleAction, cloudId: string): Promise<void> {
  switch (action) {
    case 'terminate':
      try {
        await client.terminateInstance(cloudId);
      } catch (err) {
        if (!isCloudError(err, 'INSTANCE_NOT_FOUND')) throw err;
      }
      return;
    case 'stop':
      return required(client.stopStart, 'stopStart').stopInstance(cloudId);
    case 'start':
      return required(client.stopStart, 'stopStart').startInstance(cloudId);
    case 'reboot':
      return required(client.reboot, 'reboot').rebootInstance(cloudId);
  }
}

function required<T>(group: T | undefined, capability: string): T {
  if (group === undefined) {
    throw new Error(`the provider's client has no ${capability} group although it was checked`);
  }
  return group;
}
