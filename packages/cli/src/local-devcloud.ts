import { startDevcloud, type Devcloud } from '@cloudplane/devcloud';
import type { Probes } from '@cloudplane/conformance';

/**
 * A devcloud in this process, with the conformance probes wired to its admin API: what
 * `cloudplane conformance --devcloud` and the control plane's built-in cloud run on.
 */
export async function startLocalDevcloud(options: { fast?: boolean } = {}): Promise<Devcloud> {
  return startDevcloud(options.fast === true ? { timings: FAST_TIMINGS } : {});
}

export const FAST_TIMINGS = {
  bootStepMs: 100,
  stopMs: 100,
  startMs: 100,
  rebootMs: 100,
  terminateMs: 100,
};

export function devcloudProbes(cloud: Devcloud): Probes {
  const setFaults = async (faults: unknown) => {
    const response = await fetch(`${cloud.url}/admin/faults`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${cloud.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
    if (!response.ok) throw new Error(`devcloud admin: HTTP ${response.status}`);
  };
  const restore = () => setFaults({});
  return {
    provokeCapacityError: async () => {
      await setFaults({ outOfCapacity: true });
      return restore;
    },
    failListPage: async () => {
      await setFaults({ failPage: 1 });
      return restore;
    },
  };
}
