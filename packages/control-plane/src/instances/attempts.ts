import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../db/open.js';
import { launchAttempts, type AttemptOutcome } from '../db/schema.js';

/**
 * The launch attempts log behind the scorecards: one row per create sent to a provider,
 * started in the journal's transaction, finished with its outcome, and given the time the
 * instance was first seen running.
 */
export class LaunchAttempts {
  constructor(private readonly db: Db) {}

  static async start(
    tx: Tx,
    row: { id: string; refId: string },
    credentialId: string,
    at: Date,
  ): Promise<void> {
    await tx
      .insert(launchAttempts)
      .values({ refId: row.refId, instanceId: row.id, credentialId, startedAt: at })
      .onConflictDoNothing();
  }

  /** Takes back an attempt started in `tx` that will not be sent after all. */
  static async forget(tx: Tx, refId: string): Promise<void> {
    await tx.delete(launchAttempts).where(eq(launchAttempts.refId, refId));
  }

  async finish(
    refId: string,
    outcome: AttemptOutcome,
    error: { code: string; message: string } | null,
  ): Promise<void> {
    await LaunchAttempts.finishIn(this.db, refId, outcome, error);
  }

  /** `finish`, in a transaction of the caller's (the one that records the launch's outcome). */
  static async finishIn(
    db: Db | Tx,
    refId: string,
    outcome: AttemptOutcome,
    error: { code: string; message: string } | null,
  ): Promise<void> {
    await db
      .update(launchAttempts)
      .set({
        outcome,
        errorCode: error?.code ?? null,
        error: error?.message ?? null,
        finishedAt: new Date(),
      })
      .where(and(eq(launchAttempts.refId, refId), isNull(launchAttempts.outcome)));
  }

  /** The instances of these attempts were seen running for the first time. */
  static async running(tx: Tx, refIds: readonly string[], at: Date): Promise<void> {
    if (refIds.length === 0) return;
    await tx
      .update(launchAttempts)
      .set({ runningAt: at })
      .where(and(inArray(launchAttempts.refId, [...refIds]), isNull(launchAttempts.runningAt)));
  }
}
