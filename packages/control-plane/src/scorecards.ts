import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from './db/open.js';

/**
 * Provider scorecards: per credential, over the last hour and the last day, how its catalog
 * syncs and launches went (from the `syncs` and `launch_attempts` tables), how long launches
 * took to run, and its last error. Read from the database, so every node reports the same.
 */

export const WINDOWS = { hour: 3_600, day: 86_400 } as const;
export type Window = keyof typeof WINDOWS;

export interface WindowScore {
  readonly catalogSyncs: number;
  /** Share of catalog syncs that succeeded; null without syncs. */
  readonly catalogSyncSuccessRate: number | null;
  /** Launch attempts with a known outcome. */
  readonly launches: number;
  readonly createSuccessRate: number | null;
  readonly capacityErrorRate: number | null;
  /** Seconds from the create call to the instance first seen running. */
  readonly timeToRunningSeconds: { readonly p50: number | null; readonly p95: number | null };
}

export interface Scorecard {
  readonly credentialId: string;
  readonly name: string;
  readonly provider: string;
  readonly windows: Readonly<Record<Window, WindowScore>>;
  readonly lastError: { readonly at: Date; readonly what: string; readonly message: string } | null;
}

const num = z.union([z.number(), z.string()]).transform(Number);
const maybe = num.nullable();
const Rows = z.object({
  rows: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      provider: z.string(),
      syncs: num,
      syncs_ok: num,
      launches: num,
      created: num,
      capacity: num,
      p50: maybe,
      p95: maybe,
    }),
  ),
});
const LastErrors = z.object({
  rows: z.array(
    z.object({ id: z.string(), at: z.coerce.date(), what: z.string(), message: z.string() }),
  ),
});

export async function scorecards(db: Db, now = new Date()): Promise<Scorecard[]> {
  const byWindow = new Map<Window, z.infer<typeof Rows>['rows']>();
  for (const window of Object.keys(WINDOWS) as Window[]) {
    const since = new Date(now.getTime() - WINDOWS[window] * 1000);
    const result = await db.execute(sql`
      SELECT c.id, c.name, c.provider,
        (SELECT count(*) FROM syncs s WHERE s.credential_id = c.id AND s.started_at >= ${since}) AS syncs,
        (SELECT count(*) FROM syncs s WHERE s.credential_id = c.id AND s.started_at >= ${since} AND s.outcome = 'ok') AS syncs_ok,
        (SELECT count(*) FROM launch_attempts a WHERE a.credential_id = c.id AND a.started_at >= ${since} AND a.outcome IS NOT NULL) AS launches,
        (SELECT count(*) FROM launch_attempts a WHERE a.credential_id = c.id AND a.started_at >= ${since} AND a.outcome = 'created') AS created,
        (SELECT count(*) FROM launch_attempts a WHERE a.credential_id = c.id AND a.started_at >= ${since} AND a.outcome = 'capacity') AS capacity,
        (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.running_at - a.started_at)) FROM launch_attempts a WHERE a.credential_id = c.id AND a.started_at >= ${since} AND a.running_at IS NOT NULL) AS p50,
        (SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM a.running_at - a.started_at)) FROM launch_attempts a WHERE a.credential_id = c.id AND a.started_at >= ${since} AND a.running_at IS NOT NULL) AS p95
      FROM credentials c ORDER BY c.created_at`);
    byWindow.set(window, Rows.parse(result).rows);
  }
  const last = LastErrors.parse(
    await db.execute(sql`
      SELECT DISTINCT ON (id) id, at, what, message FROM (
        SELECT s.credential_id AS id, s.finished_at AS at, 'catalog sync' AS what, coalesce(s.reason, s.outcome) AS message
          FROM syncs s WHERE s.outcome <> 'ok'
        UNION ALL
        SELECT a.credential_id, a.finished_at, 'launch', coalesce(a.error_code || ': ' || a.error, a.outcome)
          FROM launch_attempts a WHERE a.outcome IS NOT NULL AND a.outcome <> 'created' AND a.finished_at IS NOT NULL
      ) e ORDER BY id, at DESC`),
  ).rows;
  const hour = byWindow.get('hour') ?? [];
  const day = byWindow.get('day') ?? [];
  return hour.map((h) => {
    const d = day.find((r) => r.id === h.id) ?? h;
    const error = last.find((e) => e.id === h.id);
    return {
      credentialId: h.id,
      name: h.name,
      provider: h.provider,
      windows: { hour: score(h), day: score(d) },
      lastError: error ? { at: error.at, what: error.what, message: error.message } : null,
    };
  });
}

function score(r: z.infer<typeof Rows>['rows'][number]): WindowScore {
  const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);
  return {
    catalogSyncs: r.syncs,
    catalogSyncSuccessRate: rate(r.syncs_ok, r.syncs),
    launches: r.launches,
    createSuccessRate: rate(r.created, r.launches),
    capacityErrorRate: rate(r.capacity, r.launches),
    timeToRunningSeconds: { p50: r.p50, p95: r.p95 },
  };
}
