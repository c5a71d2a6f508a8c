import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { z } from 'zod';
import { EventDto } from '../src/api/instance-dto.js';
import { instances } from '../src/db/schema.js';
import { ControlPlaneError } from '../src/errors.js';
import { CapacityMemory } from '../src/instances/capacity.js';
import { EventBell } from '../src/instances/events.js';
import { ATTEMPT_SETTLES_MS, Launcher } from '../src/instances/launcher.js';
import { InstanceRows } from '../src/instances/rows.js';
import { JobLeases } from '../src/jobs/leases.js';
import { makeLogger } from '../src/logger.js';
import {
  addKey,
  admin,
  anOffer,
  cloudInstances,
  json,
  launch,
  waitForState,
} from './helpers/instances.js';
import { MARKED_FETCH, marked, markedDevcloud } from './helpers/marked-devcloud.js';
import { fastRegistry, startPlane, type Plane } from './helpers/plane.js';
import { ENGINES, freshTarget, stopClusterAfterAll } from './helpers/storage.js';

/**
 * A node that accepted a launch and died before its first attempt settled leaves a row with an
 * attempt on record, a lease that lapses, and no create job. A terminate asked for then must
 * still end it: the create job is queued for it, looks the refId up, and either ends the row
 * without launching (the cloud has nothing) or adopts what the attempt made and terminates it.
 * The dead node is played by a second Launcher and lease holder on the same database, whose
 * lease lasts a second, and its attempt is dated as sent longer ago than a provider call may
 * take (an attempt more recent than that is looked for again once that time has passed).
 */

stopClusterAfterAll();

const Events = z.object({ events: z.array(EventDto) });

const DEAD_NODE_LEASE_MS = 1_000;
const SETTLE_MS = 45_000;

for (const engine of ENGINES) {
  describe(`a first attempt whose node died, on ${engine}`, () => {
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

    /**
     * Journals a launch as `accept` does on a node that then dies: slot, attempt and lease (held
     * for `leaseMs`). The dead node's provider calls go through `viaFetch`, when given.
     */
    async function acceptedByADeadNode(
      name: string,
      {
        leaseMs = DEAD_NODE_LEASE_MS,
        viaFetch,
      }: { leaseMs?: number; viaFetch?: typeof fetch } = {},
    ) {
      const root = admin(plane);
      const key = await addKey(root, `key-${name}`);
      const template = z
        .object({ id: z.string() })
        .parse(
          await json(
            await launch(root, { offerId: await anOffer(plane), name, sshKeyIds: [key.id] }),
            202,
          ),
        );
      const db = plane.plane.storage.db;
      const [row] = await db.select().from(instances).where(eq(instances.id, template.id));
      assert.ok(row?.credentialId, 'the template launch is stored');
      const logger = makeLogger({ level: 'silent' });
      const deadNode = new Launcher({
        db,
        rows: new InstanceRows(db, new EventBell()),
        credentials: plane.plane.credentials,
        logger,
        clientOptions: viaFetch ? { fetch: viaFetch } : {},
        capacity: new CapacityMemory(db),
        providers: fastRegistry(markedDevcloud),
      });
      const leases = new JobLeases(db, logger);
      const id = randomUUID();
      const now = new Date();
      const accepted = await deadNode.accept(
        {
          ...row,
          id,
          refId: randomUUID(),
          name: `${name}-dead`,
          idempotencyKey: null,
          requestHash: null,
          intent: { publicKey: key.pair.publicKey },
          state: 'pending',
          pendingAction: 'create',
          cloudId: null,
          createAttempts: 0,
          createSentAt: null,
          createdAt: now,
          updatedAt: now,
        },
        { kind: 'requested', to: 'pending', message: 'launch requested (a node that dies)' },
        {
          perMinute: 1_000,
          lease: (tx) => leases.takeIn(tx, `instance-create:${id}`, leaseMs),
          release: (tx) => leases.releaseIn(tx, `instance-create:${id}`),
        },
      );
      assert.ok(accepted.kind === 'go', 'the dead node took the first slot');
      // It died longer ago than a provider call may take: a look-up that misses the instance
      // now proves the attempt made none (ATTEMPT_SETTLES_MS).
      await db
        .update(instances)
        .set({ createSentAt: new Date(Date.now() - ATTEMPT_SETTLES_MS - 60_000) })
        .where(eq(instances.id, id));
      return { root, accepted, deadNode };
    }

    it('ends the row without launching when the attempt never reached the cloud', async () => {
      const { root, accepted } = await acceptedByADeadNode('never-sent');
      await json(
        await root.call(`/v1/instances/${accepted.row.id}/terminate`, { method: 'POST' }),
        202,
      );
      await waitForState(plane, root, accepted.row.id, 'terminated', SETTLE_MS);
      assert.deepEqual(
        await cloudInstances(plane, accepted.row.refId),
        [],
        'nothing was launched for a row whose terminate came before any instance',
      );
      const { events } = Events.parse(
        await json(await root.call(`/v1/instances/${accepted.row.id}/events`), 200),
      );
      assert.ok(
        events.some((e) => e.kind === 'terminated' && e.message === 'terminated before launch'),
        events.map((e) => `${e.kind}: ${e.message}`).join('; '),
      );
    });

    it('leaves a row a sync adopted alone when the last retry gives up on its launch', async () => {
      const { accepted, deadNode } = await acceptedByADeadNode('adopted-meanwhile', {
        leaseMs: 60_000,
        viaFetch: MARKED_FETCH,
      });
      const { row } = accepted;
      const db = plane.plane.storage.db;
      // While the retry looks for its attempt, a sync adopts the row and its user asks for a
      // terminate; then the look-up fails, on the job's last retry.
      marked.list = 'fail';
      marked.beforeList = async () => {
        await db
          .update(instances)
          .set({ cloudId: 'dc-adopted', state: 'running', pendingAction: 'terminate' })
          .where(eq(instances.id, row.id));
      };
      const outcome = await deadNode.run(row.id, true).finally(() => {
        marked.list = 'all';
      });
      assert.equal(marked.beforeList, undefined, 'the retry looked for its attempt');
      assert.deepEqual(outcome, { kind: 'done' });
      const [after] = await db.select().from(instances).where(eq(instances.id, row.id));
      assert.deepEqual(
        [after?.state, after?.pendingAction, after?.cloudId, after?.lastErrorCode],
        ['running', 'terminate', 'dc-adopted', null],
        'the adopted row and its terminate stand',
      );
      await db
        .update(instances)
        .set({ pendingAction: null, state: 'terminated', terminatedAt: new Date() })
        .where(eq(instances.id, row.id));
    });

    it('adopts and terminates what the attempt made when it did reach the cloud', async () => {
      const { root, accepted } = await acceptedByADeadNode('sent');
      const { row, opened } = accepted;
      // What the dead node's provider call did before the node died.
      const made = await opened.provider
        .makeClient({
          credential: opened.credential,
          cloudCredRefId: opened.id,
          logger: makeLogger({ level: 'silent' }),
        })
        .createInstance({
          refId: row.refId,
          name: row.name,
          publicKey: row.intent?.publicKey ?? '',
          location: row.location,
          instanceType: row.instanceType,
        });
      await json(await root.call(`/v1/instances/${row.id}/terminate`, { method: 'POST' }), 202);
      await waitForState(plane, root, row.id, 'terminated', SETTLE_MS);
      const atCloud = await cloudInstances(plane, row.refId);
      assert.deepEqual(
        atCloud.map((i) => [i.id, i.status]),
        [[made.cloudId, 'terminated']],
        'the one instance the attempt made was adopted and terminated; nothing else launched',
      );
    });
  });
}

