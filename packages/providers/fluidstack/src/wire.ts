import { z } from 'zod';

/**
 * Fluidstack's answers as we read them. Objects are loose (fields added later are kept and
 * ignored); `state` is read as a string so that a new value reaches the status map's logged
 * fallback instead of failing the whole answer. Lists are parsed entry by entry where one odd
 * entry must not hide the others (the catalog).
 */

export const InstanceTypeWire = z.looseObject({
  name: z.string().min(1),
  cpu: z.number().int().positive(),
  /** A Kubernetes quantity: "960Gi". */
  memory: z.string().min(1),
  gpuModel: z.string().nullish(),
  gpuCount: z.number().int().nonnegative().nullish(),
});
export type InstanceTypeWire = z.infer<typeof InstanceTypeWire>;

export const InstanceTypesResponse = z.array(z.unknown());

export const CapacityWire = z.looseObject({
  name: z.string().min(1),
  capacity: z.number().int(),
});
export const CapacityResponse = z.array(CapacityWire);

export const InstanceWire = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  type: z.string().min(1),
  /** The spec: "Private IP address of the instance". */
  ip: z.string().nullish(),
  state: z.string(),
  image: z.string().nullish(),
  tags: z.record(z.string(), z.string()).nullish(),
});
export type InstanceWire = z.infer<typeof InstanceWire>;

export const InstancesResponse = z.array(InstanceWire);

/** Answers without a body (204 delete, 202 start and stop). */
export const NoContent = z.unknown();
