import { z } from 'zod';

/**
 * LaunchPad's answers as the adapter reads them. Objects are loose (fields added later are kept
 * and ignored); enums (`state`, `system_arch`, storage `type`, task `status`) are read as strings
 * so that a new value reaches a logged fallback instead of failing the whole answer.
 */

/** One page of a Django REST framework list: `count`, `next`, `previous`, `results`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.looseObject({
    count: z.number().int().nonnegative().optional(),
    next: z.string().nullish(),
    previous: z.string().nullish(),
    results: z.array(item),
  });
}

const Count = z.number().int().nonnegative();

/** One instance type of /v1/catalog/instance-types/, checked one by one (catalog.ts). */
export const InstanceTypeWire = z.looseObject({
  cloud: z.string().min(1),
  cpu: z.number().int().positive(),
  memory_gb: z.number().nonnegative(),
  gpu: z.looseObject({
    count: Count,
    family: z.string().nullish(),
    manufacturer: z.string().nullish(),
    interconnection_type: z.string().nullish(),
    memory_gb: z.number().nonnegative().nullish(),
    model: z.string().min(1),
  }),
  // Read leniently: a missing or odd price sends the type to the operator's price list instead
  // of making the whole entry unreadable.
  price: z
    .looseObject({ currency: z.string().nullish(), on_demand_per_hour: z.number().nullish() })
    .nullish()
    .catch(null),
  capacity: z.record(z.string(), Count).nullish(),
  regions: z.array(z.string().min(1)).nullish(),
  storage: z.array(z.looseObject({ size_gb: Count, type: z.string().nullish() })).nullish(),
  system_arch: z.string().nullish(),
  workshop_id: z.string().nullish(),
});
export type InstanceTypeWire = z.infer<typeof InstanceTypeWire>;

export const InstanceTypesPage = pageOf(z.unknown());

/** The cluster a deployment runs on, when the answer expands it (`expand=cluster`). */
const ClusterWire = z.looseObject({
  id: z.string().optional(),
  public_address: z.string().nullish(),
});

export const DeploymentWire = z.looseObject({
  id: z.string().min(1),
  state: z.string(),
  created: z.string().nullish(),
  // A UUID, or the cluster itself when expanded; anything else reads as "not known".
  cluster: z.union([z.string(), ClusterWire]).nullish().catch(null),
  provider_name: z.string().nullish(),
  region: z.string().nullish(),
  gpu_alias: z.string().nullish(),
  gpu_model: z.string().nullish(),
  gpu_count: z.number().nullish(),
  ssh_user: z.string().nullish(),
  ssh_port: z.number().nullish(),
  // Declared without a type (`tags: {}`); the spec's examples give a string map.
  tags: z.unknown(),
});
export type DeploymentWire = z.infer<typeof DeploymentWire>;

export const DeploymentsPage = pageOf(DeploymentWire);

export const DeploymentTaskWire = z.looseObject({
  id: z.string().optional(),
  status: z.string().nullish(),
  status_text: z.string().nullish(),
});

/** Answers whose content the adapter does not need (delete's 200 or 204, tag updates). */
export const Ignored = z.unknown();
