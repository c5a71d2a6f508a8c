import { z } from 'zod';
import { NATIVE_STATUSES } from './cloud.js';
import type { FaultConfigInput } from './faults.js';

/** What talking to a running devcloud's admin API needs. */
export interface DevcloudAdminTarget {
  readonly url: string;
  readonly adminKey: string;
}

/** Replaces the running devcloud's fault config (PUT /admin/faults). */
export async function setFaults(
  cloud: DevcloudAdminTarget,
  faults: FaultConfigInput,
): Promise<void> {
  const response = await fetch(`${cloud.url}/admin/faults`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${cloud.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!response.ok)
    throw new Error(`devcloud admin: PUT /admin/faults answered HTTP ${response.status}`);
}

/** One entry of GET /admin/instances. */
export const AdminInstanceSchema = z.object({
  id: z.string(),
  name: z.string(),
  instance_type: z.string(),
  region: z.string(),
  zone: z.string().nullable(),
  status: z.enum(NATIVE_STATUSES),
  tags: z.record(z.string(), z.string()),
  created_at: z.string(),
  terminated_at: z.string().nullable(),
});
export type AdminInstance = z.infer<typeof AdminInstanceSchema>;

/**
 * Every instance the devcloud holds (GET /admin/instances), bypassing faults and pagination:
 * the ground truth to check a caller against, e.g. how many launches one refId really made.
 * `tag` is `key:value`.
 */
export async function listAllInstances(
  cloud: DevcloudAdminTarget,
  options: { readonly tag?: string } = {},
): Promise<AdminInstance[]> {
  const query = options.tag === undefined ? '' : `?tag=${encodeURIComponent(options.tag)}`;
  const response = await fetch(`${cloud.url}/admin/instances${query}`, {
    headers: { authorization: `Bearer ${cloud.adminKey}` },
  });
  if (!response.ok)
    throw new Error(`devcloud admin: GET /admin/instances answered HTTP ${response.status}`);
  return z.object({ instances: z.array(AdminInstanceSchema) }).parse(await response.json())
    .instances;
}

/**
 * The conformance suite's probes (its `Probes` option), wired to this devcloud: run out of
 * capacity, fail a list page; each returns the function that undoes it.
 */
export function conformanceProbes(cloud: DevcloudAdminTarget) {
  const provoke = (faults: FaultConfigInput) => async () => {
    await setFaults(cloud, faults);
    return () => setFaults(cloud, {});
  };
  return {
    provokeCapacityError: provoke({ outOfCapacity: true }),
    failListPage: provoke({ failPage: 1 }),
  };
}
