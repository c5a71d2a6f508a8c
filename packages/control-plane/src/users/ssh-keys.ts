import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { parsePublicKey } from '@cloudplane/sdk';
import type { Db } from '../db/open.js';
import { sshKeys } from '../db/schema.js';
import { ControlPlaneError, violatedUniqueConstraint } from '../errors.js';

/**
 * Users' SSH public keys. Each is parsed and fingerprinted by the SDK's one parser
 * (ed25519, ECDSA, RSA >= 3072 bits); a launch may use only its own user's keys.
 */

export type SshKey = typeof sshKeys.$inferSelect;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export class SshKeyStore {
  constructor(private readonly db: Db) {}

  async add(userId: string, name: string, publicKey: string): Promise<SshKey> {
    if (!NAME.test(name)) {
      throw new ControlPlaneError(
        400,
        'ssh-key/invalid-name',
        'a key name is 1-64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit',
      );
    }
    let parsed;
    try {
      parsed = parsePublicKey(publicKey);
    } catch (err) {
      throw new ControlPlaneError(
        400,
        'ssh-key/invalid',
        err instanceof RangeError ? err.message : 'not an OpenSSH public key line',
      );
    }
    const line = [parsed.type, parsed.blob.toString('base64'), parsed.comment]
      .filter((part) => part !== '')
      .join(' ');
    try {
      const [row] = await this.db
        .insert(sshKeys)
        .values({
          id: randomUUID(),
          userId,
          name,
          type: parsed.type,
          bits: parsed.bits,
          fingerprint: parsed.fingerprint,
          publicKey: line,
        })
        .returning();
      if (!row) throw new Error('the key row was not written');
      return row;
    } catch (err) {
      const constraint = violatedUniqueConstraint(err);
      if (constraint === 'ssh_keys_user_fingerprint_key') {
        throw new ControlPlaneError(
          409,
          'ssh-key/duplicate',
          `you already have this key (${parsed.fingerprint})`,
        );
      }
      if (constraint !== null) {
        throw new ControlPlaneError(
          409,
          'ssh-key/name-taken',
          `you already have a key named "${name}"`,
        );
      }
      throw err;
    }
  }

  async list(userId: string): Promise<SshKey[]> {
    return this.db
      .select()
      .from(sshKeys)
      .where(eq(sshKeys.userId, userId))
      .orderBy(asc(sshKeys.createdAt), asc(sshKeys.name));
  }

  async remove(userId: string, id: string): Promise<void> {
    const deleted = await this.db
      .delete(sshKeys)
      .where(and(eq(sshKeys.id, id), eq(sshKeys.userId, userId)))
      .returning({ id: sshKeys.id });
    if (deleted.length === 0) throw keyNotFound(id);
  }

  /** The user's keys with these ids, in the order asked; any id that is not theirs is a 404. */
  async owned(userId: string, ids: readonly string[]): Promise<SshKey[]> {
    const rows =
      ids.length === 0
        ? []
        : await this.db
            .select()
            .from(sshKeys)
            .where(and(eq(sshKeys.userId, userId), inArray(sshKeys.id, [...ids])));
    return ids.map((id) => {
      const row = rows.find((r) => r.id === id);
      if (!row) throw keyNotFound(id);
      return row;
    });
  }
}

function keyNotFound(id: string): ControlPlaneError {
  return new ControlPlaneError(
    404,
    'ssh-key/not-found',
    `you have no SSH key with id ${id}; GET /v1/users/me/ssh-keys lists yours`,
  );
}
