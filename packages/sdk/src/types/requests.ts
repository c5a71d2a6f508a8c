import { z } from 'zod';
import { FirewallRulesSchema } from '../firewall/rules.js';
import { BytesSchema } from '../units/bytes.js';
import { CPU_ARCHITECTURES } from './instance-type.js';
import { TagsSchema } from './instance.js';
import { GPU_MANUFACTURERS } from '../gpu/record.js';

/**
 * Filter semantics, the same for every list field of every request: an omitted field means
 * "no constraint"; an empty array means "match nothing" (the call returns an empty list without
 * asking the cloud). Values inside one field are ORed; different fields are ANDed.
 */

/** `'all'` or a list of location names. */
export const LocationsFilterSchema = z.union([z.literal('all'), z.array(z.string().min(1))]);
export type LocationsFilter = z.infer<typeof LocationsFilterSchema>;

export const GetInstanceTypesArgsSchema = z.object({
  /** Omitted: the client's own location for locational APIs, every location for global ones. */
  locations: LocationsFilterSchema.optional(),
  /** The provider's type names (InstanceType.type). */
  instanceTypes: z.array(z.string()).optional(),
  gpuManufacturers: z.array(z.enum(GPU_MANUFACTURERS)).optional(),
  architectures: z.array(z.enum(CPU_ARCHITECTURES)).optional(),
  /** Upstream clouds, for brokers. */
  clouds: z.array(z.string()).optional(),
});
export type GetInstanceTypesArgs = z.infer<typeof GetInstanceTypesArgsSchema>;

export const ListInstancesArgsSchema = z.object({
  /** Cloud ids. */
  instanceIds: z.array(z.string()).optional(),
  /** key -> accepted values; an instance matches when, for every key, its tag is one of them. */
  tagFilters: z.record(z.string(), z.array(z.string())).optional(),
  locations: LocationsFilterSchema.optional(),
});
export type ListInstancesArgs = z.infer<typeof ListInstancesArgsSchema>;

/** An OpenSSH public key line: `ssh-ed25519 AAAA... comment`. See ssh.ts to parse one. */
const PublicKeyLineSchema = z
  .string()
  .regex(
    /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+=*( [^\r\n]*)?$/,
    'publicKey must be one OpenSSH public key line, e.g. "ssh-ed25519 AAAA... user@host"',
  );

export const CreateInstanceAttrsSchema = z.object({
  /** The control plane's id for this instance; also the idempotency key of the create. */
  refId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'refId: letters, digits, "_" and "-" only'),
  /** A human name; adapters may shorten it to the cloud's limit. */
  name: z.string().max(128).optional(),
  /** The launching user's public key; the only key that must be able to log in. */
  publicKey: PublicKeyLineSchema,
  location: z.string().min(1),
  subLocation: z.string().min(1).optional(),
  /** The provider's type name (InstanceType.type). */
  instanceType: z.string().min(1),
  imageId: z.string().min(1).optional(),
  diskSize: BytesSchema.optional(),
  tags: TagsSchema.optional(),
  firewallRules: FirewallRulesSchema.optional(),
  /** A boot script or cloud-init document; adapters append their own firewall script to it. */
  userData: z
    .string()
    .max(64 * 1024)
    .optional(),
});
export type CreateInstanceAttrs = z.infer<typeof CreateInstanceAttrsSchema>;
