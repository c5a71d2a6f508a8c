import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { z } from 'zod';
import { freshTarget, stopClusterAfterAll } from './helpers/storage.js';
import { openStorage, POOL_CHECKOUT_TIMEOUT_MS } from '../src/db/open.js';
import { until } from './helpers/until.js';

/**
 * A query that waits for a pooled connection when the pool closes fails within the checkout
 * limit instead of waiting for ever: pg-pool serves no queued request once it is ending, and a
 * node whose job worker polled at that moment never exited (seen in CI, as a test file that
 * passed every test and then hung).
 */

stopClusterAfterAll();

const Sleeping = z.object({ rows: z.array(z.object({ n: z.coerce.number() })) });

describe('the PostgreSQL pool on close', () => {
  it(
    'fails a query queued for a connection instead of leaving it waiting',
    { timeout: 60_000 },
    async () => {
      const target = await freshTarget('postgres');
      assert.equal(target.kind, 'postgres');
      const storage = await openStorage(target);
      const watcher = new pg.Client({ connectionString: target.url });
      await watcher.connect();
      try {
        // Every pooled connection busy for longer than the checkout limit. (Drizzle's queries run
        // once something waits for them: `then` starts each now.)
        const holdSeconds = POOL_CHECKOUT_TIMEOUT_MS / 1000 + 2;
        const held = Array.from({ length: 10 }, () =>
          storage.db.execute(sql`SELECT pg_sleep(${holdSeconds})`).then(() => undefined),
        );
        await until(async () => {
          const result = Sleeping.parse(
            await watcher.query(
              "SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'",
            ),
          );
          return (result.rows[0]?.n ?? 0) >= 10;
        }, 'every pooled connection to be busy');
        const queued = storage.db.execute(sql`SELECT 1`).then(() => undefined);
        const closing = storage.close();
        await assert.rejects(queued, (err: unknown) => {
          assert.ok(err instanceof Error && err.cause instanceof Error);
          assert.match(err.cause.message, /timeout exceeded when trying to connect/);
          return true;
        });
        await Promise.allSettled(held);
        await closing;
      } finally {
        await watcher.end();
      }
    },
  );
});
