import { randomUUID } from 'node:crypto';
import { and, asc, count, eq } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { instances, users, type Role } from '../db/schema.js';
import { ControlPlaneError, isUniqueViolation } from '../errors.js';
import { isLiveInstance } from '../instances/live.js';

/**
 * Users and their roles. Every token belongs to a user; an `admin` may do everything, a `member`
 * sees the catalog and only their own instances and keys (docs/instances.md).
 */

export interface User {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: Date;
}

/** Who is calling: the user behind the request's token. */
export interface Principal {
  readonly userId: string;
  readonly name: string;
  readonly role: Role;
}

export const FIRST_ADMIN = 'admin';
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export class UserStore {
  constructor(private readonly db: Db) {}

  async add(name: string, role: Role): Promise<User> {
    if (!NAME.test(name)) {
      throw new ControlPlaneError(
        400,
        'user/invalid-name',
        'a user name is 1-64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit',
      );
    }
    try {
      const [row] = await this.db
        .insert(users)
        .values({ id: randomUUID(), name, role })
        .returning();
      if (!row) throw new Error('the user row was not written');
      return row;
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ControlPlaneError(409, 'user/name-taken', `a user named "${name}" exists`);
      }
      throw err;
    }
  }

  async list(): Promise<User[]> {
    return this.db.select().from(users).orderBy(asc(users.createdAt), asc(users.name));
  }

  /** A user by id or by name. */
  async resolve(nameOrId: string): Promise<User> {
    const [byId] = await this.db.select().from(users).where(eq(users.id, nameOrId));
    if (byId) return byId;
    const [byName] = await this.db.select().from(users).where(eq(users.name, nameOrId));
    if (byName) return byName;
    throw new ControlPlaneError(404, 'user/not-found', `no user with id or name "${nameOrId}"`);
  }

  /** The first admin, created on first start: the owner of the token `serve` prints. */
  async ensureFirstAdmin(): Promise<User> {
    const [existing] = await this.db
      .select()
      .from(users)
      .where(eq(users.role, 'admin'))
      .orderBy(asc(users.createdAt))
      .limit(1);
    if (existing) return existing;
    try {
      return await this.add(FIRST_ADMIN, 'admin');
    } catch (err) {
      // Another node created it meanwhile.
      if (err instanceof ControlPlaneError && err.code === 'user/name-taken') {
        return this.resolve(FIRST_ADMIN);
      }
      throw err;
    }
  }

  /** Removes a user with their tokens and keys; refused while they own live instances. */
  async remove(id: string, by: Principal): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [user] = await tx.select().from(users).where(eq(users.id, id)).for('update');
      if (!user) throw new ControlPlaneError(404, 'user/not-found', `no user with id ${id}`);
      if (user.id === by.userId) {
        throw new ControlPlaneError(
          409,
          'user/self',
          'you cannot remove yourself; ask another admin',
        );
      }
      if (user.role === 'admin') {
        const [admins] = await tx.select({ n: count() }).from(users).where(eq(users.role, 'admin'));
        if ((admins?.n ?? 0) <= 1) {
          throw new ControlPlaneError(409, 'user/last-admin', 'the last admin cannot be removed');
        }
      }
      const [live] = await tx
        .select({ n: count() })
        .from(instances)
        .where(and(eq(instances.userId, id), isLiveInstance()));
      if ((live?.n ?? 0) > 0) {
        throw new ControlPlaneError(
          409,
          'user/has-instances',
          `${user.name} owns ${String(live?.n)} live instance(s); terminate them first`,
        );
      }
      // Terminated instances keep their history: hand them to the admin who removes the user.
      await tx.update(instances).set({ userId: by.userId }).where(eq(instances.userId, id));
      await tx.delete(users).where(eq(users.id, id));
    });
  }
}
