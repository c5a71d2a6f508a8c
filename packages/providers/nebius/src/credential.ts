import { createPrivateKey } from 'node:crypto';
import { CURRENCY_CODES, parseMoney } from '@cloudplane/sdk';
import { z } from 'zod';

/**
 * What an operator gives cloudplane for one Nebius project: a service account's authorized key
 * (Nebius never accepts it directly: the adapter signs a JWT with it and exchanges that for an IAM
 * token), the project every instance lives in, and the prices to sell at (Nebius's compute API
 * lists platforms and presets but no prices). No message here may contain the private key.
 */

/** The hosts of the production API (proto/endpoints.md). */
export const NEBIUS_ENDPOINTS = {
  compute: 'compute.api.nebius.cloud:443',
  /** ProjectService (the project's region). */
  iam: 'cpl.iam.api.nebius.cloud:443',
  tokens: 'tokens.iam.api.nebius.cloud:443',
  vpc: 'vpc.api.nebius.cloud:443',
} as const;
export type NebiusEndpoint = keyof typeof NEBIUS_ENDPOINTS;

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/;
const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+$/;

const address = z
  .string()
  .regex(HOST_PORT, 'a host:port such as compute.api.nebius.cloud:443 (no scheme, no path)');

const id = (prefix: string, where: string) =>
  z
    .string({ error: `required; ${where}` })
    .regex(
      new RegExp(`^${prefix}-[a-z0-9]+$`),
      `must look like "${prefix}-e00..." (lowercase letters and digits after the prefix); ${where}`,
    );

/** A PEM private key that Node can read and that is RSA (Nebius signs service-account JWTs RS256). */
const privateKeyPem = z
  .string({ error: 'required: the PEM private key of the service account key pair' })
  .refine((pem) => /-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem), {
    error: 'must be a PEM private key ("-----BEGIN PRIVATE KEY-----" ...), as Nebius generated it',
  })
  .refine(
    (pem) => {
      try {
        return createPrivateKey(pem).asymmetricKeyType === 'rsa';
      } catch {
        return false;
      }
    },
    { error: 'cannot be read as an RSA private key (check that it was pasted whole)' },
  );

export const ServiceAccountKeySchema = z.strictObject(
  {
    serviceAccountId: id('serviceaccount', 'the id of the service account'),
    publicKeyId: id('publickey', 'the id of the authorized key Nebius shows for the uploaded key'),
    privateKey: privateKeyPem,
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.join(', ')}: a service account key has serviceAccountId, publicKeyId and privateKey`
        : 'an object {serviceAccountId, publicKeyId, privateKey}',
  },
);
export type ServiceAccountKey = z.infer<typeof ServiceAccountKeySchema>;

const decimalPrice = z.string().refine(
  (text) => {
    try {
      return parseMoney(text).amount > 0;
    } catch {
      return false;
    }
  },
  { error: 'a positive decimal price per hour such as "23.60" (at most 6 decimals)' },
);

/** `prices[platform][preset]` = the on-demand price per hour of one instance of that preset. */
export const PriceListSchema = z.record(
  z.string().min(1),
  z.record(z.string().min(1), decimalPrice),
);
export type PriceList = z.infer<typeof PriceListSchema>;

export const NebiusCredentialSchema = z
  .strictObject(
    {
      serviceAccount: ServiceAccountKeySchema,
      projectId: id('project', 'the project instances are created in (the parent id)'),
      prices: PriceListSchema,
      currency: z.enum(CURRENCY_CODES).default('USD'),
      /** Omitted: the project's first ready subnet. */
      subnetId: id('vpcsubnet', 'the subnet new instances attach to').optional(),
      /** Omitted: ubuntu22.04-cuda12 (Nebius's public image family with GPU drivers). */
      imageFamily: z.string().min(1).optional(),
      endpoints: z
        .strictObject({
          compute: address.optional(),
          iam: address.optional(),
          tokens: address.optional(),
          vpc: address.optional(),
        })
        .optional(),
      /** Connect without TLS; only to loopback endpoints (a local fake or a tunnel). */
      plaintext: z.boolean().optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field(s) ${issue.keys.join(', ')}: a Nebius credential has serviceAccount, projectId, prices and optionally currency, subnetId, imageFamily, endpoints, plaintext`
          : 'a Nebius credential is a JSON object such as {"serviceAccount": {...}, "projectId": "project-...", "prices": {...}}',
    },
  )
  .superRefine((credential, ctx) => {
    if (credential.plaintext !== true) return;
    for (const name of Object.keys(NEBIUS_ENDPOINTS) as NebiusEndpoint[]) {
      const target = credential.endpoints?.[name];
      if (target === undefined || !LOOPBACK_HOST.test(target)) {
        ctx.addIssue({
          code: 'custom',
          path: ['plaintext'],
          message: `plaintext sends the IAM token unencrypted, so every endpoint must be overridden with a loopback address; ${name} is ${target ?? 'the production host'}`,
        });
        return;
      }
    }
  });
export type NebiusCredential = z.infer<typeof NebiusCredentialSchema>;

export function endpointOf(credential: NebiusCredential, name: NebiusEndpoint): string {
  return credential.endpoints?.[name] ?? NEBIUS_ENDPOINTS[name];
}
