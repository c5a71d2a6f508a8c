import { defineProvider, type CloudClient, type Instance, type Provider } from '@cloudplane/sdk';
import { z } from 'zod';
import { l4Type } from './instance-types.js';

/**
 * A cloud inside the test process, for measuring and testing the create path: one location,
 * one instance type, a createInstance that answers after the credential's `latencyMs` and
 * records (by refId, on the performance clock) when it was entered and when it returned.
 * Lists answer at once with what was created, so syncs cost the control plane's share only.
 */

export const RECORDING_CLOUD = 'recordingcloud';
export const RECORDING_LOCATION = 'rec-1';
const TYPE = 'gpu.1x';

export const RecordingCredential = z.object({ latencyMs: z.number().int().min(0).max(60_000) });
export type RecordingCredential = z.infer<typeof RecordingCredential>;

/** When the provider saw one launch. */
export interface ProviderCall {
  readonly entered: number;
  returned?: number;
  cloudId?: string;
}

export interface RecordingCloud {
  readonly provider: Provider;
  /** Every createInstance call, by refId. */
  readonly calls: ReadonlyMap<string, ProviderCall>;
  /** The call for `refId`, once createInstance has returned it (at once if it has). */
  returned(refId: string): Promise<ProviderCall>;
}

const catalogType = l4Type(RECORDING_CLOUD, RECORDING_LOCATION, TYPE);

export function recordingCloud(): RecordingCloud {
  const calls = new Map<string, ProviderCall>();
  const launched = new Map<string, Instance[]>();
  const waiting = new Map<string, ((call: ProviderCall) => void)[]>();
  const returned = (refId: string): Promise<ProviderCall> => {
    const call = calls.get(refId);
    if (call?.returned !== undefined) return Promise.resolve(call);
    return new Promise((resolve) => waiting.set(refId, [...(waiting.get(refId) ?? []), resolve]));
  };

  const makeClient = ({
    credential,
    cloudCredRefId,
  }: {
    credential: RecordingCredential;
    cloudCredRefId: string;
  }): CloudClient => {
    const mine = launched.get(cloudCredRefId) ?? [];
    launched.set(cloudCredRefId, mine);
    const notUsed = () => Promise.reject(new Error('not used on the create path'));
    return {
      providerId: RECORDING_CLOUD,
      cloudCredRefId,
      getLocations: () =>
        Promise.resolve([
          { name: RECORDING_LOCATION, description: RECORDING_LOCATION, available: true },
        ]),
      getInstanceTypes: () => Promise.resolve([catalogType]),
      async createInstance(attrs) {
        const call: ProviderCall = { entered: performance.now() };
        calls.set(attrs.refId, call);
        if (credential.latencyMs > 0) {
          await new Promise((r) => setTimeout(r, credential.latencyMs));
        }
        const instance: Instance = {
          cloudId: `rec-${String(mine.length + 1)}-${attrs.refId.slice(0, 8)}`,
          refId: attrs.refId,
          cloudCredRefId,
          name: attrs.name ?? attrs.refId,
          provider: RECORDING_CLOUD,
          cloud: RECORDING_CLOUD,
          location: RECORDING_LOCATION,
          instanceTypeId: catalogType.id,
          instanceType: TYPE,
          status: { lifecycle: 'pending', native: 'provisioning' },
          createdAt: new Date().toISOString(),
          publicIp: null,
          privateIp: null,
          hostname: null,
          sshUser: 'ubuntu',
          sshPort: 22,
          tags: {},
          stoppable: false,
          rebootable: false,
        };
        mine.push(instance);
        call.cloudId = instance.cloudId;
        call.returned = performance.now();
        for (const wake of waiting.get(attrs.refId) ?? []) wake(call);
        waiting.delete(attrs.refId);
        return instance;
      },
      getInstance: notUsed,
      listInstances: () => Promise.resolve([...mine]),
      terminateInstance: (cloudId) => {
        const at = mine.findIndex((i) => i.cloudId === cloudId);
        if (at >= 0) mine.splice(at, 1);
        return Promise.resolve();
      },
    };
  };

  const provider = defineProvider<RecordingCredential>({
    id: RECORDING_CLOUD,
    displayName: 'In-process recording cloud',
    credentialSchema: RecordingCredential,
    secretFields: [],
    apiType: 'global',
    firewallAtCreate: 'unsupported',
    // Never the limit under test: the control plane's own share is.
    maxCreatesPerMinute: 1_000_000,
    pollIntervals: { instanceTypesMs: 86_400_000 },
    capabilities: () => [],
    makeClient,
  }) as Provider;

  return { provider, calls, returned };
}
