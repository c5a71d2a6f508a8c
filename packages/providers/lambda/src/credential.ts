import { z } from 'zod';

/** The production endpoint from the spec's `servers` list (the first, non-deprecated one). */
export const LAMBDA_DEFAULT_BASE_URL = 'https://cloud.lambda.ai/api/v1';

/**
 * A Lambda Cloud API key, and optionally another endpoint (a proxy, or a fake in tests). Unknown
 * fields are refused so that a typo such as `api_key` is reported instead of silently ignored.
 * No message here may contain the key itself (callers print the field path before each message).
 */
export const LambdaCredentialSchema = z.strictObject(
  {
    apiKey: z
      .string({ error: 'required; create an API key in the Lambda Cloud dashboard' })
      .min(1, 'must not be empty; create an API key in the Lambda Cloud dashboard')
      .regex(/^\S*$/, 'must not contain spaces or line breaks (check how it was pasted)'),
    baseUrl: z
      .url({
        protocol: /^https?$/,
        error: `an http(s) URL such as ${LAMBDA_DEFAULT_BASE_URL}; leave it out for Lambda's production API`,
      })
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.join(', ')}: a Lambda credential has "apiKey" and optionally "baseUrl"`
        : 'a Lambda credential is a JSON object such as {"apiKey": "..."}',
  },
);
export type LambdaCredential = z.infer<typeof LambdaCredentialSchema>;
