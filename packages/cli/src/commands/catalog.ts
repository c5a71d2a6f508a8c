import { Command } from '@commander-js/extra-typings';
import {
  bytesIn,
  compareMoney,
  isCloudError,
  moneyToDecimal,
  silentLogger,
  type GpuSpec,
  type InstanceType,
  type Logger,
  type Provider,
} from '@cloudplane/sdk';
import { BUILT_IN_PROVIDER_IDS, loadCredential, loadProvider } from '../provider-input.js';

/**
 * `cloudplane catalog`: a provider's normalized instance types, straight from its API (no control
 * plane). `--json` prints exactly one document, `{ provider, instanceTypes }`; otherwise a table
 * sorted by price.
 */

/** The id the CLI's clients carry; the catalog never creates anything, so none is stored. */
const CLI_CRED_REF_ID = 'cloudplane-cli';

export function catalogCommand(): Command {
  const command = new Command('catalog')
    .description("print a provider's instance types, normalized, straight from its API")
    .requiredOption(
      '--provider <id|package|path>',
      `the adapter: ${BUILT_IN_PROVIDER_IDS.join(', ')}, a package name, or a module path`,
    )
    .requiredOption(
      '--credential <file|env:VAR>',
      'credential JSON file, or env:VAR with the JSON in an environment variable',
    )
    .option('--location <name>', 'only this location')
    .option('--json', 'print one JSON document { "provider", "instanceTypes" } on stdout')
    .option('--verbose', "print the adapter's warnings on stderr")
    .action(async (options) => {
      let provider: Provider;
      let types: InstanceType[];
      // What the provider says is shown scrubbed of the credential: some clouds echo the request
      // in their errors, and this output lands in CI logs.
      let scrub = (text: string) => text;
      try {
        provider = await loadProvider(options.provider);
        const credential = await loadCredential(provider, options.credential);
        // The fetch alone, not the control plane: no database, server or other adapters to load.
        const { fetchCatalog } = await import('@cloudplane/control-plane/catalog-fetch');
        const { credentialScrubber, scrubbingLogger } =
          await import('@cloudplane/control-plane/scrub');
        scrub = credentialScrubber(provider, credential);
        const logger =
          options.verbose === true ? scrubbingLogger(stderrLogger, scrub) : silentLogger;
        types = await fetchCatalog({
          provider,
          credential,
          cloudCredRefId: CLI_CRED_REF_ID,
          logger,
          location: options.location,
        });
      } catch (err) {
        return command.error(`cloudplane catalog: ${scrub(describeError(err))}`, { exitCode: 1 });
      }
      if (options.json === true) {
        process.stdout.write(
          `${JSON.stringify({ provider: provider.id, instanceTypes: types })}\n`,
        );
        return;
      }
      process.stdout.write(table(types));
    });
  return command;
}

function describeError(err: unknown): string {
  if (isCloudError(err)) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

const stderrLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (obj, msg) => process.stderr.write(`warning: ${msg} ${JSON.stringify(obj)}\n`),
  error: (obj, msg) => process.stderr.write(`error: ${msg} ${JSON.stringify(obj)}\n`),
};

/** "8x H100 80G SXM5"; the provider's own words when the GPU is not in the table. */
export function describeGpus(gpus: readonly GpuSpec[]): string {
  if (gpus.length === 0) return '-';
  return gpus
    .map((g) => {
      const { name, memoryGiB, formFactor } = g.gpu;
      const model =
        name === null
          ? g.raw
          : [name, memoryGiB === null ? null : `${memoryGiB}G`, formFactor]
              .filter((part) => part !== null)
              .join(' ');
      return g.fraction === undefined ? `${g.count}x ${model}` : `${g.fraction} of ${model}`;
    })
    .join(' + ');
}

function byPrice(a: InstanceType, b: InstanceType): number {
  const currency = a.price.currency.localeCompare(b.price.currency);
  if (currency !== 0) return currency;
  return (
    compareMoney(a.price, b.price) ||
    a.type.localeCompare(b.type) ||
    a.location.localeCompare(b.location)
  );
}

function table(types: readonly InstanceType[]): string {
  const header = ['TYPE', 'LOCATION', 'GPUS', 'VCPU', 'RAM', 'PRICE/H', 'AVAILABLE'];
  const rows = [...types]
    .sort(byPrice)
    .map((t) => [
      t.type,
      t.subLocation === undefined ? t.location : `${t.location}/${t.subLocation}`,
      describeGpus(t.gpus),
      String(t.vcpu),
      `${Math.round(bytesIn(t.memory, 'GiB'))} GiB`,
      `${moneyToDecimal(t.price)} ${t.price.currency}`,
      t.available ? 'yes' : 'no',
    ]);
  const numeric = new Set([3, 4, 5]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        return numeric.has(i) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const available = types.filter((t) => t.available).length;
  return [
    line(header),
    ...rows.map(line),
    '',
    `${types.length} instance types, ${available} available`,
    '',
  ].join('\n');
}
