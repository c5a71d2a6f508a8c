import { parseMoney, type Money } from '@cloudplane/sdk';
import { z } from 'zod';

/**
 * An AWS credential as the operator stores it: an access key (and a session token for temporary
 * keys), the regions cloudplane may use, and the on-demand price list of the instance types to
 * offer. EC2 publishes no prices (the Pricing API is another service, with its own permissions
 * and list prices that ignore the operator's discounts), so the operator states them; a type
 * without a price is left out of the catalog, never priced by guess.
 *
 * Messages here never contain a field's value: callers print the field path before them.
 */

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;

const RegionName = z.string().regex(REGION, 'an AWS region name such as us-east-1');

/** "3.06" or 3.06 (USD per hour), read exactly with the SDK's money parser. */
const HourlyPrice = z.union([z.string(), z.number()]).transform((value, ctx): Money => {
  try {
    const money = parseMoney(value, 'USD');
    if (money.amount <= 0) throw new RangeError('not positive');
    return money;
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: 'a positive USD amount per hour such as "3.06" (at most 6 decimals)',
    });
    return z.NEVER;
  }
});

/** Region -> instance type -> price; the keys are checked below, with messages that name them. */
const PriceList = z.record(z.string(), z.record(z.string(), HourlyPrice));

export const AwsCredentialSchema = z
  .strictObject(
    {
      accessKeyId: z
        .string({ error: 'required; an IAM access key id such as AKIA...' })
        .regex(/^[A-Z0-9]{16,128}$/, 'an IAM access key id: 16-128 capital letters and digits'),
      secretAccessKey: z
        .string({ error: 'required; the secret of the access key' })
        .min(1, 'must not be empty')
        .regex(/^\S+$/, 'must not contain spaces or line breaks (check how it was pasted)'),
      sessionToken: z
        .string()
        .min(1, 'must not be empty; leave it out for long-term keys')
        .regex(/^\S+$/, 'must not contain spaces or line breaks')
        .optional(),
      regions: z
        .array(RegionName, { error: 'required; the regions to offer, e.g. ["us-east-1"]' })
        .min(1, 'name at least one region')
        .refine((r) => new Set(r).size === r.length, 'a region is listed twice'),
      prices: PriceList.default({}),
      /** AMI per region; default: the newest AWS Deep Learning Base AMI (Ubuntu) of the region. */
      imageIds: z.record(z.string(), z.string().regex(/^ami-[0-9a-f]+$/, 'an AMI id')).optional(),
      /** The login user of the images launched; `ubuntu` for AWS's Ubuntu-based AMIs. */
      sshUser: z
        .string()
        .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'a Linux user name')
        .default('ubuntu'),
      /** Another EC2 endpoint for every region (a VPC endpoint, a proxy, or a fake in tests). */
      endpoint: z
        .url({ protocol: /^https?$/, error: 'an http(s) URL; leave it out for AWS itself' })
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field(s) ${issue.keys.join(', ')}: an AWS credential has accessKeyId, secretAccessKey, sessionToken, regions, prices, imageIds, sshUser and endpoint`
          : 'an AWS credential is a JSON object such as {"accessKeyId": "...", "secretAccessKey": "...", "regions": ["us-east-1"], "prices": {...}}',
    },
  )
  .superRefine((credential, ctx) => {
    const offered = (field: 'prices' | 'imageIds', region: string) => {
      if (credential.regions.includes(region)) return;
      ctx.addIssue({
        code: 'custom',
        path: [field, region],
        message: `${field} for a region that is not in "regions"`,
      });
    };
    for (const [region, types] of Object.entries(credential.prices)) {
      offered('prices', region);
      for (const type of Object.keys(types)) {
        if (!INSTANCE_TYPE.test(type)) {
          ctx.addIssue({
            code: 'custom',
            path: ['prices', region, type],
            message: 'not an EC2 instance type name such as g5.xlarge',
          });
        }
      }
    }
    for (const region of Object.keys(credential.imageIds ?? {})) offered('imageIds', region);
  });

/** What the schema reads (prices as text or numbers). */
export type AwsCredentialInput = z.input<typeof AwsCredentialSchema>;
export type AwsCredential = z.output<typeof AwsCredentialSchema>;

export const AWS_SECRET_FIELDS = ['secretAccessKey', 'sessionToken'] as const;
