import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { offers, syncs } from '../db/schema.js';
import type { CatalogDiff, FetchedType } from './diff.js';
import { storedOfferOf, type StoredOffer } from './offer-row.js';

/**
 * What this node knows of each credential's stored catalog, so that a sync need not read every
 * stored fingerprint again. It stays right because a successful sync is the only writer of a
 * credential's offers (failed and refused syncs write none), and syncs of one credential run one
 * at a time, across nodes, under its lease. So the catalog is as this node last left it exactly
 * while the credential's latest successful sync is the one this node recorded: one indexed
 * look-up says so. When another node synced meanwhile, the catalog is read again.
 */

export interface StoredCatalog {
  /** The successful sync that left the catalog so; null before the first. */
  readonly syncId: number | null;
  readonly offers: ReadonlyMap<string, StoredOffer>;
  /**
   * The fetched list whose sync left the catalog so, when this node ran that sync: fetching the
   * very same list again (see fetch.ts) means nothing changed.
   */
  readonly applied?: readonly FetchedType[] | undefined;
}

interface Known {
  syncId: number | null;
  readonly offers: Map<string, StoredOffer>;
  applied?: readonly FetchedType[] | undefined;
}

export class KnownCatalogs {
  private readonly known = new Map<string, Known>();

  constructor(private readonly db: Db) {}

  /** The credential's stored catalog, from memory while it is current, else from the database. */
  async load(credentialId: string): Promise<StoredCatalog> {
    // The sync id first: should a sync commit between the two reads, the offers are newer than
    // the id, and the next load reads them again rather than trusting a stale catalog.
    const syncId = await latestGoodSync(this.db, credentialId);
    let known = this.known.get(credentialId);
    if (known === undefined || known.syncId !== syncId) {
      known = { syncId, offers: await readStored(this.db, credentialId) };
      this.known.set(credentialId, known);
    }
    // A snapshot of the sync id: the write checks it against the database, and `remember`
    // moves the kept one on.
    return { syncId: known.syncId, offers: known.offers, applied: known.applied };
  }

  /**
   * After `syncId` committed `diff` onto `base`: the catalog as it now stands. Must be called
   * only once the transaction committed, with the catalog `load` returned.
   */
  remember(
    credentialId: string,
    base: StoredCatalog,
    applied: {
      readonly syncId: number;
      readonly diff: CatalogDiff;
      readonly fetched: readonly FetchedType[];
      readonly at: Date;
    },
  ): void {
    const { syncId, diff, fetched, at } = applied;
    const known = this.known.get(credentialId);
    if (known === undefined || known.offers !== base.offers || known.syncId !== base.syncId) return;
    for (const item of [...diff.added, ...diff.changed]) {
      known.offers.set(item.type.id, storedOfferOf(item.type, item.fingerprint));
    }
    for (const gone of diff.removed) {
      known.offers.set(gone.typeId, { ...gone, available: false, goneAt: at });
    }
    known.syncId = syncId;
    known.applied = fetched;
  }

  forget(credentialId: string): void {
    this.known.delete(credentialId);
  }
}

/** The id of the credential's latest successful sync: the last one that wrote its offers. */
export async function latestGoodSync(db: Db, credentialId: string): Promise<number | null> {
  const [row] = await db
    .select({ id: syncs.id })
    .from(syncs)
    .where(and(eq(syncs.credentialId, credentialId), eq(syncs.outcome, 'ok')))
    .orderBy(desc(syncs.id))
    .limit(1);
  return row?.id ?? null;
}

async function readStored(db: Db, credentialId: string): Promise<Map<string, StoredOffer>> {
  const rows = await db
    .select({
      typeId: offers.typeId,
      fingerprint: offers.fingerprint,
      price: offers.price,
      currency: offers.currency,
      available: offers.available,
      goneAt: offers.goneAt,
    })
    .from(offers)
    .where(eq(offers.credentialId, credentialId));
  return new Map(rows.map((row) => [row.typeId, row]));
}
