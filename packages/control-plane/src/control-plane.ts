import { setMaxListeners } from 'node:events';
import type { Logger as PinoLogger } from 'pino';
import { buildApi, type Api } from './api/server.js';
import { TokenStore, type NewToken } from './auth/tokens.js';
import type { PlausibilityLimits } from './catalog/diff.js';
import { CatalogSyncer } from './catalog/syncer.js';
import { CatalogView } from './catalog/view.js';
import { CredentialStore } from './credentials/store.js';
import { openStorage, type Storage, type StorageTarget } from './db/open.js';
import { StoreVersions } from './db/versions.js';
import { loggableMessage } from './storage-errors.js';
import { countLiveOffers } from './catalog/query.js';
import { SyncScheduler } from './jobs/scheduler.js';
import { Metrics } from './metrics.js';
import { BUILT_IN_PROVIDERS, providerRegistry, type ProviderRegistry } from './providers.js';
import { Vault } from './vault/index.js';
import { ActionRunner } from './instances/actions.js';
import { CapacityMemory, DEFAULT_CAPACITY_TTL_MS } from './instances/capacity.js';
import { announceSyncSoon, EventBell } from './instances/events.js';
import type { SyncLoopTimings } from './instances/sync-loop.js';
import { InstanceJobs } from './instances/jobs.js';
import { Launcher } from './instances/launcher.js';
import { CredentialRemoval } from './instances/credential-removal.js';
import { OrphanService } from './instances/orphans.js';
import { InstanceRows } from './instances/rows.js';
import { InstanceService } from './instances/service.js';
import { InstanceSyncer } from './instances/syncer.js';
import { SshKeyStore } from './users/ssh-keys.js';
import { UserStore, type User } from './users/users.js';

/**
 * One control plane: storage (migrated), vault, credential store, token store, catalog syncer,
 * job scheduler and the REST API, started in that order and closed in the reverse one.
 */

/** Connections the kernel may hold for the API before it accepts them. */
const LISTEN_BACKLOG = 4_096;

export interface ControlPlaneOptions {
  readonly storage: StorageTarget;
  readonly masterKey: Buffer;
  readonly logger: PinoLogger;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly providers?: ProviderRegistry;
  readonly syncTimeoutMs?: number;
  readonly plausibility?: PlausibilityLimits;
  readonly jobPollingIntervalSeconds?: number;
  /** Injected into provider clients (tests). */
  readonly fetch?: typeof fetch;
  /** How long a capacity refusal keeps its offer, location or credential unavailable. */
  readonly capacityTtlMs?: number;
  /** How often an event stream reads again with no wake-up (tests turn it off). Default 5 s. */
  readonly eventPollMs?: number;
  /** Lease TTL and rounds of the instance syncs' ownership (tests shorten them). */
  readonly instanceSyncTimings?: Partial<SyncLoopTimings>;
  /**
   * First attempts of launches this node sends to providers itself at once; launches past it
   * wait for a create worker. Default `DEFAULT_DIRECT_LAUNCHES` (256).
   */
  readonly maxDirectLaunches?: number;
  /** How often this node queues again the instance work a lost job left undone. Default 15 s. */
  readonly instanceSweepIntervalMs?: number;
}

export interface ControlPlane {
  readonly url: string;
  readonly api: Api;
  readonly storage: Storage;
  readonly credentials: CredentialStore;
  readonly tokens: TokenStore;
  readonly syncer: CatalogSyncer;
  /** The in-memory catalog `GET /v1/offers` is served from. */
  readonly catalogView: CatalogView;
  readonly scheduler: SyncScheduler;
  readonly users: UserStore;
  readonly instances: InstanceService;
  readonly instanceSyncer: InstanceSyncer;
  readonly instanceJobs: InstanceJobs;
  /** The first admin: the owner of the first token and of `--token-out` tokens. */
  readonly firstAdmin: User;
  /** The admin token created on this start because none existed; null on later starts. */
  readonly firstToken: NewToken | null;
  /** Live offers of one credential. */
  offerCount(credentialId: string): Promise<number>;
  close(): Promise<void>;
}

