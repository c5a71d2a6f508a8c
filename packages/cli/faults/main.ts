import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { cleanups, runLeg, type Engine, type LegOptions, type LegReport } from './campaign.js';
import { formatLeg, legViolations } from './report.js';

/**
 * `npm run faults`: the fault campaign (docs/reliability.md). Exit 0 when every leg met its
 * targets with no violation, 1 otherwise, 2 on bad flags.
 */

const USAGE = `usage: npm run faults -- [--seed N] [--short] [--engines pglite,postgres]
       [--faults N] [--kills N] [--max-kills N] [--max-minutes N] [--quiet-minutes N] [--report FILE] [--keep]

  --seed N           replay a schedule (default: a random seed, printed first)
  --short            a small campaign: 150 faults and 4 kills per engine
  --engines LIST     pglite, postgres or both (default both)
  --faults N         at least N injected faults per engine (default 1000)
  --kills N          at least N kill -9 of serve per engine (default 20)
  --max-kills N      kill at most N times (default: no limit; kills go on until the faults are in)
  --max-minutes N    stop the workload after N minutes even if short of the targets (default 25)
  --quiet-minutes N  how long to wait for quiet after the faults stop (default 12)
  --report FILE      also write the figures as JSON
  --keep             keep the work directory (serve logs, data) even when all passed`;

const Flags = z.object({
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  short: z.boolean().default(false),
  engines: z
    .string()
    .default('pglite,postgres')
    .transform((s) => s.split(',').map((e) => e.trim()))
    .pipe(z.array(z.enum(['pglite', 'postgres'])).min(1)),
  faults: z.coerce.number().int().min(1).optional(),
  kills: z.coerce.number().int().min(0).optional(),
  maxKills: z.coerce.number().int().min(0).optional(),
  maxMinutes: z.coerce.number().positive().optional(),
  quietMinutes: z.coerce.number().positive().optional(),
  report: z.string().min(1).optional(),
  keep: z.boolean().default(false),
  help: z.boolean().default(false),
});

export interface CampaignOptions {
  readonly seed: number;
  readonly short: boolean;
  readonly engines: readonly Engine[];
  readonly faults?: number | undefined;
  readonly kills?: number | undefined;
  readonly maxKills?: number | undefined;
  readonly maxMinutes?: number | undefined;
  readonly quietMinutes?: number | undefined;
  readonly workDir: string;
  readonly log: (line: string) => void;
}

/** The options of one leg, full or short. */
export function legOptions(options: CampaignOptions, engine: Engine): LegOptions {
  const short = options.short;
  return {
    seed: options.seed,
    engine,
    minFaults: options.faults ?? (short ? 150 : 1000),
    minKills: options.kills ?? (short ? 4 : 20),
    maxKills: options.maxKills ?? Number.POSITIVE_INFINITY,
    maxWorkloadMs: (options.maxMinutes ?? (short ? 1.5 : 25)) * 60_000,
    quietTimeoutMs: (options.quietMinutes ?? (short ? 3 : 12)) * 60_000,
    maxLive: short ? 40 : 150,
    workers: 4,
    killGapMs: short ? [3000, 7000] : [5000, 12_000],
    epochMs: [2000, 6000],
    // Lists span two pages (devcloud's adapter asks for 100 at a time), so a failing second
    // page is met from the start.
    foreignInstances: 100,
    credentials: short ? 2 : 4,
    workDir: options.workDir,
    log: options.log,
  };
}

export async function runCampaign(
  options: CampaignOptions,
  onLeg: (leg: LegReport) => void = () => undefined,
): Promise<LegReport[]> {
  const legs: LegReport[] = [];
  for (const engine of options.engines) {
    const leg = await runLeg(legOptions(options, engine));
    legs.push(leg);
    onLeg(leg);
  }
  return legs;
}

export function failed(leg: LegReport): boolean {
  return legViolations(leg) > 0 || leg.problems.length > 0;
}

async function main(): Promise<number> {
  let raw;
  try {
    raw = parseArgs({
      options: {
        seed: { type: 'string' },
        short: { type: 'boolean' },
        engines: { type: 'string' },
        faults: { type: 'string' },
        kills: { type: 'string' },
        'max-kills': { type: 'string' },
        'max-minutes': { type: 'string' },
        'quiet-minutes': { type: 'string' },
        report: { type: 'string' },
        keep: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  const parsed = Flags.safeParse({
    ...raw,
    maxKills: raw['max-kills'],
    maxMinutes: raw['max-minutes'],
    quietMinutes: raw['quiet-minutes'],
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    process.stderr.write(
      `--${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}\n${USAGE}\n`,
    );
    return 2;
  }
  const flags = parsed.data;
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const seed = flags.seed ?? randomInt(1, 2 ** 31);
  const workDir = mkdtempSync(join(tmpdir(), 'cloudplane-faults-'));
  const log = (line: string) => {
    process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  };
  log(
    `fault campaign, seed ${String(seed)} (replay: npm run faults -- --seed ${String(seed)}${flags.short ? ' --short' : ''}), engines ${flags.engines.join(', ')}, work dir ${workDir}`,
  );
  const started = Date.now();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping serve and the PostgreSQL cluster; work dir ${workDir} kept`);
      void Promise.allSettled([...cleanups].map((undo) => undo())).then(() => process.exit(130));
    });
  }
  const done: LegReport[] = [];
  const legs = await runCampaign(
    {
      seed,
      short: flags.short,
      engines: flags.engines,
      faults: flags.faults,
      kills: flags.kills,
      maxKills: flags.maxKills,
      maxMinutes: flags.maxMinutes,
      quietMinutes: flags.quietMinutes,
      workDir,
      log,
    },
    (leg) => {
      done.push(leg);
      // Each leg's table as soon as it is done, and the report so far.
      process.stdout.write(`\n${formatLeg(leg)}\n\n`);
      if (flags.report)
        writeFileSync(flags.report, `${JSON.stringify({ seed, legs: done }, null, 2)}\n`);
    },
  );
  const bad = legs.filter(failed);
  const violations = legs.reduce((n, l) => n + legViolations(l), 0);
  process.stdout.write(
    `campaign seed ${String(seed)}: ${legs.map((l) => `${l.engine} ${String(l.faultTotal)} faults / ${String(l.kills)} kills`).join(', ')}; ${String(violations)} violations; ${bad.length === 0 ? 'PASS' : 'FAIL'} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  if (flags.report) writeFileSync(flags.report, `${JSON.stringify({ seed, legs }, null, 2)}\n`);
  if (bad.length === 0 && !flags.keep) rmSync(workDir, { recursive: true, force: true });
  else process.stdout.write(`serve logs and data kept in ${workDir}\n`);
  return bad.length === 0 ? 0 : 1;
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(resolve(process.argv[1])).href
) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(
        `fault campaign: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exit(1);
    },
  );
}
