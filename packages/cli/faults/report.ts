import type { LegReport } from './campaign.js';

/** The campaign's printed table: faults by endpoint and kind, kills, invariants, violations. */

const KINDS = [
  'error',
  'rate-limit',
  'timeout',
  'malformed',
  'error-after',
  'timeout-after',
  'failPage',
  'outOfCapacity',
] as const;

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0, i > 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function legViolations(leg: LegReport): number {
  return leg.invariants.reduce((n, i) => n + i.violations.length, 0);
}

export function formatLeg(leg: LegReport): string {
  const endpoints = Object.keys(leg.faults).sort();
  const kindTotals = KINDS.map((k) => endpoints.reduce((n, e) => n + (leg.faults[e]?.[k] ?? 0), 0));
  const faultRows = endpoints.map((e) => {
    const cells = KINDS.map((k) => String(leg.faults[e]?.[k] ?? 0));
    const total = KINDS.reduce((n, k) => n + (leg.faults[e]?.[k] ?? 0), 0);
    return [e, String(leg.requests[e] ?? 0), ...cells, String(total)];
  });
  faultRows.push(['total', '', ...kindTotals.map(String), String(leg.faultTotal)]);
  const invariantRows = leg.invariants.map((i) => [
    i.name,
    String(i.checked),
    String(i.violations.length),
  ]);
  const workload = Object.entries(leg.workload)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([what, n]) => `${what}: ${String(n)}`)
    .join(', ');
  const out = [
    `== ${leg.engine} (seed ${String(leg.seed)}): ${String(leg.faultTotal)} faults, ${String(leg.kills)} kill -9 of serve, wall ${(leg.wallMs / 1000).toFixed(0)} s (workload ${(leg.workloadMs / 1000).toFixed(0)} s, quiet after ${(leg.quietMs / 1000).toFixed(0)} s)`,
    '',
    'faults injected (by endpoint and kind; "requests" = requests devcloud received)',
    table(['endpoint', 'requests', ...KINDS, 'total'], faultRows),
    '',
    `fault epochs: ${String(leg.epochs)}; cloud instances created: ${String(leg.cloudInstancesCreated)}; rows: ${String(leg.rows)}; API requests sent again while serve was down: ${String(leg.apiResent)}`,
    `workload: ${workload}`,
    '',
    table(['invariant', 'checked', 'violations'], invariantRows),
  ];
  for (const invariant of leg.invariants) {
    for (const v of invariant.violations.slice(0, 20))
      out.push(`  VIOLATION ${invariant.name}: ${v}`);
    if (invariant.violations.length > 20)
      out.push(`  ... and ${String(invariant.violations.length - 20)} more`);
  }
  if (leg.leftoverJobs.length > 0) {
    out.push(
      `  note: ${String(leg.leftoverJobs.length)} job(s) still scheduled whose instance has nothing left to do (they no-op when they run):`,
    );
    for (const j of leg.leftoverJobs.slice(0, 5)) out.push(`    ${j}`);
  }
  for (const p of leg.problems.slice(0, 20)) out.push(`  PROBLEM ${p}`);
  if (leg.problems.length > 20)
    out.push(`  ... and ${String(leg.problems.length - 20)} more problems`);
  return out.join('\n');
}
