export { Vault, VaultError, CURRENT_KEY_VERSION } from './vault.js';
export { loadMasterKey, MasterKeyError, MASTER_KEY_ENV, MASTER_KEY_BYTES } from './master-key.js';
