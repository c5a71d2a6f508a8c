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
