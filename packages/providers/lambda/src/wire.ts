import { z } from 'zod';

/**
 * Lambda's responses as we read them. Objects are loose (fields Lambda adds later are kept and
 * ignored); enums such as `status` are read as strings so that a new value reaches the status
 * map's logged fallback instead of failing the whole response.
 */

export const RegionWire = z.looseObject({
  name: z.string().min(1),
  description: z.string(),
});
export type RegionWire = z.infer<typeof RegionWire>;

/** The spec says integer cents; its own example writes them as strings ("80"), so both are read. */
const Cents = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^\d+$/)
    .transform((text) => Number(text)),
]);

export const InstanceTypeWire = z.looseObject({
  name: z.string().min(1),
  description: z.string(),
  gpu_description: z.string(),
  price_cents_per_hour: Cents,
  specs: z.looseObject({
    vcpus: z.number().int().positive(),
    memory_gib: z.number().nonnegative(),
    storage_gib: z.number().nonnegative(),
    gpus: z.number().int().nonnegative(),
  }),
});
export type InstanceTypeWire = z.infer<typeof InstanceTypeWire>;

/** Entries are parsed one by one (catalog.ts), so one odd type cannot hide the others. */
export const InstanceTypesResponse = z.looseObject({
  data: z.record(z.string(), z.unknown()),
});

export const InstanceTypeEntry = z.looseObject({
  instance_type: InstanceTypeWire,
  regions_with_capacity_available: z.array(RegionWire),
});
export type InstanceTypeEntry = z.infer<typeof InstanceTypeEntry>;

export const InstanceWire = z.looseObject({
  id: z.string().min(1),
  name: z.string().nullish(),
  ip: z.string().nullish(),
  private_ip: z.string().nullish(),
  status: z.string(),
  ssh_key_names: z.array(z.string()),
  file_system_names: z.array(z.string()),
  region: RegionWire.optional(),
  instance_type: InstanceTypeWire.optional(),
  hostname: z.string().nullish(),
});
export type InstanceWire = z.infer<typeof InstanceWire>;

export const InstanceResponse = z.looseObject({ data: InstanceWire });
export const InstancesResponse = z.looseObject({ data: z.array(InstanceWire) });

export const LaunchResponse = z.looseObject({
  data: z.looseObject({ instance_ids: z.array(z.string().min(1)) }),
});
export const TerminateResponse = z.looseObject({
  data: z.looseObject({ terminated_instances: z.array(InstanceWire) }),
});
export const RestartResponse = z.looseObject({
  data: z.looseObject({ restarted_instances: z.array(InstanceWire) }),
});

export const SshKeyWire = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  public_key: z.string(),
});
export type SshKeyWire = z.infer<typeof SshKeyWire>;

export const SshKeysResponse = z.looseObject({ data: z.array(SshKeyWire) });
export const SshKeyResponse = z.looseObject({ data: SshKeyWire });

/** Lambda's error body: `{ error: { code, message, suggestion? }, field_errors? }`. */
const ErrorDetailWire = z.looseObject({
  code: z.string(),
  message: z.string(),
  suggestion: z.string().nullish(),
});
export const ErrorBodyWire = z.looseObject({
  error: ErrorDetailWire,
  field_errors: z.record(z.string(), ErrorDetailWire).optional(),
});
