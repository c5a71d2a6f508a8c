import { randomUUID } from 'node:crypto';
import { and, asc, count, eq } from 'drizzle-orm';
import type { Provider } from '@cloudplane/sdk';
import type { Db, Tx } from '../db/open.js';
import { credentials, instances, type SyncState } from '../db/schema.js';
import { ControlPlaneError, isUniqueViolation, issueList } from '../errors.js';
import { isLiveInstance } from '../instances/live.js';
import { requireProvider, type ProviderRegistry } from '../providers.js';
import type { Vault } from '../vault/index.js';
import { credentialScrubber } from './scrub.js';

/**
 * Provider credentials: validated with the provider's own schema before anything is stored,
 * sealed by the vault with the record id as AAD, and never handed out again except to a syncer
 * through `open`. Summaries show the non-secret fields only.
 */

export interface CredentialSummary {
  readonly id: string;
  readonly provider: string;
  readonly name: string;
  readonly createdAt: Date;
  /** The credential's fields minus the provider's `secretFields` (a baseUrl, a region). */
  readonly settings: Record<string, unknown>;
  readonly sync: {
    readonly state: SyncState;
    readonly reason: string | null;
    readonly lastSyncAt: Date | null;
    readonly lastGoodSyncAt: Date | null;
  };
  /** Why the instance syncer's latest list failed; null while lists succeed. */
  readonly instancesSyncError: string | null;
  /** Orphans are terminated once seen this long (ms); null: reported only. */
  readonly orphanTerminateAfterMs: number | null;
}

export interface OpenedCredential {
  readonly id: string;
  readonly provider: Provider;
  readonly credential: unknown;
  /**
   * Replaces this credential's secret values (the provider's `secretFields`, also base64- and
   * URL-encoded) and anything shaped like an auth header with `[redacted]`. Every text that came
   * back from the provider goes through it before it is logged, stored or served.
   */
  readonly scrub: (text: string) => string;
}

export interface NewCredential {
  readonly provider: string;
  readonly name: string;
  readonly credential: unknown;
  /** Terminate orphans seen this long (ms); absent or null: report them only. */
  readonly orphanTerminateAfterMs?: number | null | undefined;
}

/** A stored credential as read from its table (sealed). */
export type CredentialRow = typeof credentials.$inferSelect;

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/;

export class CredentialStore {
  /**
   * Opened credentials by record id, each with the sealed bytes it was opened from. `open` still
   * reads the record every time and uses a kept one only while the stored bytes are the very
   * same (sealing draws a fresh nonce, so a rotated value never matches, even if unchanged); a
   * removed record is not found. Any node's rotation or removal is thus seen at the next open;
   * only the decryption, the schema check and the scrubber are saved.
   */
  private readonly opened = new Map<string, { sealed: Buffer; opened: OpenedCredential }>();

  constructor(
    private readonly db: Db,
    private readonly vault: Vault,
    private readonly providers: ProviderRegistry,
  ) {}

