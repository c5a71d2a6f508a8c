import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { ControlPlaneError } from '../errors.js';
import { withDeadline } from './deadline.js';
import type { Db, Storage } from './open.js';

/**
 * What a node keeps in memory (the catalog view, verified tokens) is only as good as its last
 * look at the database. `StoreVersions` is that look: one small query whose answer changes
 * whenever a write the memory depends on commits, on any node. A caller gets versions from a
 * query that began after it asked, so it sees every such write committed before it asked.
 * Callers that ask while earlier queries are still out share one query, so a busy node sends a
 * query per round trip, not one per request.
 *
 * On embedded PGlite the process is the only writer and the query would cost more than the
 * request it guards. There, triggers (migration 0006) notify `STORE_CHANNEL` on every such
 * write, the notification arrives before the write's promise resolves, and the versions are
 * read again only after one has arrived.
 *
 * - catalog: the change feed's last id. Every write to `offers` is a sync that writes feed rows
 *   (one per changed type), and the feed's ids commit in order.
 * - credentials: how many there are and the newest one. Removing a credential removes its
 *   offers with no feed row; it lowers the count, and adding one moves the newest.
 * - capacity: how many marks there are and the newest one's time. A mark's expiry needs no
 *   version: readers compare `until` with the clock.
 * - auth: tokens (how many, how many revoked, the newest) and users (how many). Creating,
 *   revoking and deleting each move one of them.
 */

export interface Versions {
  readonly catalog: number;
  readonly credentials: string;
  readonly capacity: string;
  readonly auth: string;
}

/** Where migration 0006's triggers notify a write to a table the memory follows. */
export const STORE_CHANNEL = 'cloudplane_store';

const Row = z.object({
  catalog: z.coerce.number().int().nonnegative(),
  credentials: z.string(),
  capacity: z.string(),
  auth: z.string(),
});
const Rows = z.object({ rows: z.array(Row).length(1) });

const VERSIONS_SQL = sql`SELECT
  (SELECT coalesce(max(id), 0) FROM catalog_changes)::text AS catalog,
  (SELECT count(*) || '/' || coalesce(max(created_at)::text, '') FROM credentials) AS credentials,
  (SELECT count(*) || '/' || coalesce(max(at)::text, '') FROM capacity_marks) AS capacity,
  (SELECT count(*) || '/' || count(revoked_at) || '/' || coalesce(max(created_at)::text, '') FROM api_tokens)
    || '/' || (SELECT count(*) FROM users) AS auth`;

/**
 * How many versions queries run at once. Callers that ask while all are out share the next one,
 * begun as soon as one comes back: a busy node sends a query per round trip, not per request,
 * and a caller waits at most one round trip and the rest of another.
 */
const QUERIES_IN_FLIGHT = 2;

/**
 * A versions query not back by then frees its slot and fails its callers with a 503, so that
 * two queries stuck on dead connections cannot hold every request of the node.
 */
const QUERY_DEADLINE_MS = 10_000;

export interface StoreVersionsOptions {
  /** How long a versions query may take before its callers get a 503 (default 10 s). */
  readonly queryDeadlineMs?: number;
}

export class StoreVersions {
  /** Tickets, in the order queries began (and notifications came); `answered` is the newest. */
  private issued = 0;
  private answered = 0;
  private last: Versions | null = null;
  private inFlight = 0;
  /** The query the callers waiting for a free slot will share, begun when one is free. */
  private waiting: { promise: Promise<Versions>; begin: () => void } | null = null;
  /** With notifications: the ticket of the latest one; answers before it are stale. */
  private notifiedAt = 0;

  private constructor(
    private readonly db: Db,
    private readonly notified: boolean,
    private readonly deadlineMs: number,
  ) {}

  /** Versions over `storage`, listening for notifications where the engine delivers them. */
  static async open(
    storage: Storage,
    options: StoreVersionsOptions = {},
  ): Promise<{ versions: StoreVersions; close: () => Promise<void> }> {
    const listen = storage.listenInProcess;
    const deadlineMs = options.queryDeadlineMs ?? QUERY_DEADLINE_MS;
    if (!listen) {
      return { versions: new StoreVersions(storage.db, false, deadlineMs), close: async () => {} };
    }
    const versions = new StoreVersions(storage.db, true, deadlineMs);
    const close = await listen(STORE_CHANNEL, () => {
      versions.notifiedAt = ++versions.issued;
    });
    return { versions, close };
  }

  /** The versions as of a query that began after this call (or after the last notification). */
  async current(): Promise<Versions> {
    if (this.notified && this.last && this.answered >= this.notifiedAt) return this.last;
    if (this.inFlight < QUERIES_IN_FLIGHT) return this.ask();
    return (this.waiting ??= this.queue()).promise;
  }

  /**
   * The shared query of the callers that found every slot taken. It is not tied to a phase of
   * the event loop: under load Node can stay in its I/O phase for seconds, and a query begun
   * from `setImmediate` would wait that long.
   */
  private queue(): { promise: Promise<Versions>; begin: () => void } {
    let begin = () => {};
    // The slot is handed over by the query that frees it, so no caller can take it in between.
    const promise = new Promise<void>((resolve) => (begin = resolve)).then(() => this.ask(true));
    return { promise, begin };
  }

  private async ask(slotHandedOver = false): Promise<Versions> {
    if (!slotHandedOver) this.inFlight++;
    const ticket = ++this.issued;
    try {
      const answer = await withDeadline(this.db.execute(VERSIONS_SQL), this.deadlineMs, () => {
        return new ControlPlaneError(
          503,
          'storage/unavailable',
          `the database did not answer within ${String(this.deadlineMs)} ms: check that it is running and reachable (DATABASE_URL)`,
        );
      });
      const [row] = Rows.parse(answer).rows;
      if (!row) throw new Error('the versions query returned no row');
      // Queries can come back out of order; what is kept is the answer of the latest one begun.
      if (ticket > this.answered) {
        this.last = row;
        this.answered = ticket;
      }
      return row;
    } finally {
      const next = this.waiting;
      this.waiting = null;
      if (next) next.begin();
      else this.inFlight--;
    }
  }
}
