import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { startPlane } from './helpers/plane.js';
import { openStorage } from '../src/db/open.js';
import { startThrowawayPostgres } from './helpers/postgres.js';

/**
 * A node whose PostgreSQL went away answers every request that needs it with a 503 that says
 * so and what to check, not a bare 500: a load balancer and an operator can both act on it.
 */

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

describe('a node whose database went away', () => {
  it('answers 503 storage/unavailable, naming what to check', { timeout: 120_000 }, async () => {
    const postgres = await startThrowawayPostgres();
    const p = await startPlane({ kind: 'postgres', url: postgres.url });
    try {
      const before = await p.call('/v1/credentials');
      assert.equal(before.status, 200);
      // No job in flight when the database goes: pg-boss 10 completes or fails a finished job
      // without awaiting it; its statement waits for the server (the test below), but this
      // test closes the node while the server is still gone, and then it fails (docs/deploy.md).
      await p.until(async () => {
        const offers = await p.call('/v1/offers?limit=1');
        return offers.ok && ((await offers.json()) as { offers: unknown[] }).offers.length > 0;
      }, 'the first catalog sync');
      await new Promise((r) => setTimeout(r, 500));
      await postgres.stop();
      for (const path of ['/v1/credentials', '/v1/instances', '/healthz']) {
        const response = await p.call(path);
        const text = await response.text();
        assert.equal(response.status, 503, `${path}: ${text}`);
        const { error } = ErrorBody.parse(JSON.parse(text));
        assert.equal(error.code, 'storage/unavailable', `${path}: ${text}`);
        assert.match(error.message, /check that it is running and reachable/);
        assert.doesNotMatch(error.message, /SELECT|INSERT/);
      }
    } finally {
      await p.close().catch(() => undefined);
      await postgres.stop().catch(() => undefined);
    }
  });

  it(
    "holds pg-boss's statements through a restart instead of failing them",
    { timeout: 120_000 },
    async () => {
      const postgres = await startThrowawayPostgres();
      const storage = await openStorage({ kind: 'postgres', url: postgres.url });
      try {
        const Row = z.object({ rows: z.array(z.object({ n: z.number() })) });
        assert.deepEqual(Row.parse(await storage.jobs.db.executeSql('SELECT 1 AS n')).rows, [
          { n: 1 },
        ]);
        await postgres.pause();
        let settled = false;
        const during = storage.jobs.db.executeSql('SELECT 2 AS n').finally(() => {
          settled = true;
        });
        await new Promise((r) => setTimeout(r, 1_500));
        assert.equal(settled, false, 'the statement waits for the server');
        await postgres.resume();
        assert.deepEqual(Row.parse(await during).rows, [{ n: 2 }]);
      } finally {
        await storage.close();
        await postgres.stop();
      }
    },
  );
});
