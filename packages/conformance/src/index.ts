export { runConformance } from './runner.js';
export {
  CHECKS,
  CHECK_IDS,
  CHECK_GROUPS,
  checkInfo,
  type CheckId,
  type CheckGroup,
  type CheckInfo,
} from './check-ids.js';
export {
  ConformanceReportSchema,
  CheckResultSchema,
  CHECK_STATUSES,
  isPassing,
  toJUnit,
  toMarkdown,
  type ConformanceReport,
  type CheckResult,
  type CheckStatus,
} from './report.js';
export {
  DEFAULT_TIMEOUTS,
  type ConformanceOptions,
  type Probes,
  type Timeouts,
} from './options.js';
export { CONFORMANCE_TAG } from './checks/lifecycle.js';
