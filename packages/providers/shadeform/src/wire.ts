import { z } from 'zod';

/**
 * Shadeform's answers as we read them. Objects are loose (fields Shadeform adds later are kept
 * and ignored); `status` is read as a string so that a new value reaches the status map's logged
 * fallback instead of failing the whole answer. Fields the adapter does not need are not read.
 */

export const AvailabilityWire = z.looseObject({
  region: z.string().min(1),
  available: z.boolean(),
  display_name: z.string(),
});
export type AvailabilityWire = z.infer<typeof AvailabilityWire>;

export const ConfigurationWire = z.looseObject({
  memory_in_gb: z.number().nonnegative(),
  storage_in_gb: z.number().nonnegative(),
  vcpus: z.number().int(),
  num_gpus: z.number().int().nonnegative(),
  gpu_type: z.string(),
  interconnect: z.string(),
  nvlink: z.boolean().optional(),
  vram_per_gpu_in_gb: z.number().nonnegative(),
  gpu_manufacturer: z.string(),
});

export const InstanceTypeWire = z.looseObject({
  cloud: z.string().min(1),
  shade_instance_type: z.string().min(1),
  cloud_instance_type: z.string(),
  configuration: ConfigurationWire,
  /** Cents per hour. */
  hourly_price: z.number().int().nonnegative(),
  deployment_type: z.string(),
  availability: z.array(AvailabilityWire),
  boot_time: z
    .looseObject({
      min_boot_in_sec: z.number().optional(),
      max_boot_in_sec: z.number().optional(),
    })
    .optional(),
});
export type InstanceTypeWire = z.infer<typeof InstanceTypeWire>;

/** Entries are parsed one by one (catalog.ts), so one odd type cannot hide the others. */
export const InstanceTypesResponse = z.looseObject({ instance_types: z.array(z.unknown()) });

export const InstanceWire = z.looseObject({
  id: z.string().min(1),
  cloud: z.string().min(1),
  region: z.string().min(1),
  shade_instance_type: z.string().min(1),
  cloud_instance_type: z.string(),
  name: z.string(),
  configuration: z.looseObject({ storage_in_gb: z.number().nonnegative() }),
  ip: z.string().nullish(),
  ssh_user: z.string().nullish(),
  ssh_port: z.number().int().nullish(),
  status: z.string(),
  status_details: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  created_at: z.string().nullish(),
});
export type InstanceWire = z.infer<typeof InstanceWire>;

export const InstancesResponse = z.looseObject({ instances: z.array(InstanceWire) });
/** /instances/{id}/info answers the instance itself, not wrapped. */
export const InstanceInfoResponse = InstanceWire;
export const CreateResponse = z.looseObject({ id: z.string().min(1) });

/** Delete, restart and update answer 200 with no body (or a body we do not need). */
export const NoContent = z.unknown();

export const SshKeyWire = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  public_key: z.string(),
});
export type SshKeyWire = z.infer<typeof SshKeyWire>;

export const SshKeysResponse = z.looseObject({ ssh_keys: z.array(SshKeyWire) });
export const AddSshKeyResponse = z.looseObject({ id: z.string().min(1) });
