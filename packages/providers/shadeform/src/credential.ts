import { z } from 'zod';

/** The production endpoint from the spec's `servers` list. */
export const SHADEFORM_DEFAULT_BASE_URL = 'https://api.shadeform.ai/v1';

/**
 * A Shadeform API key, and optionally another endpoint (a proxy, or a fake in tests). Unknown
 * fields are refused so that a typo such as `api_key` is reported instead of silently ignored.
 * No message here may contain the key itself (callers print the field path before each message).
 */
export const ShadeformCredentialSchema = z.strictObject(
  {
    apiKey: z
      .string({ error: 'required; create an API key in the Shadeform console (Settings, API)' })
      .min(1, 'must not be empty; create an API key in the Shadeform console (Settings, API)')
      .regex(/^\S*$/, 'must not contain spaces or line breaks (check how it was pasted)'),
    baseUrl: z
      .url({
        protocol: /^https?$/,
        error: `an http(s) URL such as ${SHADEFORM_DEFAULT_BASE_URL}; leave it out for Shadeform's production API`,
      })
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.join(', ')}: a Shadeform credential has "apiKey" and optionally "baseUrl"`
        : 'a Shadeform credential is a JSON object such as {"apiKey": "..."}',
  },
);
export type ShadeformCredential = z.infer<typeof ShadeformCredentialSchema>;