describe('removing a credential while a launch on it commits (PostgreSQL)', () => {
  let plane: Plane;
  let url: string;

  before(async () => {
    const target = await freshTarget('postgres');
    assert.ok(target.kind === 'postgres');
    url = target.url;
    plane = await startPlane(target);
  });
  after(async () => {
    await plane.close();
  });

  it('waits for the launch, then refuses: the instance keeps its credential', async () => {
    const root = admin(plane);
    const key = await addKey(root, 'key-race');
    const template = z
      .object({ id: z.string() })
      .parse(
        await json(
          await launch(root, { offerId: await anOffer(plane), name: 'race', sshKeyIds: [key.id] }),
          202,
        ),
      );
    await waitForState(plane, root, template.id, 'running', SETTLE_MS);
    await json(await root.call(`/v1/instances/${template.id}/terminate`, { method: 'POST' }), 202);
    await waitForState(plane, root, template.id, 'terminated', SETTLE_MS);
    // An accept in flight, as `Launcher.accept` runs it: its row is in, its credential locked.
    const launching = new pg.Client({ connectionString: url });
    await launching.connect();
    try {
      await launching.query('BEGIN');
      await launching.query(
        `INSERT INTO instances SELECT (jsonb_populate_record(i, jsonb_build_object(
           'id', gen_random_uuid()::text, 'ref_id', gen_random_uuid()::text, 'name', 'race-2',
           'idempotency_key', NULL, 'cloud_id', NULL, 'state', 'pending',
           'pending_action', 'create', 'terminated_at', NULL))).*
         FROM instances i WHERE i.id = $1`,
        [template.id],
      );
      await launching.query('SELECT id FROM credentials WHERE id = $1 FOR NO KEY UPDATE', [
        plane.credentialId,
      ]);
      let settled = false;
      const removal = plane.plane.credentials.remove(plane.credentialId).finally(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(settled, false, 'the removal waits for the launch in flight');
      await launching.query('COMMIT');
      await assert.rejects(removal, (err: unknown) => {
        assert.ok(err instanceof ControlPlaneError);
        assert.equal(err.code, 'credential/in-use');
        return true;
      });
    } finally {
      await launching.end();
    }
  });
});
