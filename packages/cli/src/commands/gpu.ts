import { createInterface } from 'node:readline';
import { Command } from '@commander-js/extra-typings';
import { GPU_MODELS, normalizeGpu, variantKey, type GpuRecord } from '@cloudplane/sdk';
import { z } from 'zod';

/** `cloudplane gpu`: the GPU catalog and normalizer from the command line. */

const InputLineSchema = z.object({
  raw: z.string(),
  source: z.string().optional(),
  // Writers that serialise a missing field as null (`"context": null`) mean "no context".
  context: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((context) => context ?? undefined),
});

const ContextFlagSchema = z.record(z.string(), z.unknown());

/**
 * `cloudplane gpu models | head`: once the reader has closed the pipe, the rest of the output has
 * nowhere to go. End quietly with status 0, as Unix filters do, instead of crashing on an
 * unhandled EPIPE. Other write errors stay errors.
 */
function endQuietlyWhenStdoutCloses(): void {
  if (process.stdout.listeners('error').includes(onStdoutError)) return;
  process.stdout.on('error', onStdoutError);
}

function onStdoutError(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
}

/** Exactly the record's six fields, in a fixed order. */
function recordLine(record: GpuRecord): string {
  const { name, manufacturer, memoryGiB, memoryType, formFactor, architecture } = record;
  return JSON.stringify({ name, manufacturer, memoryGiB, memoryType, formFactor, architecture });
}

/**
 * One output line per input line, in order. A line that is not valid input gets a record of
 * nulls (so outputs stay aligned with inputs) and an error on stderr naming the line; the
 * command then exits 1.
 */
async function normalizeJsonLines(): Promise<number> {
  let lineNumber = 0;
  let failures = 0;
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const parsed = parseLine(line);
    if (!parsed.success) {
      failures++;
      process.stderr.write(`line ${lineNumber}: ${parsed.error}\n`);
      process.stdout.write(
        `${recordLine({ name: null, manufacturer: null, memoryGiB: null, memoryType: null, formFactor: null, architecture: null })}\n`,
      );
      continue;
    }
    const { raw, source, context } = parsed.data;
    const { record } = normalizeGpu(raw, {
      ...(source ? { source } : {}),
      ...(context ? { context } : {}),
    });
    process.stdout.write(`${recordLine(record)}\n`);
  }
  return failures === 0 ? 0 : 1;
}

function parseLine(
  line: string,
): { success: true; data: z.infer<typeof InputLineSchema> } | { success: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return {
      success: false,
      error: 'not JSON; expected {"raw": "...", "source": "...", "context": {...}}',
    };
  }
  const result = InputLineSchema.safeParse(json);
  if (result.success) return { success: true, data: result.data };
  const issue = result.error.issues[0];
  return {
    success: false,
    error: `${issue?.path.join('.') || 'line'}: ${issue?.message ?? 'invalid'}`,
  };
}

function printReadable(
  raw: string,
  source: string | undefined,
  context: Record<string, unknown> | undefined,
): void {
  const { record, warnings, sku } = normalizeGpu(raw, {
    ...(source ? { source } : {}),
    ...(context ? { context } : {}),
  });
  const rows: [string, string][] = [
    ['input', JSON.stringify(raw)],
    ['variant', variantKey(record)],
    ...Object.entries(record).map(([k, v]): [string, string] => [
      k,
      v === null ? '(unknown)' : String(v),
    ]),
  ];
  if (sku) {
    const gpus =
      sku.fraction !== undefined
        ? `${Math.round(sku.fraction * 1000) / 1000} of one GPU`
        : sku.count === null
          ? 'GPU count not in the name'
          : `${sku.count} GPU${sku.count === 1 ? '' : 's'}`;
    rows.push(['sku', `${sku.scheme}, ${gpus}`]);
  }
  for (const [key, value] of rows) process.stdout.write(`${key.padEnd(13)} ${value}\n`);
  for (const w of warnings) process.stdout.write(`warning       ${w.kind}: ${w.message}\n`);
}

export function gpuCommand(): Command {
  const gpu = new Command('gpu').description(
    'the GPU catalog: normalize provider GPU strings, list models',
  );
  gpu
    .command('normalize')
    .description('normalize a GPU string, or JSON lines on stdin with --jsonl')
    .argument('[raw]', 'a provider GPU string, e.g. "NVIDIA H100 80GB HBM3"')
    .option('--jsonl', 'read {"raw","source","context"} lines on stdin; write one record per line')
    .option('--source <provider>', 'where the string came from (aws, lambda, lspci, ...)')
    .option('--context <json>', 'what the provider said beside it, as a JSON object')
    .option('--json', 'print the record as JSON')
    .action(async (raw, options) => {
      endQuietlyWhenStdoutCloses();
      if (options.jsonl === true) {
        process.exitCode = await normalizeJsonLines();
        return;
      }
      if (raw === undefined) {
        return gpu.error('give a GPU string, or --jsonl to read JSON lines from stdin');
      }
      let context: Record<string, unknown> | undefined;
      if (options.context !== undefined) {
        const parsed = ContextFlagSchema.safeParse(safeJson(options.context));
        if (!parsed.success)
          return gpu.error('--context must be a JSON object, e.g. \'{"memory.total_mib": 81559}\'');
        context = parsed.data;
      }
      if (options.json === true) {
        const result = normalizeGpu(raw, {
          ...(options.source ? { source: options.source } : {}),
          ...(context ? { context } : {}),
        });
        process.stdout.write(
          `${JSON.stringify({ ...result.record, warnings: result.warnings, ...(result.sku ? { sku: result.sku } : {}) }, null, 2)}\n`,
        );
        return;
      }
      printReadable(raw, options.source, context);
    });
  gpu
    .command('models')
    .description('list the canonical model table')
    .option('--json', 'print the table as JSON')
    .action((options) => {
      endQuietlyWhenStdoutCloses();
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(GPU_MODELS, null, 2)}\n`);
        return;
      }
      for (const m of GPU_MODELS) {
        const variants = m.variants
          .map((v) =>
            [
              `${v.memoryGiB}G`,
              v.memoryType ?? '',
              v.formFactor ?? '',
              v.aftermarket ? '(aftermarket)' : '',
            ]
              .filter(Boolean)
              .join(' '),
          )
          .join(', ');
        process.stdout.write(
          `${m.name.padEnd(13)} ${m.manufacturer.padEnd(7)} ${m.architecture.padEnd(19)} ${String(m.launchYear)}  ${variants}\n`,
        );
      }
    });
  return gpu;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
