import { randomBytes } from 'node:crypto';
import { startDevcloud, type Devcloud, type DevcloudOptions } from '@cloudplane/devcloud';
import { memoryLogger } from '@cloudplane/sdk';
import { CatalogSyncer, type SyncerOptions } from '../../src/catalog/syncer.js';
import { CredentialStore } from '../../src/credentials/store.js';
import type { Storage } from '../../src/db/open.js';
import { SyncScheduler, type SchedulerOptions } from '../../src/jobs/scheduler.js';
import { BUILT_IN_PROVIDERS, providerRegistry } from '../../src/providers.js';
import { Vault } from '../../src/vault/index.js';
import { freshStorage, type Engine } from './storage.js';

/** A storage engine, a vault, a credential store, a devcloud and a syncer, for one test. */
export interface World {
  readonly storage: Storage;
  readonly vault: Vault;
  readonly store: CredentialStore;
  readonly cloud: Devcloud;
  readonly syncer: CatalogSyncer;
  readonly logger: ReturnType<typeof memoryLogger>;
  /** Adds a credential for the devcloud and returns its id. */
  addDevcloud(name?: string): Promise<string>;
  /** A job scheduler (one "node") over this world's storage and syncer. */
  scheduler(options?: Partial<SchedulerOptions>): SyncScheduler;
  /** Changes devcloud prices through its admin API. */
  setPrices(changes: { name: string; price_per_hour: string }[]): Promise<void>;
  close(): Promise<void>;
}

export async function makeWorld(
  engine: Engine,
  options: { devcloud?: DevcloudOptions; syncer?: Partial<SyncerOptions> } = {},
): Promise<World> {
  const storage = await freshStorage(engine);
  const vault = new Vault(randomBytes(32));
  const store = new CredentialStore(storage.db, vault, providerRegistry(BUILT_IN_PROVIDERS));
  const cloud = await startDevcloud({ catalogSize: 40, ...options.devcloud });
  const logger = memoryLogger();
  const syncer = new CatalogSyncer({
    db: storage.db,
    credentials: store,
    logger,
    ...options.syncer,
  });
  return {
    storage,
    vault,
    store,
    cloud,
    syncer,
    logger,
    async addDevcloud(name = 'dev') {
      const added = await store.add({
        provider: 'devcloud',
        name,
        credential: { apiKey: cloud.apiKey, baseUrl: cloud.url },
      });
      return added.id;
    },
    scheduler(overrides = {}) {
      return new SyncScheduler({
        storage,
        syncer,
        credentials: store,
        providers: providerRegistry(BUILT_IN_PROVIDERS),
        logger,
        pollingIntervalSeconds: 0.5,
        ...overrides,
      });
    },
    async setPrices(changes) {
      const response = await fetch(`${cloud.url}/admin/prices`, {
        method: 'POST',
        headers: { authorization: `Bearer ${cloud.adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ changes }),
      });
      if (!response.ok) throw new Error(`admin/prices: HTTP ${response.status}`);
    },
    async close() {
      await cloud.close();
      await storage.close();
    },
  };
}
