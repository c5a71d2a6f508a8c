import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, isNull, lt, or, count } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { apiTokens, users } from '../db/schema.js';
import { ControlPlaneError } from '../errors.js';
import type { Principal } from '../users/users.js';

/**
 * API bearer tokens. A token is shown once, when created; the database keeps only its SHA-256,
 * so a copy of the database does not let anyone in. `cpt_` marks them for secret scanners.
 */

export interface TokenSummary {
  readonly id: string;
  readonly name: string;
  readonly userId: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

export interface NewToken extends TokenSummary {
  /** The secret: shown this once, never again. */
  readonly token: string;
}

const PREFIX = 'cpt_';
const TOKEN = /^cpt_[A-Za-z0-9_-]{43}$/;
/** last_used_at is refreshed at most this often, so reads do not turn into writes. */
const TOUCH_EVERY_MS = 60_000;
/** Verified tokens kept in memory at most; past it the memory starts again. */
const MAX_VERIFIED = 10_000;

export type Verified = Principal & { tokenId: string };

export class TokenStore {
  /** Tokens verified under the auth version `verifiedUnder`, by hash. */
  private readonly verified = new Map<string, { holder: Verified; touchedAt: number }>();
  private verifiedUnder: string | null = null;

  constructor(private readonly db: Db) {}

  async create(name: string, userId: string): Promise<NewToken> {
    if (!/^[\w .@-]{1,64}$/.test(name)) {
      throw new ControlPlaneError(
        400,
        'token/invalid-name',
        'a token name is 1-64 letters, digits, spaces, "_", ".", "@" or "-"',
      );
    }
    const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
    const [row] = await this.db
      .insert(apiTokens)
      .values({ id: randomUUID(), name, userId, hash: hashOf(token) })
      .returning();
    if (!row) throw new Error('the token row was not written');
    return { ...summarize(row), token };
  }

  /** Revokes the user's active tokens called `name` and creates a new one with that name. */
  async replaceNamed(name: string, userId: string): Promise<NewToken> {
    await this.db
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(
        and(eq(apiTokens.name, name), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)),
      );
    return this.create(name, userId);
  }

  /** Creates a token for the first admin when no usable token exists; returns it, or null. */
  async ensureOne(adminId: string): Promise<NewToken | null> {
    const [row] = await this.db
      .select({ n: count() })
      .from(apiTokens)
      .where(isNull(apiTokens.revokedAt));
    return (row?.n ?? 0) > 0 ? null : this.create('admin', adminId);
  }

  /**
   * Who holds the token, when it is valid and not revoked; else null. Given the store's auth
   * version (`StoreVersions`, read after the request arrived), a token already verified under
   * that same version is answered from memory: any token or user written since, on any node,
   * changes the version and empties the memory.
   */
  async verify(token: string, authVersion?: string): Promise<Verified | null> {
    if (!TOKEN.test(token)) return null;
    const hash = hashOf(token);
    if (authVersion !== undefined && authVersion !== this.verifiedUnder) {
      this.verified.clear();
      this.verifiedUnder = authVersion;
    }
    const known = authVersion === undefined ? undefined : this.verified.get(hash);
    if (known) {
      await this.touch(known);
      return known.holder;
    }
    const [found] = await this.db
      .select({ token: apiTokens, user: users })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(eq(apiTokens.hash, hash));
    const row = found?.token;
    if (!found || !row || row.revokedAt !== null) return null;
    // The lookup was by hash; compare again in constant time so timing says nothing.
    if (!timingSafeEqual(Buffer.from(row.hash), Buffer.from(hash))) return null;
    const entry = {
      holder: {
        userId: found.user.id,
        name: found.user.name,
        role: found.user.role,
        tokenId: row.id,
      },
      touchedAt: row.lastUsedAt?.getTime() ?? 0,
    };
    await this.touch(entry);
    if (authVersion !== undefined && authVersion === this.verifiedUnder) {
      if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
      this.verified.set(hash, entry);
    }
    return entry.holder;
  }

  /** Records the token's use, at most once a minute, so that reads do not turn into writes. */
  private async touch(entry: { holder: Verified; touchedAt: number }): Promise<void> {
    const now = Date.now();
    if (now - entry.touchedAt < TOUCH_EVERY_MS) return;
    entry.touchedAt = now;
    await this.db
      .update(apiTokens)
      .set({ lastUsedAt: new Date(now) })
      .where(
        and(
          eq(apiTokens.id, entry.holder.tokenId),
          or(
            isNull(apiTokens.lastUsedAt),
            lt(apiTokens.lastUsedAt, new Date(now - TOUCH_EVERY_MS)),
          ),
        ),
      );
  }

  async list(): Promise<TokenSummary[]> {
    const rows = await this.db.select().from(apiTokens).orderBy(asc(apiTokens.createdAt));
    return rows.map(summarize);
  }

  async revoke(id: string): Promise<void> {
    const rows = await this.db
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    if (rows.length === 0) {
      throw new ControlPlaneError(404, 'token/not-found', `no active token with id ${id}`);
    }
  }
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function summarize(row: typeof apiTokens.$inferSelect): TokenSummary {
  return {
    id: row.id,
    name: row.name,
    userId: row.userId,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}
