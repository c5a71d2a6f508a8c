import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runLeg, type Engine } from '../faults/campaign.js';
import { legOptions } from '../faults/main.js';
import { formatLeg, legViolations } from '../faults/report.js';

/**
 * A short, seeded fault campaign (as `npm run faults -- --short --engines pglite`, smaller):
 * injected faults and kill -9s of serve under a workload, then the invariants against devcloud's
 * ground truth. PGlite only: on PostgreSQL a killed node's jobs block their queues until pg-boss
 * expires them (docs/reliability.md), which does not fit a quick test. The full campaign on both
 * engines and its figures: docs/reliability.md.
 *
 * test:long (scripts/run-tests.mjs): minutes of workload and waiting for quiet, mostly waiting, so
 * it runs beside the other files. Their load slows the workload down, so the limits below are
 * generous (they bound a hang, they are not targets), and kills stop at three: each restart of
 * serve costs seconds of CPU, which a loaded machine would pay again with more kills.
 */

const SEED = 20_251;

describe('fault campaign (short, seeded)', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'cloudplane-faults-test-'));
  let keep = false;
  after(() => {
    if (keep) console.log(`fault campaign: serve logs and data kept in ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  });

  for (const engine of ['pglite'] as const satisfies readonly Engine[]) {
    it(`${engine}: no violation, every target met (seed ${String(SEED)})`, async (t) => {
      const leg = await runLeg(
        legOptions(
          {
            seed: SEED,
            short: true,
            engines: [engine],
            faults: 60,
            kills: 2,
            maxKills: 3,
            maxMinutes: 6,
            quietMinutes: 5,
            workDir,
            log: () => undefined,
          },
          engine,
        ),
      );
      const table = formatLeg(leg);
      for (const line of table.split('\n')) t.diagnostic(line);
      if (legViolations(leg) > 0 || leg.problems.length > 0) keep = true;
      assert.equal(legViolations(leg), 0, table);
      assert.deepEqual(leg.problems, [], table);
      assert.ok(leg.faultTotal >= 60, table);
      assert.ok(leg.kills >= 2, table);
      const kinds = new Set(Object.values(leg.faults).flatMap((byKind) => Object.keys(byKind)));
      assert.ok(kinds.size >= 4, `at least 4 kinds of fault: ${table}`);
      assert.ok(Object.keys(leg.faults.createInstance ?? {}).length > 0, table);
    });
  }
});
