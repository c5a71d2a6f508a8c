import { randomBytes } from 'node:crypto';
import { startDevcloud } from '@cloudplane/devcloud';
import { silentLogger } from '@cloudplane/sdk';
import { CatalogSyncer, type SyncResult } from '../src/catalog/syncer.js';
import { CredentialStore } from '../src/credentials/store.js';
import { openStorage } from '../src/db/open.js';
import { BUILT_IN_PROVIDERS, providerRegistry } from '../src/providers.js';
import { Vault } from '../src/vault/index.js';

/**
 * Catalog sync of a 10,000-type devcloud into an empty embedded store, then an unchanged
 * re-sync, then a re-sync with 1% of prices changed. Each is reported against a floor: fetching
 * the same pages and JSON-parsing them, which any sync must at least do. Prints figures and
 * ratios; asserts nothing about time.
 */

const TYPES = 10_000;
const PAGE = 500;

const cloud = await startDevcloud({ catalogSize: TYPES });
const storage = await openStorage({ kind: 'pglite', dataDir: 'memory' });
const store = new CredentialStore(
  storage.db,
  new Vault(randomBytes(32)),
  providerRegistry(BUILT_IN_PROVIDERS),
);
const syncer = new CatalogSyncer({ db: storage.db, credentials: store, logger: silentLogger });
const { id } = await store.add({
  provider: 'devcloud',
  name: 'bench',
  credential: { apiKey: cloud.apiKey, baseUrl: cloud.url },
});

/** Walks /v1/instance-types page by page and parses each body: the least a sync must do. */
async function floorMs(): Promise<number> {
  const t0 = performance.now();
  let cursor: string | null = null;
  do {
    const response = await fetch(
      `${cloud.url}/v1/instance-types?limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`,
      { headers: { authorization: `Bearer ${cloud.apiKey}` } },
    );
    const body = JSON.parse(await response.text()) as { next_cursor: string | null };
    cursor = body.next_cursor;
  } while (cursor !== null);
  return performance.now() - t0;
}

async function measure(label: string): Promise<SyncResult> {
  const floor = Math.min(await floorMs(), await floorMs());
  const t0 = performance.now();
  const result = await syncer.sync(id);
  const ms = performance.now() - t0;
  if (result.outcome !== 'ok')
    throw new Error(`${label}: sync ${result.outcome}: ${result.reason ?? ''}`);
  console.log(
    `${label.padEnd(26)} ${ms.toFixed(0).padStart(6)} ms  rows written ${String(result.counts.rowsWritten).padStart(6)}  ` +
      `(+${result.counts.added} ~${result.counts.priceChanged} price -${result.counts.removed})  ` +
      `floor (fetch + JSON.parse) ${floor.toFixed(0)} ms  ratio ${(ms / floor).toFixed(1)}x`,
  );
  return result;
}

console.log(`catalog sync, ${TYPES} instance types from devcloud into embedded PGlite`);
await measure('first sync (empty store)');
const unchanged = await measure('unchanged re-sync');
if (unchanged.counts.rowsWritten !== 0) throw new Error('an unchanged re-sync wrote catalog rows');
const changes = cloud.cloud.offers
  .filter((_, i) => i % 100 === 0)
  .map((o) => ({ name: o.name, price_per_hour: (Number(o.pricePerHour) * 1.1).toFixed(3) }));
for (const change of changes) {
  const offer = cloud.cloud.offersByName.get(change.name);
  if (offer) offer.pricePerHour = change.price_per_hour;
}
await measure(`re-sync, ${changes.length} prices changed`);
console.log(`heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
await storage.close();
await cloud.close();