  async add(input: NewCredential): Promise<CredentialSummary> {
    const { provider, value } = this.validate(input);
    const id = randomUUID();
    try {
      await this.db.insert(credentials).values({
        id,
        provider: provider.id,
        name: input.name,
        sealed: this.vault.seal(id, value),
        orphanTerminateAfterMs: input.orphanTerminateAfterMs ?? null,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(input.name);
      throw err;
    }
    return this.require(id);
  }

  /** Adds the credential, or replaces the sealed value of the one with the same name. */
  async upsertByName(input: NewCredential): Promise<CredentialSummary> {
    const existing = await this.db
      .select({ id: credentials.id, provider: credentials.provider })
      .from(credentials)
      .where(eq(credentials.name, input.name));
    const row = existing[0];
    if (!row) return this.add(input);
    if (row.provider !== input.provider) throw nameTaken(input.name);
    const { value } = this.validate(input);
    await this.db
      .update(credentials)
      .set({ sealed: this.vault.seal(row.id, value) })
      .where(eq(credentials.id, row.id));
    return this.require(row.id);
  }

  /** Sets what the instance syncer does with this credential's orphans. */
  async setOrphanPolicy(id: string, terminateAfterMs: number | null): Promise<CredentialSummary> {
    const updated = await this.db
      .update(credentials)
      .set({ orphanTerminateAfterMs: terminateAfterMs })
      .where(eq(credentials.id, id))
      .returning({ id: credentials.id });
    if (updated.length === 0) throw notFound(id);
    return this.require(id);
  }

  async list(): Promise<CredentialSummary[]> {
    const rows = await this.db.select().from(credentials).orderBy(asc(credentials.createdAt));
    return rows.map((row) => this.summarize(row));
  }

  /** Every credential's id and provider, without opening any sealed value (for schedulers). */
  async refs(): Promise<{ id: string; provider: string }[]> {
    return this.db
      .select({ id: credentials.id, provider: credentials.provider })
      .from(credentials)
      .orderBy(asc(credentials.createdAt));
  }

  async get(id: string): Promise<CredentialSummary | null> {
    const rows = await this.db.select().from(credentials).where(eq(credentials.id, id));
    const row = rows[0];
    return row ? this.summarize(row) : null;
  }

  async require(id: string): Promise<CredentialSummary> {
    const found = await this.get(id);
    if (!found) throw notFound(id);
    return found;
  }

  /**
   * Removes the credential and, with it, its catalog, syncs and change feed; refused while any
   * instance launched with it is live. Ended instances keep their history without it. `check`
   * runs in the same transaction once the credential is locked, and refuses by throwing.
   */
  async remove(id: string, check?: (tx: Tx) => Promise<void>): Promise<void> {
    const deleted = await this.db.transaction(async (tx) => {
      // Locked before the count: a launch on this credential in flight holds the credential's
      // row (its slot's lock, its foreign key's), so the count waits for it and then sees it.
      // Counted unlocked, a launch committing meanwhile would lose its credential to the delete
      // while its provider call made an instance that nothing could see or end.
      await tx
        .select({ id: credentials.id })
        .from(credentials)
        .where(eq(credentials.id, id))
        .for('update');
      const [live] = await tx
        .select({ n: count() })
        .from(instances)
        .where(and(eq(instances.credentialId, id), isLiveInstance()));
      if ((live?.n ?? 0) > 0) {
        throw new ControlPlaneError(
          409,
          'credential/in-use',
          `${String(live?.n)} live instance(s) were launched with this credential; terminate them first`,
        );
      }
      await check?.(tx);
      return tx.delete(credentials).where(eq(credentials.id, id)).returning({ id: credentials.id });
    });
    this.opened.delete(id);
    if (deleted.length === 0) throw notFound(id);
  }

  /** The clear credential, for a syncer. Re-validated, since a provider's schema may tighten. */
  async open(id: string): Promise<OpenedCredential> {
    const rows = await this.db.select().from(credentials).where(eq(credentials.id, id));
    const row = rows[0];
    if (!row) {
      this.opened.delete(id);
      throw notFound(id);
    }
    return this.openRow(row);
  }

  /**
   * `open`, for a row the caller has read already (the launch's transaction reads it as it
   * locks it). Kept openings are reused while the sealed bytes are the same.
   */
  openRow(row: CredentialRow): OpenedCredential {
    const kept = this.opened.get(row.id);
    if (kept !== undefined && kept.sealed.equals(row.sealed)) return kept.opened;
    const provider = requireProvider(this.providers, row.provider);
    const parsed = provider.credentialSchema.safeParse(this.vault.open(row.id, row.sealed));
    if (!parsed.success) {
      throw new ControlPlaneError(
        400,
        'credential/invalid',
        `stored credential "${row.name}" no longer passes the ${provider.id} credential schema; replace it`,
        issueList(parsed.error.issues),
      );
    }
    const opened: OpenedCredential = {
      id: row.id,
      provider,
      credential: parsed.data,
      scrub: credentialScrubber(provider, parsed.data),
    };
    this.opened.set(row.id, { sealed: Buffer.from(row.sealed), opened });
    return opened;
  }

  private validate(input: NewCredential): { provider: Provider; value: unknown } {
    if (!NAME.test(input.name)) {
      throw new ControlPlaneError(
        400,
        'credential/invalid-name',
        'a credential name is 1-63 letters, digits, spaces, ".", "_" or "-", starting with a letter or digit',
      );
    }
    const provider = requireProvider(this.providers, input.provider);
    const parsed = provider.credentialSchema.safeParse(input.credential);
    if (!parsed.success) {
      throw new ControlPlaneError(
        400,
        'credential/invalid',
        `not a valid ${provider.id} credential; see docs/providers/${provider.id}.md for its fields`,
        issueList(parsed.error.issues),
      );
    }
    // What the operator gave is sealed, not the schema's output: a schema may transform (prices
    // into Money), and its output need not parse again, while every open parses what is stored.
    return { provider, value: input.credential };
  }

  private summarize(row: CredentialRow): CredentialSummary {
    return {
      id: row.id,
      provider: row.provider,
      name: row.name,
      createdAt: row.createdAt,
      settings: this.settingsOf(row),
      sync: {
        state: row.syncState,
        reason: row.syncReason,
        lastSyncAt: row.lastSyncAt,
        lastGoodSyncAt: row.lastGoodSyncAt,
      },
      instancesSyncError: row.instancesSyncError,
      orphanTerminateAfterMs: row.orphanTerminateAfterMs,
    };
  }

  private settingsOf(row: CredentialRow): Record<string, unknown> {
    const provider = this.providers.get(row.provider);
    let value: unknown;
    try {
      value = this.vault.open(row.id, row.sealed);
    } catch {
      // Shown without settings; its syncs fail and say why (see CatalogSyncer).
      return {};
    }
    if (!provider) return {};
    // Shown as the adapter reads it (defaults filled in), or as stored if it no longer parses.
    const parsed = provider.credentialSchema.safeParse(value);
    if (parsed.success) value = parsed.data;
    if (typeof value !== 'object' || value === null) return {};
    const secret = new Set<string>(provider.secretFields);
    return Object.fromEntries(Object.entries(value).filter(([key]) => !secret.has(key)));
  }
}

/** Every string inside the provider's secret fields (a field may be an object, like a key file). */
function notFound(id: string): ControlPlaneError {
  return new ControlPlaneError(404, 'credential/not-found', `no credential with id ${id}`);
}

function nameTaken(name: string): ControlPlaneError {
  return new ControlPlaneError(
    409,
    'credential/name-taken',
    `a credential named "${name}" already exists; remove it first or choose another name`,
  );
}
