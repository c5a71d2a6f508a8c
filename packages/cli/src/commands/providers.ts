import { Command } from '@commander-js/extra-typings';
import { z } from 'zod';
import { ApiClient, failingWith, table, tokenOption, urlOption } from '../api-client.js';

/** `cloudplane providers scorecard`: how each credential's provider has been doing. */

const rate = z.number().nullable();
const Window = z.object({
  catalogSyncs: z.number(),
  catalogSyncSuccessRate: rate,
  launches: z.number(),
  createSuccessRate: rate,
  capacityErrorRate: rate,
  timeToRunningSeconds: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
});
const Scorecards = z.object({
  scorecards: z.array(
    z.object({
      credentialId: z.string(),
      name: z.string(),
      provider: z.string(),
      windows: z.object({ hour: Window, day: Window }),
      lastError: z.object({ at: z.string(), what: z.string(), message: z.string() }).nullable(),
    }),
  ),
});

const percent = (value: number | null) =>
  value === null ? '-' : `${(value * 100).toFixed(value === 1 || value === 0 ? 0 : 1)}%`;
const seconds = (value: number | null) => (value === null ? '-' : `${value.toFixed(1)}s`);

export function providersCommand(): Command {
  const command = new Command('providers').description('provider health');
  const guard = failingWith(command, 'providers');

  command
    .command('scorecard')
    .description(
      'per credential, last hour and day: catalog-sync and create success, capacity errors, time to running, last error',
    )
    .addOption(urlOption())
    .addOption(tokenOption())
    .option('--json', 'print JSON')
    .action((options) =>
      guard(async () => {
        const { scorecards } = await new ApiClient(options).request(
          'GET',
          '/v1/providers/scorecards',
          Scorecards,
        );
        if (options.json === true) {
          process.stdout.write(`${JSON.stringify(scorecards)}\n`);
          return;
        }
        const rows = scorecards.flatMap((card) =>
          (['hour', 'day'] as const).map((window) => {
            const w = card.windows[window];
            return [
              card.name,
              card.provider,
              window,
              `${percent(w.catalogSyncSuccessRate)} of ${String(w.catalogSyncs)}`,
              `${percent(w.createSuccessRate)} of ${String(w.launches)}`,
              percent(w.capacityErrorRate),
              `${seconds(w.timeToRunningSeconds.p50)} / ${seconds(w.timeToRunningSeconds.p95)}`,
              window === 'hour' && card.lastError
                ? `${card.lastError.what}: ${card.lastError.message}`.slice(0, 80)
                : '',
            ];
          }),
        );
        process.stdout.write(
          table(
            [
              'CREDENTIAL',
              'PROVIDER',
              'WINDOW',
              'CATALOG SYNCS',
              'CREATES',
              'CAPACITY ERR',
              'TO RUNNING P50/P95',
              'LAST ERROR',
            ],
            rows,
          ),
        );
      }),
    );
  return command;
}
