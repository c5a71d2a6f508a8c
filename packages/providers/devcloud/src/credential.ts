import { z } from 'zod';
import { DEVCLOUD_DEFECTS } from './defects.js';

export const DevcloudCredentialSchema = z.object({
  apiKey: z.string().min(8, 'apiKey: the key devcloud printed at start (dc_...)'),
  baseUrl: z.url({
    message: 'baseUrl: the URL devcloud printed at start, e.g. http://127.0.0.1:7070',
  }),
  /** Per-request timeout; devcloud answers at once, so tests of hung requests shorten it. */
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
  /** Contract-breaking switches for proving the conformance suite; never set in production. */
  defects: z.array(z.enum(DEVCLOUD_DEFECTS)).default([]),
});
export type DevcloudCredential = z.infer<typeof DevcloudCredentialSchema>;
