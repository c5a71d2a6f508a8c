import { z } from 'zod';
import { CHECK_GROUPS, type CheckId } from './check-ids.js';

/** The JSON report (schemaVersion 1). docs/conformance.md documents every field. */
export const CHECK_STATUSES = ['pass', 'fail', 'skip', 'error'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export const CheckResultSchema = z.object({
  id: z.string(),
  group: z.enum(CHECK_GROUPS),
  title: z.string(),
  status: z.enum(CHECK_STATUSES),
  durationMs: z.number().nonnegative(),
  /** Why it was skipped, or what went wrong. */
  message: z.string().optional(),
  expected: z.string().optional(),
  actual: z.string().optional(),
  /** The contract rule a failure breaks, and where it is explained. */
  hint: z.string().optional(),
});
export type CheckResult = z.infer<typeof CheckResultSchema> & { id: CheckId };

export const ConformanceReportSchema = z.object({
  schemaVersion: z.literal(1),
  provider: z.string(),
  startedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  summary: z.object({
    passed: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    errored: z.number().int(),
  }),
  /** Facts learned on the way: the instance type used, the SSH host key fingerprint. */
  facts: z.record(z.string(), z.string()),
  checks: z.array(CheckResultSchema),
  /** Cloud ids the suite created and could not delete: terminate these by hand. */
  leaked: z.array(z.string()),
});
export type ConformanceReport = z.infer<typeof ConformanceReportSchema>;

export function isPassing(report: ConformanceReport): boolean {
  return report.summary.failed === 0 && report.summary.errored === 0 && report.leaked.length === 0;
}

function xml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

function failureText(check: z.infer<typeof CheckResultSchema>): string {
  return [
    check.message,
    check.expected && `expected: ${check.expected}`,
    check.actual && `actual: ${check.actual}`,
    check.hint && `hint: ${check.hint}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** JUnit XML: one testsuite per group. */
export function toJUnit(report: ConformanceReport): string {
  const suites = CHECK_GROUPS.map((group) => {
    const checks = report.checks.filter((c) => c.group === group);
    const count = (s: CheckStatus) => checks.filter((c) => c.status === s).length;
    const cases = checks.map((check) => {
      const open = `    <testcase classname="conformance.${group}" name="${xml(check.id)}" time="${(check.durationMs / 1000).toFixed(3)}">`;
      const body =
        check.status === 'fail'
          ? `\n      <failure message="${xml(check.message ?? 'failed')}">${xml(failureText(check))}</failure>\n    `
          : check.status === 'error'
            ? `\n      <error message="${xml(check.message ?? 'error')}">${xml(failureText(check))}</error>\n    `
            : check.status === 'skip'
              ? `\n      <skipped message="${xml(check.message ?? '')}"/>\n    `
              : '';
      return `${open}${body}</testcase>`;
    });
    const time = (checks.reduce((n, c) => n + c.durationMs, 0) / 1000).toFixed(3);
    return `  <testsuite name="${group}" tests="${checks.length}" failures="${count('fail')}" errors="${count('error')}" skipped="${count('skip')}" time="${time}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="cloudplane conformance: ${xml(report.provider)}">\n${suites.join('\n')}\n</testsuites>\n`;
}

const ICON: Record<CheckStatus, string> = { pass: '✅', fail: '❌', skip: '⏭️', error: '💥' };

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function toMarkdown(report: ConformanceReport): string {
  const { passed, failed, skipped, errored } = report.summary;
  const lines = [
    `# Conformance: ${report.provider}`,
    '',
    `${passed} passed, ${failed} failed, ${skipped} skipped, ${errored} errored in ${(report.durationMs / 1000).toFixed(1)} s (started ${report.startedAt}).`,
    '',
    '| | check | group | time | note |',
    '|---|---|---|---|---|',
    ...report.checks.map(
      (c) =>
        `| ${ICON[c.status]} | \`${c.id}\` | ${c.group} | ${c.durationMs} ms | ${cell(c.message ?? c.title)} |`,
    ),
  ];
  const failures = report.checks.filter((c) => c.status === 'fail' || c.status === 'error');
  if (failures.length > 0) {
    lines.push('', '## Failures');
    for (const f of failures) {
      lines.push(
        '',
        `### \`${f.id}\`: ${f.title}`,
        '',
        ...failureText(f)
          .split('\n')
          .map((l) => `- ${l}`),
      );
    }
  }
  if (report.leaked.length > 0) {
    lines.push(
      '',
      '## Not deleted',
      '',
      'Terminate these by hand:',
      '',
      ...report.leaked.map((id) => `- \`${id}\``),
    );
  }
  const facts = Object.entries(report.facts);
  if (facts.length > 0)
    lines.push('', '## Facts', '', ...facts.map(([k, v]) => `- ${k}: \`${v}\``));
  return `${lines.join('\n')}\n`;
}
