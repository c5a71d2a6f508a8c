import { InstanceSchema, type Instance } from '../src/index.js';

/** A valid instance for tests; fields can be overridden. */
export function sampleInstance(overrides: Partial<Instance> = {}): Instance {
  return InstanceSchema.parse({
    cloudId: 'i-1',
    refId: 'ref-1',
    cloudCredRefId: 'cred-1',
    name: 'test',
    provider: 'test',
    cloud: 'test',
    location: 'us-east',
    instanceTypeId: 'us-east/t1',
    instanceType: 't1',
    status: { lifecycle: 'running', native: 'active' },
    createdAt: '2026-01-01T00:00:00Z',
    publicIp: null,
    privateIp: null,
    hostname: null,
    sshUser: 'ubuntu',
    sshPort: 22,
    tags: {},
    stoppable: true,
    rebootable: true,
    ...overrides,
  });
}
