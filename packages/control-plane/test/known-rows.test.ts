import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { openStorage, type Storage } from '../src/db/open.js';
import { credentials, instances } from '../src/db/schema.js';
import { KEPT_COLUMNS, KnownInstanceRows } from '../src/instances/known-rows.js';
import type { ObservedRow } from '../src/instances/observe.js';
import { updateGuarded } from '../src/instances/guarded-update.js';
import { UserStore } from '../src/users/users.js';
import { instanceRowValues } from './helpers/instance-rows.js';
import { ENGINES, freshTarget, stopClusterAfterAll } from './helpers/storage.js';

/**
 * The kept rows travel as positional JSON arrays (`keptJson`), named again on arrival: every
 * kept field must come back as the column it names holds, both from a read and from a guarded
 * write's RETURNING. Every text column here holds a different value, so two fields named in the
 * wrong order cannot pass.
 */

stopClusterAfterAll();

/** The kept columns of a row, read plainly through drizzle (by name, not by place). */
async function stored(storage: Storage, id: string): Promise<ObservedRow> {
  const [row] = await storage.db.select(KEPT_COLUMNS).from(instances).where(eq(instances.id, id));
  assert.ok(row, `row ${id} is stored`);
  return row;
}

/** A kept row without its stamp, to compare with a plain read. */
function withoutStamp(row: ObservedRow & { stamp?: string }): ObservedRow {
  const { stamp: _stamp, ...rest } = row;
  return rest;
}

for (const engine of ENGINES) {
  describe(`kept instance rows on ${engine}`, () => {
    let storage: Storage;
    let userId: string;
    const credentialId = `cred-${randomUUID()}`;
    const full = randomUUID();
    const sparse = randomUUID();

    before(async () => {
      storage = await openStorage(await freshTarget(engine));
      userId = (await new UserStore(storage.db).add(`kept-${engine}`, 'member')).id;
      await storage.db.insert(credentials).values({
        id: credentialId,
        provider: 'test',
        name: credentialId,
        sealed: Buffer.from([1]),
      });
      await storage.db.insert(instances).values([
        instanceRowValues(userId, {
          id: full,
          credentialId,
          location: 'loc-a',
          cloudId: 'cloud-b',
          state: 'stopping',
          nativeStatus: 'native-c',
          statusMessage: 'message-d',
          publicIp: '192.0.2.5',
          privateIp: '10.0.0.6',
          hostname: 'host-e',
          sshUser: 'user-f',
          sshPort: 2202,
          stoppable: true,
          rebootable: false,
          launchedAt: new Date('2026-01-02T03:04:05.678Z'),
          pendingAction: 'stop',
          updatedAt: new Date('2026-02-03T04:05:06.789Z'),
        }),
        instanceRowValues(userId, { id: sparse, credentialId, state: 'pending' }),
      ]);
    });
    after(async () => {
      await storage.close();
    });

    it('reads every kept field as its column holds it', async () => {
      const { live } = await new KnownInstanceRows(storage.db).load(credentialId);
      for (const id of [full, sparse]) {
        const kept = live.byId.get(id);
        assert.ok(kept, `row ${id} is kept`);
        assert.deepEqual(withoutStamp(kept), await stored(storage, id));
      }
    });

    it("takes a guarded write's new version as the column values it wrote", async () => {
      const before = await stored(storage, full);
      const now = new Date('2026-03-04T05:06:07.890Z');
      const versions = await storage.db.transaction((tx) =>
        updateGuarded(tx, [{ row: before, set: { hostname: 'host-g', sshPort: 2203 } }], now),
      );
      const version = versions.get(full);
      assert.ok(version, 'the write went through');
      const after = await stored(storage, full);
      assert.equal(after.hostname, 'host-g');
      assert.deepEqual(withoutStamp(version), after);
    });
  });
}
