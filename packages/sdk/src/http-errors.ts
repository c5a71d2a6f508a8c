import { CloudError, type CloudErrorCode, MAX_DETAIL_CHARS } from './errors.js';

/**
 * Mapping HTTP failures to contract codes. Adapters first try their provider's own error codes
 * (`rules`), because a status alone is ambiguous: a 400 can be out-of-capacity at one cloud and
 * a bad argument at another. The status table is the fallback.
 */

export function codeFromHttpStatus(status: number): CloudErrorCode {
  switch (status) {
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
    case 410:
      return 'RESOURCE_NOT_FOUND';
    case 429:
      return 'RATE_LIMITED';
    case 501:
      return 'NOT_IMPLEMENTED';
    case 502:
    case 503:
    case 504:
      return 'SERVICE_UNAVAILABLE';
    case 408:
      return 'SERVICE_UNAVAILABLE';
    default:
      if (status >= 500) return 'INTERNAL';
      return 'INVALID_ARGUMENT';
  }
}

/** One rule of a provider's error table: when it matches, its code wins over the status table. */
export interface HttpErrorRule {
  readonly code: CloudErrorCode;
  /** The provider's own code found in the body, compared exactly. */
  readonly providerCode?: string;
  /** Or a pattern over the raw body text. */
  readonly bodyPattern?: RegExp;
  /** Optionally restrict the rule to these statuses. */
  readonly statuses?: readonly number[];
}

export interface HttpFailure {
  readonly status: number;
  /** Raw response text (may be empty or not JSON). */
  readonly bodyText: string;
  /** The provider's error code, if the adapter already extracted one from its error shape. */
  readonly providerCode?: string;
  /** The provider's error message, if extracted; becomes the CloudError message. */
  readonly providerMessage?: string;
  readonly retryAfterHeader?: string | null;
  /** What was being done, for the message: "launch instance", "list instances page 3". */
  readonly operation?: string;
  readonly now?: Date;
}

/**
 * Parses a Retry-After header: delta-seconds or an HTTP date. Returns undefined when absent or
 * unparseable, and never a negative delay.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now = new Date(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

function matches(rule: HttpErrorRule, failure: HttpFailure): boolean {
  if (rule.statuses && !rule.statuses.includes(failure.status)) return false;
  if (rule.providerCode !== undefined) return rule.providerCode === failure.providerCode;
  if (rule.bodyPattern) return rule.bodyPattern.test(failure.bodyText);
  return false;
}

/** Builds the CloudError for a failed HTTP call. */
export function cloudErrorFromHttp(
  failure: HttpFailure,
  rules: readonly HttpErrorRule[] = [],
): CloudError {
  const rule = rules.find((r) => matches(r, failure));
  const code = rule?.code ?? codeFromHttpStatus(failure.status);
  const retryAfterMs = parseRetryAfter(failure.retryAfterHeader, failure.now);
  const what = failure.operation ? `${failure.operation}: ` : '';
  const why = failure.providerMessage ?? `HTTP ${failure.status}`;
  return new CloudError(code, {
    message: `${what}${why}`,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    detail: {
      httpStatus: failure.status,
      ...(failure.providerCode !== undefined ? { providerCode: failure.providerCode } : {}),
      raw: failure.bodyText.slice(0, MAX_DETAIL_CHARS),
    },
  });
}
