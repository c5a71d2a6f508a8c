import type { StorageTarget } from '../src/db/open.js';
import { startThrowawayPostgres } from '../test/helpers/postgres.js';

/**
 * The storage engines a bench runs on, from BENCH_ENGINES (default: both), and the loop over
 * them: embedded PGlite in memory, or a throw-away PostgreSQL cluster started for the run and
 * stopped after it.
 */

export const ENGINES = (process.env.BENCH_ENGINES || 'pglite,postgres').split(',');

export async function onEachEngine(
  run: (engine: string, target: StorageTarget) => Promise<void>,
): Promise<void> {
  for (const engine of ENGINES) {
    const postgres = engine === 'postgres' ? await startThrowawayPostgres() : null;
    try {
      await run(
        engine,
        postgres ? { kind: 'postgres', url: postgres.url } : { kind: 'pglite', dataDir: 'memory' },
      );
    } finally {
      await postgres?.stop();
    }
  }
}
