import type { TokenStore } from '../auth/tokens.js';
import type { CatalogView } from '../catalog/view.js';
import type { CredentialStore } from '../credentials/store.js';
import type { Db } from '../db/open.js';
import type { StoreVersions } from '../db/versions.js';
import type { CapacityMemory } from '../instances/capacity.js';
import type { CredentialRemoval } from '../instances/credential-removal.js';
import type { EventBell } from '../instances/events.js';
import type { InstanceJobs } from '../instances/jobs.js';
import type { OrphanService } from '../instances/orphans.js';
import type { InstanceService } from '../instances/service.js';
import type { SyncScheduler } from '../jobs/scheduler.js';
import type { Metrics } from '../metrics.js';
import type { ProviderRegistry } from '../providers.js';
import type { SshKeyStore } from '../users/ssh-keys.js';
import type { UserStore } from '../users/users.js';

/** What the API's routes reach: storage and the services over it. */
export interface ApiContext {
  readonly db: Db;
  /** What nodes' in-memory copies check themselves against. */
  readonly versions: StoreVersions;
  readonly catalogView: CatalogView;
  readonly credentials: CredentialStore;
  /** Removes a credential once nothing it launched can still appear. */
  readonly credentialRemoval: CredentialRemoval;
  readonly tokens: TokenStore;
  readonly scheduler: SyncScheduler;
  readonly metrics: Metrics;
  readonly providers: ProviderRegistry;
  readonly users: UserStore;
  readonly keys: SshKeyStore;
  readonly instances: InstanceService;
  readonly instanceJobs: InstanceJobs;
  readonly orphans: OrphanService;
  readonly bell: EventBell;
  readonly capacity: CapacityMemory;
  /** How often an event stream reads again when nothing woke it. */
  readonly eventPollMs: number;
  /** Ends open event streams (shutdown). */
  readonly signal: AbortSignal;
}
