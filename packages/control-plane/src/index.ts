export * from './vault/index.js';
export { startControlPlane, type ControlPlane, type ControlPlaneOptions } from './control-plane.js';
export { openStorage, type Storage, type StorageTarget } from './db/open.js';
export { makeLogger } from './logger.js';
export { ControlPlaneError } from './errors.js';
export { BUILT_IN_PROVIDERS, providerRegistry, type ProviderRegistry } from './providers.js';
export type { CredentialSummary } from './credentials/store.js';
export type { SyncResult } from './catalog/syncer.js';
export { fetchCatalog, type CatalogFetch } from './catalog/fetch.js';
