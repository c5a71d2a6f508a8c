export { startDevcloud, type Devcloud, type DevcloudOptions } from './server.js';
export {
  VirtualBackend,
  type MachineBackend,
  type MachineSpec,
  type MachineAddress,
} from './backend.js';
export { NATIVE_STATUSES, DEFAULT_TIMINGS, type NativeStatus, type Timings } from './cloud.js';
export {
  FaultConfigSchema,
  ENDPOINTS,
  MUTATING_ENDPOINTS,
  type MutatingEndpoint,
  FAULT_KINDS,
  type FaultKind,
  type FaultConfig,
  type FaultConfigInput,
  type FaultRule,
} from './faults.js';
export { generateCatalog, REGIONS, type Offer } from './catalog.js';
export {
  createNetnsBackend,
  NetnsBackend,
  type NetnsBackendOptions,
} from './netns/netns-backend.js';
export {
  setFaults,
  conformanceProbes,
  listAllInstances,
  AdminInstanceSchema,
  type AdminInstance,
  type DevcloudAdminTarget,
} from './admin.js';
