import type { CloudErrorCode, HttpErrorRule } from '@cloudplane/sdk';
import type { NotFoundCode, ProviderErrorInfo } from '@cloudplane/provider-kit';
import { z } from 'zod';

/**
 * LaunchPad's spec declares no error responses at all (every operation lists only its 2xx
 * answer), and no error codes. The API is a Django REST framework service, whose failures carry
 * `{"detail": "..."}` or per-field lists of messages. What the adapter can go by is therefore the
 * HTTP status and the wording of those messages; docs/providers/launchpad.md ("Errors") has this
 * table for people. The status table of the SDK is the fallback (401 UNAUTHENTICATED, 403
 * PERMISSION_DENIED, 429 RATE_LIMITED, 5xx SERVICE_UNAVAILABLE / INTERNAL, other 4xx
 * INVALID_ARGUMENT).
 */

export interface LaunchPadErrorRule {
  /** A name for tests and docs. */
  readonly kind: string;
  readonly statuses: readonly number[];
  /** Wording that must appear in the body; absent means any body. */
  readonly wording?: RegExp;
  readonly code: CloudErrorCode | 'not-found';
}

/** Checked in order; the first that matches wins. */
export const LAUNCHPAD_ERROR_TABLE: readonly LaunchPadErrorRule[] = [
  {
    kind: 'no-capacity',
    statuses: [400, 409, 422],
    wording:
      /no (?:available )?capacity|(?:insufficient|not enough) capacity|no (?:available|free) clusters?|out of stock/i,
    code: 'INSUFFICIENT_CAPACITY',
  },
  {
    kind: 'quota',
    statuses: [400, 402, 403, 409, 422],
    wording:
      /quota|limit (?:reached|exceeded)|maximum number of (?:deployments|instances|gpus)|too many (?:active )?deployments/i,
    code: 'OUT_OF_QUOTA',
  },
  { kind: 'not-found', statuses: [404, 410], code: 'not-found' },
];

/** The rules for cloudErrorFromHttp, for a request whose "not found" means `notFound`. */
export function errorRules(notFound: NotFoundCode): HttpErrorRule[] {
  return LAUNCHPAD_ERROR_TABLE.map((rule) => ({
    statuses: rule.statuses,
    bodyPattern: rule.wording ?? /(?:)/,
    code: rule.code === 'not-found' ? notFound : rule.code,
  }));
}

const Messages = z.union([z.string(), z.array(z.unknown())]);

/**
 * Django REST framework's error bodies: `{"detail": "...", "code"?: "..."}` for most failures,
 * `{"<field>": ["message", ...], "non_field_errors": [...]}` for a refused request.
 */
const ErrorBodyWire = z.record(z.string(), z.unknown());

export function describeLaunchPadError(body: unknown): ProviderErrorInfo | undefined {
  const parsed = ErrorBodyWire.safeParse(body);
  if (!parsed.success) return undefined;
  const { detail, code, ...fields } = parsed.data;
  const providerCode = typeof code === 'string' && code !== '' ? code : undefined;
  const parts: string[] = [];
  if (typeof detail === 'string' && detail !== '') parts.push(detail);
  for (const [field, value] of Object.entries(fields)) {
    const messages = Messages.safeParse(value);
    if (!messages.success) continue;
    const text = (Array.isArray(messages.data) ? messages.data : [messages.data])
      .filter((m): m is string => typeof m === 'string')
      .join(' ');
    if (text === '') continue;
    parts.push(field === 'non_field_errors' ? text : `${field}: ${text}`);
  }
  if (parts.length === 0 && providerCode === undefined) return undefined;
  return {
    ...(providerCode !== undefined ? { providerCode } : {}),
    ...(parts.length > 0 ? { providerMessage: parts.join('; ') } : {}),
  };
}
