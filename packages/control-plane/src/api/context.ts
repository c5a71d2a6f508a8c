import type { TokenStore } from '../auth/tokens.js';
import type { CredentialStore } from '../credentials/store.js';
import type { Db } from '../db/open.js';
import type { SyncScheduler } from '../jobs/scheduler.js';
import type { Metrics } from '../metrics.js';

/** What the API's routes reach: storage and the services over it. */
export interface ApiContext {
  readonly db: Db;
  readonly credentials: CredentialStore;
  readonly tokens: TokenStore;
  readonly scheduler: SyncScheduler;
  readonly metrics: Metrics;
}
