import { isCloudError, type CloudClient, type Logger } from '@cloudplane/sdk';
import type { CredentialStore } from '../credentials/store.js';
import type { InstanceAction } from '../db/schema.js';
import { openClients, type ClientOptions } from './clients.js';
import { describeFailure, isRefusal } from './outcome.js';
import type { InstanceRows } from './rows.js';

/**
 * Stop, start, reboot and terminate jobs. Each sends the request and leaves the outcome to the
 * syncer (the caller then syncs the credential at once), except a refusal, which ends the
 * pending action with its reason. Ambiguous failures are thrown so the job is retried: every
 * one of these requests may be sent twice (terminate of a gone instance succeeds).
 */

export type LifecycleAction = Exclude<InstanceAction, 'create'>;

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
      const error = { lastErrorCode: reason.code, lastError: reason.message };
      const stillPending = await this.options.rows.locked(row.id, (locked) =>
        Promise.resolve(
          locked.pendingAction !== action
            ? { result: false }
            : {
                result: true,
                set: keepTrying
                  ? error
                  : { pendingAction: null, actionRequestedAt: null, ...error },
                events: [
                  {
                    kind: 'action-failed' as const,
                    message: keepTrying
                      ? `terminate failed again (${failure}); still trying`
                      : `${action} failed: ${failure}`,
                  },
                ],
              },
        ),
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
    if (action === 'reboot' || action === 'terminate') {
      await this.options.rows.locked(row.id, (locked) =>
        Promise.resolve({
          result: undefined,
          // A reboot is done once accepted; a terminate shows `terminating` until the syncer
          // sees it gone.
          set:
            action === 'reboot'
              ? locked.pendingAction === 'reboot'
                ? { pendingAction: null, actionRequestedAt: null }
                : {}
              : locked.state === 'terminated'
                ? {}
                : // An earlier failed try's error no longer holds.
                  { state: 'terminating' as const, lastErrorCode: null, lastError: null },
          events:
            action === 'terminate' &&
            locked.state !== 'terminating' &&
            locked.state !== 'terminated'
              ? [
                  {
                    kind: 'state' as const,
                    from: locked.state,
                    to: 'terminating',
                    message: 'terminate sent',
                  },
                ]
              : [],
        }),
      );
    }
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
