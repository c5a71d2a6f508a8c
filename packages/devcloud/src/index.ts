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
export { setFaults, conformanceProbes, type DevcloudAdminTarget } from './admin.js';
