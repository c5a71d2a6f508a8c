import { z } from 'zod';

/** devcloud's response shapes (packages/devcloud/openapi.yaml); unknown fields are tolerated. */

export const WireRegion = z.looseObject({
  id: z.string(),
  name: z.string(),
  country: z.string(),
  zones: z.array(z.string()),
  available: z.boolean(),
});
export const RegionsResponse = z.looseObject({ regions: z.array(WireRegion) });

export const WireOffer = z.looseObject({
  name: z.string(),
  region: z.string(),
  zone: z.string().nullable(),
  gpu: z.looseObject({ count: z.number().int().nonnegative(), description: z.string() }),
  vcpus: z.number().int().positive(),
  memory_gib: z.number().positive(),
  disk_gb: z.number().nonnegative(),
  price_per_hour: z.string(),
  available_capacity: z.number().int().nonnegative(),
  stoppable: z.boolean(),
});
export type WireOffer = z.infer<typeof WireOffer>;
export const OffersPage = z.looseObject({
  instance_types: z.array(WireOffer),
  next_cursor: z.string().nullable(),
});

export const WireInstance = z.looseObject({
  id: z.string(),
  name: z.string(),
  instance_type: z.string(),
  region: z.string(),
  zone: z.string().nullable(),
  status: z.string(),
  status_message: z.string().nullable(),
  created_at: z.string(),
  public_ip: z.string().nullable(),
  private_ip: z.string().nullable(),
  ssh_user: z.string(),
  ssh_port: z.number().int(),
  disk_gb: z.number(),
  tags: z.record(z.string(), z.string()),
});
export type WireInstance = z.infer<typeof WireInstance>;
export const InstanceResponse = z.looseObject({ instance: WireInstance });
export const InstancesPage = z.looseObject({
  instances: z.array(WireInstance),
  next_cursor: z.string().nullable(),
});

export const WireSshKey = z.looseObject({
  id: z.string(),
  name: z.string(),
  public_key: z.string(),
});
export const SshKeysResponse = z.looseObject({ ssh_keys: z.array(WireSshKey) });
export const SshKeyResponse = z.looseObject({ ssh_key: WireSshKey });
