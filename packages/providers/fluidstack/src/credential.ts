import { parseMoney } from '@cloudplane/sdk';
import { z } from 'zod';

/**
 * The spec's server, one host per region: `https://<region>.atlas.fluidstack.io/api/v1alpha1`.
 * `{region}` is replaced by the location a client is bound to.
 */
export const FLUIDSTACK_DEFAULT_BASE_URL = 'https://{region}.atlas.fluidstack.io/api/v1alpha1';

const REGION = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function keepsExactly(usd: number): boolean {
  try {
    parseMoney(usd, 'USD');
    return true;
  } catch {
    return false;
  }
}

/**
 * Fluidstack's API gives no prices, so the operator supplies them: USD per hour of the whole
 * instance, per instance type name. A type without a price is left out of the catalog (with a
 * warning): a price is never guessed.
 */
export const FluidstackPriceListSchema = z.record(
  z.string().min(1, 'an instance type name must not be empty'),
  z
    .number({ error: 'a price is a number of US dollars per hour, such as 2.89' })
    .positive('a price must be more than 0 US dollars per hour')
    .refine(keepsExactly, 'a price has at most 6 decimals (money is kept to the millionth)'),
);
export type FluidstackPriceList = z.infer<typeof FluidstackPriceListSchema>;

/**
 * A Fluidstack API token, the project every request is made in (the `X-PROJECT-ID` header), the
 * regions the project uses (Fluidstack has no call that lists them), and the operator's price
 * list. `baseUrl` points elsewhere (a proxy, or a fake in tests); it must contain `{region}`.
 * Unknown fields are refused so that a typo is reported instead of silently ignored. No message
 * may contain the token (callers print the field path before each message).
 */
export const FluidstackCredentialSchema = z.strictObject(
  {
    apiKey: z
      .string({ error: 'required; create an API token in the Fluidstack console' })
      .min(1, 'must not be empty; create an API token in the Fluidstack console')
      .regex(/^\S*$/, 'must not contain spaces or line breaks (check how it was pasted)'),
    projectId: z.uuid({
      error: 'the id (a UUID) of the Fluidstack project to launch in, sent as X-PROJECT-ID',
    }),
    regions: z
      .array(
        z
          .string()
          .regex(REGION, 'a region name such as "us-west-1" (lowercase letters, digits, "-")'),
        { error: 'a list of the region names the project uses, such as ["us-west-1"]' },
      )
      .min(1, 'give at least one region: Fluidstack has no call that lists them')
      .refine((list) => new Set(list).size === list.length, 'a region is listed twice'),
    prices: FluidstackPriceListSchema,
    baseUrl: z
      .string()
      .refine(
        (url) => url.includes('{region}'),
        'must contain "{region}", replaced by the region name',
      )
      .refine(
        (url) => URL.canParse(url.replaceAll('{region}', 'region')) && /^https?:/.test(url),
        `an http(s) URL such as ${FLUIDSTACK_DEFAULT_BASE_URL}; leave it out for Fluidstack's production API`,
      )
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.join(', ')}: a Fluidstack credential has "apiKey", "projectId", "regions", "prices" and optionally "baseUrl"`
        : 'a Fluidstack credential is a JSON object such as {"apiKey": "...", "projectId": "...", "regions": ["..."], "prices": {"<type>": 2.89}}',
  },
);
export type FluidstackCredential = z.infer<typeof FluidstackCredentialSchema>;

/** The API root for one region. */
export function regionBaseUrl(credential: FluidstackCredential, region: string): string {
  return (credential.baseUrl ?? FLUIDSTACK_DEFAULT_BASE_URL).replaceAll('{region}', region);
}
