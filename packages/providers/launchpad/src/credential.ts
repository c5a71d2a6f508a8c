import { CURRENCY_CODES } from '@cloudplane/sdk';
import { z } from 'zod';

/**
 * The production API. The spec's `servers` entry is only "/", so this is the host its own
 * examples link to (`next` / `previous` page URLs).
 */
export const LAUNCHPAD_DEFAULT_BASE_URL = 'https://launchpad.api.nvidia.com';

const Decimal = /^\d+(?:\.\d{1,6})?$/;

/**
 * One operator-supplied hourly price, for instance types the API does not price (no price, or a
 * zero one). Prices are decimal strings so that no float ever touches money.
 */
export const OperatorPriceSchema = z.strictObject({
  hourly: z
    .string({ error: 'required: the on-demand price per hour as a decimal string, e.g. "2.50"' })
    .regex(Decimal, 'a decimal amount with at most 6 decimals, e.g. "2.50"')
    .refine((text) => Number(text) > 0, 'must be more than zero'),
  currency: z.enum(CURRENCY_CODES, { error: `one of ${CURRENCY_CODES.join(', ')}` }).default('USD'),
});
export type OperatorPrice = z.infer<typeof OperatorPriceSchema>;

const Text = (field: string, max: number) =>
  z
    .string({ error: `required: ${field}` })
    .trim()
    .min(1, `must not be empty: ${field}`)
    .max(max, `at most ${max} characters`);

/**
 * What an operator gives for one LaunchPad account. A deployment request needs more than a
 * token: who asks (organisation, name, e-mail) and which experience (catalog item) to deploy,
 * named by exactly one of its three ids. Unknown fields are refused so that a typo is reported
 * instead of silently ignored. No message may contain the token (callers print the field path).
 */
export const LaunchPadCredentialSchema = z
  .strictObject(
    {
      apiToken: z
        .string({ error: 'required; the API token from LaunchPad (without the "Token " prefix)' })
        .min(1, 'must not be empty')
        .regex(/^\S+$/, 'must not contain spaces or line breaks (leave out the "Token " prefix)'),
      baseUrl: z
        .url({
          protocol: /^https?$/,
          error: `an http(s) URL such as ${LAUNCHPAD_DEFAULT_BASE_URL}; leave it out for LaunchPad's production API`,
        })
        .optional(),
      orgName: Text("the requester's organisation name", 255),
      requesterName: Text("the requester's name", 255),
      requesterEmail: z.email({ error: "the requester's e-mail address" }).max(254),
      experienceId: z.uuid({ error: 'the UUID of the experience to deploy' }).optional(),
      catalogId: Text('the catalog id of the experience to deploy', 255).optional(),
      catalogIdAlias: Text('the catalog id alias (e.g. "LP-15") to deploy', 255).optional(),
      requestId: Text('a trial request id such as "TRY-1234"', 32).optional(),
      lifetimeDays: z
        .number({ error: 'whole days, or 0 for no expiry' })
        .int('whole days, or 0 for no expiry')
        .min(0, 'whole days, or 0 for no expiry')
        .optional(),
      prices: z.record(z.string().min(1), OperatorPriceSchema).optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field(s) ${issue.keys.join(', ')}: see docs/providers/launchpad.md for the fields of a LaunchPad credential`
          : 'a LaunchPad credential is a JSON object such as {"apiToken": "...", "orgName": "...", ...}',
    },
  )
  .superRefine((credential, ctx) => {
    const named = [credential.experienceId, credential.catalogId, credential.catalogIdAlias];
    const count = named.filter((id) => id !== undefined).length;
    if (count !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['experienceId'],
        message: `name the experience to deploy with exactly one of experienceId, catalogId, catalogIdAlias (${count} given)`,
      });
    }
  });
export type LaunchPadCredential = z.infer<typeof LaunchPadCredentialSchema>;

/** The experience fields of a deployment request, from the credential's one experience id. */
export function experienceFields(
  credential: LaunchPadCredential,
): { experience_id: string } | { catalog_id: string } | { catalog_id_alias: string } {
  if (credential.experienceId !== undefined) return { experience_id: credential.experienceId };
  if (credential.catalogId !== undefined) return { catalog_id: credential.catalogId };
  return { catalog_id_alias: credential.catalogIdAlias ?? '' };
}
