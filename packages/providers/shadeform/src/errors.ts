import type { CloudErrorCode, HttpErrorRule } from '@cloudplane/sdk';
import type { NotFoundCode, ProviderErrorInfo } from '@cloudplane/provider-kit';
import { z } from 'zod';

/**
 * Shadeform's spec declares no error responses and no error codes: every operation lists only
 * its 200 answer. What the adapter knows of a failure is the HTTP status, a message in the body
 * and its wording. The table below is therefore by status and by wording; docs/providers/
 * shadeform.md ("Errors") has the same table for people.
 */

export interface ShadeformErrorRule {
  /** A name for tests and docs. */
  readonly kind: string;
  readonly statuses: readonly number[];
  /** Wording that must appear in the body; absent means any body. */
  readonly wording?: RegExp;
  readonly code: CloudErrorCode | 'not-found';
}

/** Checked in order; the first that matches wins, and the HTTP status table is the fallback. */
export const SHADEFORM_ERROR_TABLE: readonly ShadeformErrorRule[] = [
  {
    kind: 'out-of-stock',
    statuses: [400, 404, 409, 422],
    wording:
      /out of stock|no (?:available )?capacity|(?:insufficient|not enough) capacity|sold out|not available in (?:this|the) region/i,
    code: 'INSUFFICIENT_CAPACITY',
  },
  {
    kind: 'quota-or-funds',
    statuses: [400, 402, 403, 409, 422],
    wording:
      /quota|instance limit|limit (?:reached|exceeded)|insufficient (?:funds|balance|credits)/i,
    code: 'OUT_OF_QUOTA',
  },
  { kind: 'payment-required', statuses: [402], code: 'OUT_OF_QUOTA' },
  // Only Shadeform's own JSON error says "not found": a bare 404 (a proxy's page, a wrong base
  // URL) taken as "gone" would count a terminate as done and end the row of a billing machine.
  { kind: 'not-found', statuses: [404, 410], wording: /^\s*\{/, code: 'not-found' },
];

/** The rules for cloudErrorFromHttp, for a request whose "not found" means `notFound`. */
export function errorRules(notFound: NotFoundCode): HttpErrorRule[] {
  return SHADEFORM_ERROR_TABLE.map((rule) => ({
    statuses: rule.statuses,
    bodyPattern: rule.wording ?? /(?:)/,
    code: rule.code === 'not-found' ? notFound : rule.code,
  }));
}

const Text = z.string().min(1);

/**
 * Error bodies as Shadeform and the proxies in front of it write them: `{error: "..."}`,
 * `{message: "..."}`, `{error: {code, message}}`, `{error_code | code, message}`,
 * `{detail: "..."}`. Anything else (text, HTML, nothing) is kept raw in the error's detail.
 */
const ErrorBodyWire = z.looseObject({
  error: z
    .union([Text, z.looseObject({ code: Text.optional(), message: Text.optional() })])
    .optional(),
  message: Text.optional(),
  detail: Text.optional(),
  error_code: Text.optional(),
  code: Text.optional(),
});

export function describeShadeformError(body: unknown): ProviderErrorInfo | undefined {
  const parsed = ErrorBodyWire.safeParse(body);
  if (!parsed.success) return undefined;
  const { error, message, detail, error_code, code } = parsed.data;
  const nested = typeof error === 'object' ? error : undefined;
  const providerMessage =
    (typeof error === 'string' ? error : nested?.message) ?? message ?? detail;
  const providerCode = nested?.code ?? error_code ?? code;
  if (providerMessage === undefined && providerCode === undefined) return undefined;
  return {
    ...(providerCode !== undefined ? { providerCode } : {}),
    ...(providerMessage !== undefined ? { providerMessage } : {}),
  };
}