/** Event streams are woken by the bell; this read catches a wake-up lost in a reconnect. */
const DEFAULT_EVENT_POLL_MS = 5_000;

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const { logger } = options;
  const providers = options.providers ?? providerRegistry(BUILT_IN_PROVIDERS);
  const storage = await openStorage(options.storage, (err) => {
    logger.warn({ err: err.message }, 'a database connection dropped; it will be replaced');
  });
  const shutdown = new AbortController();
  // Every open event stream and every job in flight listens for shutdown: any number is
  // expected, so Node's leak warning (past 10 listeners) would only be noise.
  setMaxListeners(0, shutdown.signal);
  const closers: (() => Promise<void>)[] = [() => storage.close()];
  /** Run before anything is aborted: the job workers and sync loops stop taking work. */
  const quiescers: (() => Promise<void>)[] = [];
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      for (const quiesce of quiescers) {
        await quiesce().catch((err: unknown) => {
          logger.warn({ err: loggableMessage(err) }, 'could not stop taking work before shutdown');
        });
      }
      shutdown.abort();
      for (const closer of [...closers].reverse()) await closer();
    })());
  try {
    const credentials = new CredentialStore(storage.db, new Vault(options.masterKey), providers);
    const tokens = new TokenStore(storage.db);
    const store = await StoreVersions.open(storage);
    closers.push(store.close);
    const versions = store.versions;
    const catalogView = new CatalogView(storage.db, logger.child({ component: 'catalog-view' }));
    const metrics = new Metrics(storage.db);
    const capacity = new CapacityMemory(
      storage.db,
      options.capacityTtlMs ?? DEFAULT_CAPACITY_TTL_MS,
      metrics,
    );
    const syncer = new CatalogSyncer({
      db: storage.db,
      capacity,
      credentials,
      logger: logger.child({ component: 'catalog-syncer' }),
      metrics,
      signal: shutdown.signal,
      ...(options.syncTimeoutMs === undefined ? {} : { timeoutMs: options.syncTimeoutMs }),
      ...(options.plausibility ? { limits: options.plausibility } : {}),
    });
    const scheduler = new SyncScheduler({
      storage,
      syncer,
      credentials,
      providers,
      logger: logger.child({ component: 'scheduler' }),
      ...(options.jobPollingIntervalSeconds === undefined
        ? {}
        : { pollingIntervalSeconds: options.jobPollingIntervalSeconds }),
    });
    const bell = new EventBell();
    if (options.storage.kind === 'postgres') {
      closers.push(await bell.listen(options.storage.url, logger.child({ component: 'events' })));
    }
    const rows = new InstanceRows(storage.db, bell);
    const clientOptions = {
      signal: shutdown.signal,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    };
    const instanceLogger = logger.child({ component: 'instances' });
    const instanceSyncer = new InstanceSyncer({
      db: storage.db,
      rows,
      credentials,
      logger: instanceLogger,
      metrics,
      clientOptions,
    });
    const instanceJobs = new InstanceJobs({
      boss: scheduler.boss,
      leases: scheduler.leases,
      storage,
      credentials,
      providers,
      launcher: new Launcher({
        db: storage.db,
        rows,
        credentials,
        logger: instanceLogger,
        clientOptions,
        capacity,
        providers,
      }),
      actions: new ActionRunner({ rows, credentials, logger: instanceLogger, clientOptions }),
      syncer: instanceSyncer,
      ...(options.storage.kind === 'postgres'
        ? { announceSync: (credentialId: string) => announceSyncSoon(storage.db, credentialId) }
        : {}),
      ...(options.instanceSyncTimings ? { syncLoopTimings: options.instanceSyncTimings } : {}),
      signal: shutdown.signal,
      ...(options.maxDirectLaunches === undefined
        ? {}
        : { maxDirectLaunches: options.maxDirectLaunches }),
      ...(options.instanceSweepIntervalMs === undefined
        ? {}
        : { sweepIntervalMs: options.instanceSweepIntervalMs }),
      logger: instanceLogger,
      ...(options.jobPollingIntervalSeconds === undefined
        ? {}
        : { pollingIntervalSeconds: options.jobPollingIntervalSeconds }),
    });
    await scheduler.start();
    closers.push(() => scheduler.stop());
    quiescers.push(() => scheduler.quiesce());
    bell.on('sync-soon', (credentialId: string) => instanceJobs.syncs.heard(credentialId));
    await instanceJobs.start();
    closers.push(() => instanceJobs.stop());
    quiescers.push(() => instanceJobs.quiesce());
    const users = new UserStore(storage.db);
    const keys = new SshKeyStore(storage.db);
    const firstAdmin = await users.ensureFirstAdmin();
    const instances = new InstanceService({
      db: storage.db,
      rows,
      keys,
      providers,
      jobs: instanceJobs,
      bell,
      capacity,
    });
    const orphans = new OrphanService({
      db: storage.db,
      credentials,
      bell,
      logger: instanceLogger,
      clientOptions,
    });
    const api = await buildApi(
      {
        db: storage.db,
        versions,
        catalogView,
        credentials,
        tokens,
        scheduler,
        metrics,
        providers,
        users,
        keys,
        instances,
        instanceJobs,
        orphans,
        credentialRemoval: new CredentialRemoval({
          db: storage.db,
          credentials,
          logger: instanceLogger,
          clientOptions,
        }),
        bell,
        capacity,
        eventPollMs: options.eventPollMs ?? DEFAULT_EVENT_POLL_MS,
        signal: shutdown.signal,
      },
      logger,
    );
    const address = await api.listen({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      // Node's default (511) drops connections when a few thousand clients connect at once; the
      // kernel still caps this at net.core.somaxconn.
      backlog: LISTEN_BACKLOG,
    });
    closers.push(() => api.close());
    // Made once nothing else here can fail: it is shown only on the start that made it, and a
    // start that fails (say, on a port in use) must not leave one nobody was shown.
    const firstToken = await tokens.ensureOne(firstAdmin.id);
    // Searches read the database until the view has loaded; it loads now, not on first use.
    const warming = versions
      .current()
      .then((v) => catalogView.warm(v))
      .catch((err: unknown) => {
        logger.warn({ err: loggableMessage(err) }, 'could not start loading the catalog view');
      });
    closers.push(() => warming);
    return {
      url: address,
      api,
      storage,
      credentials,
      tokens,
      syncer,
      catalogView,
      scheduler,
      users,
      instances,
      instanceSyncer,
      instanceJobs,
      firstAdmin,
      firstToken,
      offerCount: (credentialId) => countLiveOffers(storage.db, credentialId),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
