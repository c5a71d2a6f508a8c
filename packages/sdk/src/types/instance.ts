import { z } from 'zod';
import { FirewallRulesSchema } from '../firewall/rules.js';
import { BytesSchema } from '../units/bytes.js';

/** Every state an instance can be in, whatever the cloud calls it. */
export const LIFECYCLE_STATES = [
  'pending',
  'running',
  'stopping',
  'stopped',
  'suspending',
  'suspended',
  'terminating',
  'terminated',
  'failed',
] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/** States from which the instance will not move again by itself. */
export const FINAL_STATES: readonly LifecycleState[] = ['terminated', 'failed'];

export const InstanceStatusSchema = z.object({
  lifecycle: z.enum(LIFECYCLE_STATES),
  /** The cloud's own status string, verbatim. */
  native: z.string(),
  /** The cloud's explanation, e.g. why it failed. */
  message: z.string().optional(),
});
export type InstanceStatus = z.infer<typeof InstanceStatusSchema>;

/** Tag keys and values as most clouds accept them. */
export const TagsSchema = z.record(z.string().min(1).max(128), z.string().max(256));
export type Tags = z.infer<typeof TagsSchema>;

export const InstanceSchema = z.object({
  /** The cloud's own id for the instance. */
  cloudId: z.string().min(1),
  /**
   * The control plane's id for this instance, given in CreateInstanceAttrs.refId. Required:
   * a cloud without tags must store it with the correlation helper (correlation.ts).
   */
  refId: z.string().min(1),
  /** The control plane's id of the credential that created it. Required, like refId. */
  cloudCredRefId: z.string().min(1),
  name: z.string(),
  provider: z.string().min(1),
  cloud: z.string().min(1),
  location: z.string().min(1),
  subLocation: z.string().min(1).optional(),
  /** Must equal the catalog's InstanceType.id for this type (use instanceTypeId()). */
  instanceTypeId: z.string().min(1),
  /** The provider's name of the type. */
  instanceType: z.string().min(1),
  imageId: z.string().optional(),
  status: InstanceStatusSchema,
  /** When the cloud created it (ISO 8601). */
  createdAt: z.iso.datetime({ offset: true }),
  /** Null until the cloud has assigned one. */
  publicIp: z.string().nullable(),
  privateIp: z.string().nullable(),
  hostname: z.string().nullable(),
  /** The user whose authorized_keys holds CreateInstanceAttrs.publicKey. */
  sshUser: z.string().min(1),
  sshPort: z.number().int().min(1).max(65535),
  tags: TagsSchema,
  firewallRules: FirewallRulesSchema.optional(),
  diskSize: BytesSchema.optional(),
  stoppable: z.boolean(),
  rebootable: z.boolean(),
});
export type Instance = z.infer<typeof InstanceSchema>;
