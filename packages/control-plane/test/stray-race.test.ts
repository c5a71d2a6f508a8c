import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { instances } from '../src/db/schema.js';
import { EventBell } from '../src/instances/events.js';
import { InstanceRows, type RowChange } from '../src/instances/rows.js';
import { InstanceSyncer } from '../src/instances/syncer.js';
import { JobLeases } from '../src/jobs/leases.js';
import { makeLogger } from '../src/logger.js';
import { addKey, admin, directClient, runningRow } from './helpers/instances.js';
import { MARKED_FETCH, marked, markedDevcloud } from './helpers/marked-devcloud.js';
import { fastRegistry, startPlane, type Plane } from './helpers/plane.js';
import { ENGINES, freshTarget, stopClusterAfterAll } from './helpers/storage.js';

/**
 * Which of two instances under one refId is a stray is judged against the row as a sync read
 * it. When another writer gives the row the other one meanwhile (the guard then refuses the
 * sync's write), the sync must not end the instance the row now holds. A second syncer plays
 * the sync (through the marked fetch, so the plane's own syncer never sees the two), and the
 * competing write lands just before its writes.
 */

stopClusterAfterAll();

for (const engine of ENGINES) {
  describe(`a stray judged against a row that moved, on ${engine}`, () => {
    let plane: Plane;

    before(async () => {
      plane = await startPlane(await freshTarget(engine), undefined, {
        devcloud: { timings: { bootStepMs: 50, terminateMs: 50 } },
        providers: fastRegistry(markedDevcloud),
      });
    });
    after(async () => {
      await plane.close();
    });

    it('ends only what the row does not hold once the writes settle', async () => {
      const root = admin(plane);
      const key = await addKey(root);
      const template = await runningRow(plane, root, key.id);
      const db = plane.plane.storage.db;
      // A launch whose attempts made two instances, neither yet on its row; its create lease is
      // held, so the plane's own create job leaves it alone.
      const row = {
        ...template,
        id: randomUUID(),
        refId: randomUUID(),
        name: 'raced',
        idempotencyKey: null,
        cloudId: null,
        state: 'pending' as const,
        pendingAction: 'create' as const,
        createAttempts: 2,
        createSentAt: new Date(),
      };
      await db.insert(instances).values(row);
      const leases = new JobLeases(db, makeLogger({ level: 'silent' }));
      await db.transaction((tx) => leases.takeIn(tx, `instance-create:${row.id}`, 600_000));
      const direct = directClient(plane);
      const attrs = {
        refId: row.refId,
        name: row.name,
        publicKey: key.pair.publicKey,
        location: template.location,
        instanceType: template.instanceType,
      };
      const both = [await direct.createInstance(attrs), await direct.createInstance(attrs)];
      for (const i of both) marked.hidden.add(i.cloudId);

      // Just before the sync writes, another writer gives the row the instance the sync did
      // not pick for it.
      const rows = new InstanceRows(db, new EventBell());
      let given: string | undefined;
      const racing: InstanceRows = Object.create(rows) as InstanceRows;
      racing.writeAll = async (changes: readonly RowChange[], now?: Date) => {
        const picked = changes.find((c) => c.row.id === row.id)?.set.cloudId;
        if (given === undefined && picked) {
          given = both.find((i) => i.cloudId !== picked)?.cloudId;
          await db
            .update(instances)
            .set({ cloudId: given, state: 'running', pendingAction: null, updatedAt: new Date() })
            .where(eq(instances.id, row.id));
        }
        return rows.writeAll(changes, now);
      };
      const syncer = new InstanceSyncer({
        db,
        rows: racing,
        credentials: plane.plane.credentials,
        logger: makeLogger({ level: 'silent' }),
        clientOptions: { fetch: MARKED_FETCH },
      });
      const status = async (cloudId: string) =>
        (await direct.listInstances()).find((i) => i.cloudId === cloudId)?.status.lifecycle;
      const alive = async (cloudId: string) =>
        ['pending', 'running'].includes((await status(cloudId)) ?? 'gone');

      await syncer.sync(plane.credentialId);
      assert.ok(given, 'the sync picked one of the two for the row, and the race ran');
      const other = both.find((i) => i.cloudId !== given)?.cloudId ?? '';
      assert.ok(await alive(given), 'the instance the row holds is not ended');

      // The next sync reads the row as it is: the other one is the stray.
      await syncer.sync(plane.credentialId);
      await plane.until(async () => {
        const s = await status(other);
        return s === undefined || s === 'terminating' || s === 'terminated';
      }, 'the stray to end');
      assert.ok(await alive(given), 'the instance the row holds is still not ended');
      await direct.terminateInstance(given);
      await db
        .update(instances)
        .set({ state: 'terminated', terminatedAt: new Date() })
        .where(eq(instances.id, row.id));
    });
  });
}
