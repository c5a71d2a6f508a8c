import { writeFile } from 'node:fs/promises';
import { Command, Option } from '@commander-js/extra-typings';
import {
  CHECK_GROUPS,
  isPassing,
  runConformance,
  toJUnit,
  toMarkdown,
  type CheckResult,
  type ConformanceReport,
  type Probes,
} from '@cloudplane/conformance';
import type { Provider } from '@cloudplane/sdk';
import { z } from 'zod';
import { conformanceProbes } from '@cloudplane/devcloud';
import { startLocalDevcloud } from '../local-devcloud.js';
import { loadCredential, loadProvider } from '../provider-input.js';

/** `cloudplane conformance`: prove an adapter keeps the provider contract against a live API. */

const ICON: Record<CheckResult['status'], string> = { pass: '✓', fail: '✗', skip: '-', error: '!' };

function progressLine(result: CheckResult): string {
  const head = `${ICON[result.status]} ${result.id.padEnd(30)} ${String(result.durationMs).padStart(6)} ms`;
  if (result.status === 'pass') return head;
  if (result.status === 'skip') return `${head}  skipped: ${result.message ?? ''}`;
  return [
    head,
    `    ${result.message ?? ''}`,
    result.expected && `    expected: ${result.expected}`,
    result.actual && `    actual:   ${result.actual}`,
    result.hint && `    rule:     ${result.hint}`,
  ]
    .filter(Boolean)
    .join('\n');
}

function render(report: ConformanceReport, format: 'json' | 'junit' | 'markdown'): string {
  if (format === 'junit') return toJUnit(report);
  if (format === 'markdown') return toMarkdown(report);
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function conformanceCommand(): Command {
  const command = new Command('conformance')
    .description('run the conformance suite against a provider adapter and its live API')
    .option(
      '--provider <id|package|path>',
      'the adapter: devcloud, lambda, shadeform, a package name, or a module path',
    )
    .option(
      '--credential <file|env:VAR>',
      'credential JSON file, or env:VAR with the JSON in an environment variable',
    )
    .option(
      '--devcloud',
      'start a local devcloud and test the devcloud adapter against it (no credential needed)',
    )
    .option('--location <name>', 'launch in this location')
    .option('--instance-type <name>', 'launch this type (default: the cheapest available)')
    .option('--stable-id <id...>', 'instance-type ids that must exist')
    .addOption(new Option('--only <group...>', 'run only these groups').choices(CHECK_GROUPS))
    .addOption(
      new Option('--report <format>', 'report format for --out')
        .choices(['json', 'junit', 'markdown'] as const)
        .default('markdown' as const),
    )
    .option('--out <file>', 'write the report here')
    .option('--json', 'print the JSON report on stdout (no progress output)')
    .option('--timeout-scale <n>', 'multiply every timeout (slow clouds)', '1')
    .action(async (options) => {
      const scale = z.coerce.number().positive().safeParse(options.timeoutScale);
      if (!scale.success)
        return command.error(
          `--timeout-scale must be a positive number, got "${options.timeoutScale}"`,
        );
      let provider: Provider;
      let credential: unknown;
      let probes: Probes | undefined;
      let closeLocal: (() => Promise<void>) | undefined;
      if (options.devcloud === true) {
        const cloud = await startLocalDevcloud();
        provider = await loadProvider('devcloud');
        credential = { apiKey: cloud.apiKey, baseUrl: cloud.url };
        probes = conformanceProbes(cloud);
        closeLocal = () => cloud.close();
      } else {
        if (options.provider === undefined || options.credential === undefined) {
          return command.error(
            'give --provider and --credential (or --devcloud to test against a local devcloud)',
          );
        }
        try {
          provider = await loadProvider(options.provider);
          credential = await loadCredential(provider, options.credential);
        } catch (err) {
          return command.error(err instanceof Error ? err.message : String(err));
        }
      }
      const controller = new AbortController();
      const onSigint = () => {
        process.stderr.write('\ninterrupted: cleaning up what the suite created...\n');
        controller.abort(new Error('interrupted'));
      };
      process.once('SIGINT', onSigint);
      const base = { callMs: 120_000, runningMs: 1_200_000, transitionMs: 600_000, sshMs: 180_000 };
      const timeouts = Object.fromEntries(
        Object.entries(base).map(([k, v]) => [k, Math.round(v * scale.data)]),
      );
      if (options.json !== true) process.stdout.write(`conformance: ${provider.id}\n`);
      const report = await runConformance({
        provider,
        credential,
        signal: controller.signal,
        timeouts: { ...timeouts, ...(options.devcloud === true ? { pollMs: 200 } : {}) },
        ...(options.location !== undefined ? { location: options.location } : {}),
        ...(options.instanceType !== undefined ? { instanceType: options.instanceType } : {}),
        ...(options.stableId !== undefined ? { stableInstanceTypeIds: options.stableId } : {}),
        ...(options.only !== undefined ? { select: options.only } : {}),
        ...(probes ? { probes } : {}),
        ...(options.json === true
          ? {}
          : { onProgress: (r: CheckResult) => process.stdout.write(`${progressLine(r)}\n`) }),
      });
      process.removeListener('SIGINT', onSigint);
      await closeLocal?.();
      if (options.out !== undefined) await writeFile(options.out, render(report, options.report));
      if (options.json === true) process.stdout.write(render(report, 'json'));
      else {
        const { passed, failed, skipped } = report.summary;
        process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
        if (report.leaked.length > 0)
          process.stdout.write(`NOT DELETED (terminate by hand): ${report.leaked.join(', ')}\n`);
      }
      process.exitCode = controller.signal.aborted ? 130 : isPassing(report) ? 0 : 1;
    });
  return command;
}
