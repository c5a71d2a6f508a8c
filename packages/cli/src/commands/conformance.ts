import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { Command, Option } from '@commander-js/extra-typings';
// Only the group names at load time: the suite itself (ssh2 and every check) loads when the
// command runs, so the CLI's other commands start without it.
import { CHECK_GROUPS } from '@cloudplane/conformance/check-ids';
import type { CheckResult, ConformanceReport, Probes } from '@cloudplane/conformance';
import type { Provider } from '@cloudplane/sdk';
import { z } from 'zod';
import { BUILT_IN_PROVIDER_IDS, loadCredential, loadProvider } from '../provider-input.js';

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

async function render(
  report: ConformanceReport,
  format: 'json' | 'junit' | 'markdown',
): Promise<string> {
  const { toJUnit, toMarkdown } = await import('@cloudplane/conformance');
  if (format === 'junit') return toJUnit(report);
  if (format === 'markdown') return toMarkdown(report);
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** A probe command: what the shell runs, never empty. */
const ProbeCommandSchema = z
  .string()
  .trim()
  .min(1, 'must be a shell command, such as "./probes.sh capacity"');

const PROBE_FLAGS = {
  provokeCapacityError: '--probe-capacity-error',
  failListPage: '--probe-fail-list-page',
} as const satisfies Record<keyof Probes, string>;

/** The longest a probe command may take, each way. */
const PROBE_TIMEOUT_MS = 5 * 60_000;

type ProbeFlags = { probeCapacityError?: string; probeFailListPage?: string };

/**
 * The suite's probes (its `Probes` option) from the CLI's flags: each is a shell command run once
 * with CLOUDPLANE_PROBE=provoke before its check and once with CLOUDPLANE_PROBE=restore after it,
 * so a third party can prove the same checks against their own test target.
 */
function probesFromFlags(
  flags: ProbeFlags,
): { success: true; probes?: Probes } | { success: false; message: string } {
  const given = {
    provokeCapacityError: flags.probeCapacityError,
    failListPage: flags.probeFailListPage,
  };
  const probes: { -readonly [K in keyof Probes]: Probes[K] } = {};
  for (const name of Object.keys(PROBE_FLAGS) as (keyof Probes)[]) {
    const raw = given[name];
    if (raw === undefined) continue;
    const parsed = ProbeCommandSchema.safeParse(raw);
    if (!parsed.success) {
      return {
        success: false,
        message: `${PROBE_FLAGS[name]} ${parsed.error.issues[0]?.message ?? 'is invalid'}`,
      };
    }
    const command = parsed.data;
    probes[name] = async () => {
      await runProbe(command, name, 'provoke');
      return () => runProbe(command, name, 'restore');
    };
  }
  return Object.keys(probes).length === 0 ? { success: true } : { success: true, probes };
}

/** Runs a probe command; its output goes to stderr (stdout may carry the JSON report). */
function runProbe(command: string, name: keyof Probes, action: 'provoke' | 'restore') {
  return new Promise<void>((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      env: { ...process.env, CLOUDPLANE_PROBE: action, CLOUDPLANE_PROBE_NAME: name },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: PROBE_TIMEOUT_MS,
    });
    let said = '';
    const relay = (chunk: Buffer) => {
      said = (said + chunk.toString()).slice(-500);
      process.stderr.write(chunk);
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else {
        const how = signal === null ? `exited with ${String(code)}` : `was stopped (${signal})`;
        reject(
          new Error(
            `the ${PROBE_FLAGS[name]} command (CLOUDPLANE_PROBE=${action}) ${how}${said.trim() === '' ? '' : `: ${said.trim()}`}`,
          ),
        );
      }
    });
  });
}

export function conformanceCommand(): Command {
  const command = new Command('conformance')
    .description('run the conformance suite against a provider adapter and its live API')
    .option(
      '--provider <id|package|path>',
      `the adapter: ${BUILT_IN_PROVIDER_IDS.join(', ')}, a package name, or a module path`,
    )
    .option(
      '--credential <file|env:VAR>',
      'credential JSON file, or env:VAR with the JSON in an environment variable',
    )
    .option(
      '--devcloud',
      'start a local devcloud and test the devcloud adapter against it (no credential needed)',
    )
    .option(
      '--location <name>',
      'launch in this location; for a locational provider, also the only location the run covers (default: every location it lists)',
    )
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
    .option(
      '--probe-capacity-error <command>',
      'a shell command that makes launches fail for lack of capacity (run with CLOUDPLANE_PROBE=provoke before lifecycle.capacity-error, =restore after)',
    )
    .option(
      '--probe-fail-list-page <command>',
      'a shell command that makes a page of the instance list fail (run with CLOUDPLANE_PROBE=provoke before lifecycle.list-complete, =restore after)',
    )
    .action(async (options) => {
      const scale = z.coerce.number().positive().safeParse(options.timeoutScale);
      if (!scale.success)
        return command.error(
          `--timeout-scale must be a positive number, got "${options.timeoutScale}"`,
        );
      const given = probesFromFlags(options);
      if (!given.success) return command.error(given.message);
      let provider: Provider;
      let credential: unknown;
      let probes: Probes | undefined;
      let closeLocal: (() => Promise<void>) | undefined;
      if (options.devcloud === true) {
        // Loaded here, not at the top: every other command starts faster without the devcloud.
        const { startLocalDevcloud } = await import('../local-devcloud.js');
        const { conformanceProbes } = await import('@cloudplane/devcloud');
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
      const { runConformance, isPassing } = await import('@cloudplane/conformance');
      const report = await runConformance({
        provider,
        credential,
        signal: controller.signal,
        timeouts: { ...timeouts, ...(options.devcloud === true ? { pollMs: 200 } : {}) },
        ...(options.location !== undefined ? { location: options.location } : {}),
        ...(options.instanceType !== undefined ? { instanceType: options.instanceType } : {}),
        ...(options.stableId !== undefined ? { stableInstanceTypeIds: options.stableId } : {}),
        ...(options.only !== undefined ? { select: options.only } : {}),
        ...(probes || given.probes ? { probes: { ...probes, ...given.probes } } : {}),
        ...(options.json === true
          ? {}
          : { onProgress: (r: CheckResult) => process.stdout.write(`${progressLine(r)}\n`) }),
      });
      process.removeListener('SIGINT', onSigint);
      await closeLocal?.();
      if (options.out !== undefined)
        await writeFile(options.out, await render(report, options.report));
      if (options.json === true) process.stdout.write(await render(report, 'json'));
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
