import type { NotFoundCode, ProviderErrorInfo } from '@cloudplane/provider-kit';
import type { CloudErrorCode, HttpErrorRule } from '@cloudplane/sdk';
import { z } from 'zod';

/**
 * Fluidstack's spec has no error codes: every error answer is `{ message }`, and what tells
 * failures apart is the HTTP status. The table below covers every error status the spec
 * declares (a test walks the spec to keep the two equal); a few wordings, checked first, pick a
 * sharper code where the status alone is ambiguous (a 400 may mean "no capacity").
 * docs/providers/fluidstack.md ("Errors") has the same tables for people.
 */

export const FLUIDSTACK_ERROR_STATUSES = [400, 403, 404, 409, 500, 501] as const;
export type FluidstackErrorStatus = (typeof FLUIDSTACK_ERROR_STATUSES)[number];

export const FLUIDSTACK_ERROR_TABLE = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  // An instance operation gives INSTANCE_NOT_FOUND, anything else RESOURCE_NOT_FOUND.
  404: 'not-found',
  // "Instance state conflict": starting a running instance, stopping a stopped one.
  409: 'INVALID_ARGUMENT',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
} as const satisfies Record<FluidstackErrorStatus, CloudErrorCode | 'not-found'>;

export interface FluidstackWordingRule {
  /** A name for tests and docs. */
  readonly kind: string;
  readonly statuses: readonly number[];
  readonly wording: RegExp;
  readonly code: CloudErrorCode;
}

/** Checked in order before the status table. */
export const FLUIDSTACK_WORDING_RULES: readonly FluidstackWordingRule[] = [
  {
    kind: 'out-of-stock',
    statuses: [400, 409],
    wording: /out[- ]of[- ]stock|no (?:available )?capacity|(?:insufficient|not enough) capacity/i,
    code: 'INSUFFICIENT_CAPACITY',
  },
  {
    kind: 'quota',
    statuses: [400, 403, 409],
    wording: /quota|limit (?:reached|exceeded)|insufficient (?:funds|balance|credits)/i,
    code: 'OUT_OF_QUOTA',
  },
];

/** The rules for cloudErrorFromHttp, for a request whose "not found" means `notFound`. */
export function errorRules(notFound: NotFoundCode): HttpErrorRule[] {
  const rules: HttpErrorRule[] = FLUIDSTACK_WORDING_RULES.map((rule) => ({
    statuses: rule.statuses,
    bodyPattern: rule.wording,
    code: rule.code,
  }));
  for (const status of FLUIDSTACK_ERROR_STATUSES) {
    const meaning = FLUIDSTACK_ERROR_TABLE[status];
    rules.push({
      statuses: [status],
      bodyPattern: /(?:)/,
      code: meaning === 'not-found' ? notFound : meaning,
    });
  }
  return rules;
}

const ErrorBodyWire = z.looseObject({ message: z.string().min(1) });

/** Fluidstack's `{ message }`; anything else (a proxy's page) is kept raw in the detail. */
export function describeFluidstackError(body: unknown): ProviderErrorInfo | undefined {
  const parsed = ErrorBodyWire.safeParse(body);
  return parsed.success ? { providerMessage: parsed.data.message } : undefined;
}
