/**
 * Typed errors of the provider contract. The control plane decides what to do (retry, fail over
 * to another offer, mark a provider unavailable) from `code`, `retryable` and `scope`, never from
 * the message, so adapters must pick the code carefully: docs/contract.md lists which one to use.
 */

export const CLOUD_ERROR_CODES = [
  'INSUFFICIENT_CAPACITY',
  'OUT_OF_QUOTA',
  'INSTANCE_NOT_FOUND',
  'RESOURCE_NOT_FOUND',
  'IMAGE_NOT_FOUND',
  'DUPLICATE_FIREWALL_RULE',
  'SERVICE_UNAVAILABLE',
  'RATE_LIMITED',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'INVALID_ARGUMENT',
  'NOT_IMPLEMENTED',
  'INTERNAL',
] as const;
export type CloudErrorCode = (typeof CLOUD_ERROR_CODES)[number];

/**
 * How far a failure reaches, for failover: `offer` (try another instance type or zone),
 * `location` (try another region), `provider` (this credential is unusable for now),
 * `none` (the request itself is wrong; trying elsewhere will not help).
 */
export const FAILOVER_SCOPES = ['offer', 'location', 'provider', 'none'] as const;
export type FailoverScope = (typeof FAILOVER_SCOPES)[number];

interface CodeDefaults {
  readonly message: string;
  readonly retryable: boolean;
  readonly scope: FailoverScope;
}

/** Messages follow the Go Cloud SDK's sentinel errors where it has one. */
export const CLOUD_ERROR_DEFAULTS: Readonly<Record<CloudErrorCode, CodeDefaults>> = {
  INSUFFICIENT_CAPACITY: { message: 'insufficient resources', retryable: false, scope: 'offer' },
  OUT_OF_QUOTA: { message: 'out of quota', retryable: false, scope: 'provider' },
  INSTANCE_NOT_FOUND: { message: 'instance not found', retryable: false, scope: 'none' },
  RESOURCE_NOT_FOUND: { message: 'resource not found', retryable: false, scope: 'none' },
  IMAGE_NOT_FOUND: { message: 'image not found', retryable: false, scope: 'location' },
  DUPLICATE_FIREWALL_RULE: { message: 'duplicate firewall rule', retryable: false, scope: 'none' },
  SERVICE_UNAVAILABLE: { message: 'service unavailable', retryable: true, scope: 'provider' },
  RATE_LIMITED: { message: 'rate limited', retryable: true, scope: 'none' },
  UNAUTHENTICATED: { message: 'unauthenticated', retryable: false, scope: 'provider' },
  PERMISSION_DENIED: { message: 'permission denied', retryable: false, scope: 'provider' },
  INVALID_ARGUMENT: { message: 'invalid argument', retryable: false, scope: 'none' },
  NOT_IMPLEMENTED: { message: 'not implemented', retryable: false, scope: 'none' },
  INTERNAL: { message: 'internal error', retryable: true, scope: 'none' },
};

/** The provider's own words about a failure, kept for operators; never shown with secrets. */
export interface CloudErrorDetail {
  readonly httpStatus?: number;
  /** The provider's own error code, e.g. `instance-operations/launch/insufficient-capacity`. */
  readonly providerCode?: string;
  /** The response body or message, truncated to MAX_DETAIL_CHARS. */
  readonly raw?: string;
}

export interface CloudErrorOptions {
  readonly message?: string;
  readonly retryable?: boolean;
  readonly retryAfterMs?: number;
  readonly scope?: FailoverScope;
  readonly detail?: CloudErrorDetail;
  readonly cause?: unknown;
}

export const MAX_DETAIL_CHARS = 2000;

export class CloudError extends Error {
  override readonly name = 'CloudError';
  readonly code: CloudErrorCode;
  readonly retryable: boolean;
  /** How long the provider asked us to wait before retrying (from Retry-After), if it said. */
  readonly retryAfterMs: number | undefined;
  readonly scope: FailoverScope;
  readonly detail: CloudErrorDetail;

  constructor(code: CloudErrorCode, options: CloudErrorOptions = {}) {
    const defaults = CLOUD_ERROR_DEFAULTS[code];
    super(options.message ?? defaults.message, { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? defaults.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.scope = options.scope ?? defaults.scope;
    const raw = options.detail?.raw;
    this.detail =
      raw !== undefined && raw.length > MAX_DETAIL_CHARS
        ? { ...options.detail, raw: `${raw.slice(0, MAX_DETAIL_CHARS)}…` }
        : (options.detail ?? {});
  }

  /** A plain object for logs and API responses (no stack, no cause chain). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      scope: this.scope,
      detail: this.detail,
    };
  }
}

/** True when `err` is a CloudError, and, when codes are given, has one of them. */
export function isCloudError(err: unknown, ...codes: CloudErrorCode[]): err is CloudError {
  if (!(err instanceof CloudError)) return false;
  return codes.length === 0 || codes.includes(err.code);
}

/**
 * Codes by which the cloud refused a request and so did nothing: no capacity, no quota, a bad
 * request, no permission. A timeout, a 5xx, an unreadable answer or a 429 is none of them: a
 * create that failed so may still have made a machine, or may yet, and is looked for by refId
 * before it is sent again or moved elsewhere.
 */
export const REFUSAL_CODES: ReadonlySet<CloudErrorCode> = new Set<CloudErrorCode>([
  'INSUFFICIENT_CAPACITY',
  'OUT_OF_QUOTA',
  'INVALID_ARGUMENT',
  'IMAGE_NOT_FOUND',
  'RESOURCE_NOT_FOUND',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'NOT_IMPLEMENTED',
  'DUPLICATE_FIREWALL_RULE',
]);

/** Wraps anything thrown into a CloudError, keeping CloudErrors as they are. */
export function toCloudError(err: unknown, fallback: CloudErrorCode = 'INTERNAL'): CloudError {
  if (err instanceof CloudError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CloudError(fallback, { message, cause: err });
}
