import { instanceTypeId, normalizeGpu, type InstanceType } from '@cloudplane/sdk';

/** A one-GPU (NVIDIA L4) instance type of a test cloud, at 0.49 USD an hour. */
export function l4Type(
  cloud: string,
  location: string,
  type: string,
  overrides: Partial<InstanceType> = {},
): InstanceType {
  return {
    id: instanceTypeId({ location, type }),
    type,
    provider: cloud,
    cloud,
    location,
    availableZones: [],
    gpus: [{ count: 1, gpu: normalizeGpu('NVIDIA L4 24GB').record, raw: 'NVIDIA L4 24GB' }],
    vcpu: 8,
    memory: { value: 32, unit: 'GiB' },
    storage: [],
    architecture: 'x86_64',
    price: { amount: 49, scale: 2, currency: 'USD' },
    available: true,
    stoppable: false,
    rebootable: false,
    canModifyFirewallRules: false,
    ...overrides,
  };
}
