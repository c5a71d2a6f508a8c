import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  CloudError,
  defineProvider,
  InstanceSchema,
  samePlainData,
  silentLogger,
  type CloudClient,
  type Instance,
  type LifecycleState,
  type Provider,
} from '@cloudplane/sdk';
import { CredentialStore } from '../src/credentials/store.js';
import { openStorage, type Storage } from '../src/db/open.js';
import { credentials, instanceEvents, instances, orphans } from '../src/db/schema.js';
import { EventBell } from '../src/instances/events.js';
import { ListParser } from '../src/instances/list-parser.js';
import { InstanceRows } from '../src/instances/rows.js';
import { InstanceSyncer } from '../src/instances/syncer.js';
import { providerRegistry } from '../src/providers.js';
import { UserStore } from '../src/users/users.js';
import { Vault } from '../src/vault/index.js';
import { instanceRowValues } from './helpers/instance-rows.js';
import { ENGINES, freshTarget, stopClusterAfterAll } from './helpers/storage.js';

/**
 * What the instance syncer keeps between ticks (known-rows.ts, list-parser.ts, the credential
 * store's opened credentials) never hides another writer's change: a row written by another
 * node's syncer, by any code through rows.ts, or by plain SQL that leaves updated_at alone is
 * seen by the next sync; a rotated or removed credential is seen by the next open. And a tick
 * with nothing to change makes no write transaction at all.
 */

stopClusterAfterAll();

// ---------------------------------------------------------------------------------------------
// An in-process cloud: a fleet per credential, listed as fresh objects every time.

interface Machine {
  readonly cloudId: string;
  readonly refId: string;
  state: LifecycleState;
}

const fleets = new Map<string, Machine[]>();
/** When set, listInstances fails (a cloud outage). */
let outage: CloudError | null = null;

function instanceOf(credentialId: string, m: Machine): Instance {
  return {
    cloudId: m.cloudId,
    refId: m.refId,
    cloudCredRefId: credentialId,
    name: m.cloudId,
    provider: 'cache-test',
    cloud: 'cache-test',
    location: 'here-1',
    instanceTypeId: 'here-1/gpu',
    instanceType: 'gpu',
    status: { lifecycle: m.state, native: m.state },
    createdAt: '2026-01-01T00:00:00.000Z',
    publicIp: '192.0.2.1',
    privateIp: null,
    hostname: null,
    sshUser: 'ubuntu',
    sshPort: 22,
    tags: {},
    stoppable: true,
    rebootable: true,
  };
}

const TestCredential = z.object({ token: z.string().min(8) });

const cacheTestProvider = defineProvider<z.infer<typeof TestCredential>>({
  id: 'cache-test',
  displayName: 'In-process test cloud',
  credentialSchema: TestCredential,
  secretFields: ['token'],
  apiType: 'global',
  firewallAtCreate: 'unsupported',
  capabilities: () => [],
  makeClient: ({ cloudCredRefId }): CloudClient => {
    const fleet = () => fleets.get(cloudCredRefId) ?? [];
    return {
      providerId: 'cache-test',
      cloudCredRefId,
      getLocations: () => Promise.resolve([{ name: 'here-1', description: '', available: true }]),
      getInstanceTypes: () => Promise.resolve([]),
      createInstance: () => Promise.reject(new Error('not used')),
      getInstance: (cloudId) => {
        const m = fleet().find((f) => f.cloudId === cloudId);
        return m
          ? Promise.resolve(instanceOf(cloudCredRefId, m))
          : Promise.reject(
              new CloudError('INSTANCE_NOT_FOUND', { message: `no instance ${cloudId}` }),
            );
      },
      terminateInstance: () => Promise.resolve(),
      listInstances: () =>
        outage
          ? Promise.reject(outage)
          : Promise.resolve(fleet().map((m) => instanceOf(cloudCredRefId, m))),
    };
  },
}) as Provider;

// ---------------------------------------------------------------------------------------------
// A node: its own credential store and syncer (and so its own caches) over shared storage.

interface Node {
  readonly storage: Storage;
  readonly store: CredentialStore;
  readonly rows: InstanceRows;
  readonly syncer: InstanceSyncer;
}

function nodeOn(storage: Storage, vault: Vault): Node {
  const store = new CredentialStore(storage.db, vault, providerRegistry([cacheTestProvider]));
  const rows = new InstanceRows(storage.db, new EventBell());
  const syncer = new InstanceSyncer({
    db: storage.db,
    rows,
    credentials: store,
    logger: silentLogger,
    clientOptions: {},
  });
  return { storage, store, rows, syncer };
}

/** The id the next transaction that writes will get: unchanged means nothing was written. */
async function nextXid(storage: Storage): Promise<string> {
  const { rows } = z
    .object({ rows: z.array(z.object({ xid: z.string() })) })
    .parse(
      await storage.db.execute(sql`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xid`),
    );
  const xid = rows[0]?.xid;
  assert.ok(xid !== undefined);
  return xid;
}

async function rowOf(storage: Storage, id: string) {
  const [row] = await storage.db.select().from(instances).where(eq(instances.id, id));
  assert.ok(row, `row ${id}`);
  return row;
}

for (const engine of ENGINES) {
  describe(`instance sync caches on ${engine}`, () => {
    const vault = new Vault(randomBytes(32));
    let storage: Storage;
    /** A second connection to the same database (PostgreSQL), else the same storage. */
    let otherStorage: Storage;
    let a: Node;
    let b: Node;
    let userId: string;

    before(async () => {
      const target = await freshTarget(engine);
      storage = await openStorage(target);
      otherStorage = target.kind === 'postgres' ? await openStorage(target) : storage;
      a = nodeOn(storage, vault);
      b = nodeOn(otherStorage, vault);
      userId = (await new UserStore(storage.db).add(`cache-${engine}`, 'member')).id;
    });
    after(async () => {
      if (otherStorage !== storage) await otherStorage.close();
      await storage.close();
    });

    /** A credential with `n` running instances, each with its row as a sync leaves it. */
    async function fleetOf(n: number): Promise<{ credentialId: string; rowIds: string[] }> {
      const { id: credentialId } = await a.store.add({
        provider: 'cache-test',
        name: `fleet-${randomUUID().slice(0, 8)}`,
        credential: { token: randomBytes(12).toString('hex') },
      });
      const fleet: Machine[] = Array.from({ length: n }, (_, k) => ({
        cloudId: `vm-${credentialId.slice(0, 8)}-${k}`,
        refId: randomUUID(),
        state: 'running',
      }));
      fleets.set(credentialId, fleet);
      const rowIds = fleet.map(() => randomUUID());
      await storage.db.insert(instances).values(
        fleet.map((m, k) => {
          const seen = instanceOf(credentialId, m);
          return instanceRowValues(userId, {
            id: rowIds[k] ?? '',
            refId: m.refId,
            credentialId,
            provider: 'cache-test',
            name: m.cloudId,
            typeId: seen.instanceTypeId,
            location: seen.location,
            instanceType: seen.instanceType,
            state: m.state,
            nativeStatus: m.state,
            cloudId: m.cloudId,
            publicIp: seen.publicIp,
            sshUser: seen.sshUser,
            sshPort: seen.sshPort,
            launchedAt: new Date(seen.createdAt),
          });
        }),
      );
      return { credentialId, rowIds };
    }

    function machine(credentialId: string, k: number): Machine {
      const m = fleets.get(credentialId)?.[k];
      assert.ok(m);
      return m;
    }

    it('writes nothing, not even a transaction, when nothing changed', async () => {
      const { credentialId } = await fleetOf(20);
      const first = await a.syncer.sync(credentialId);
      assert.equal(first.ok, true);
      assert.equal(first.listed, 20);
      assert.equal(first.written, 0, 'the seeded rows match the cloud');
      const before = await nextXid(storage);
      for (let i = 0; i < 3; i++) {
        const again = await a.syncer.sync(credentialId);
        assert.deepEqual(
          { ok: again.ok, written: again.written, orphans: again.orphans },
          { ok: true, written: 0, orphans: 0 },
        );
      }
      assert.equal(await nextXid(storage), before, 'no transaction wrote anything');
    });

    it("sees a row another node's syncer wrote", async () => {
      const { credentialId, rowIds } = await fleetOf(5);
      await a.syncer.sync(credentialId); // a now keeps the rows
      machine(credentialId, 2).state = 'stopped';
      assert.equal((await b.syncer.sync(credentialId)).written, 1);
      // Back to running at the cloud: a must know its row says stopped, or it writes nothing.
      machine(credentialId, 2).state = 'running';
      const seen = await a.syncer.sync(credentialId);
      assert.equal(seen.written, 1);
      assert.equal((await rowOf(storage, rowIds[2] ?? '')).state, 'running');
      assert.equal((await a.syncer.sync(credentialId)).written, 0, 'and then nothing to do');
    });

    it('sees a guarded write through rows.ts by another writer', async () => {
      const { credentialId, rowIds } = await fleetOf(5);
      await a.syncer.sync(credentialId);
      const row = await rowOf(otherStorage, rowIds[1] ?? '');
      const wrote = await b.rows.write(row, { state: 'stopping', nativeStatus: 'stopping' }, [
        { kind: 'state', from: 'running', to: 'stopping', message: 'asked to stop' },
      ]);
      assert.equal(wrote, true);
      const result = await a.syncer.sync(credentialId);
      assert.equal(result.written, 1, 'the cloud still says running: the row is put back');
      const now = await rowOf(storage, rowIds[1] ?? '');
      assert.equal(now.state, 'running');
      const events = await storage.db
        .select()
        .from(instanceEvents)
        .where(eq(instanceEvents.instanceId, rowIds[1] ?? ''));
      assert.ok(
        events.some((e) => e.kind === 'state' && e.from === 'stopping' && e.to === 'running'),
      );
    });

    it('keeps its own writes as the database has them, without reading them again', async () => {
      const { credentialId, rowIds } = await fleetOf(6);
      // Node a's syncer over a database that counts the statements run outside transactions:
      // a sync that finds its kept rows current runs one (the glance), and reads no rows.
      let statements = 0;
      /** Runs once, right after the next glance: a write that lands before the sync's own. */
      let afterGlance: (() => Promise<void>) | null = null;
      const counting = new Proxy(storage.db, {
        get(target, key, receiver) {
          if (key !== 'execute') return Reflect.get(target, key, receiver) as unknown;
          return async (query: Parameters<Storage['db']['execute']>[0]) => {
            statements++;
            const result = await target.execute(query);
            const then = afterGlance;
            afterGlance = null;
            await then?.();
            return result;
          };
        },
      });
      const syncer = new InstanceSyncer({
        db: counting,
        rows: new InstanceRows(counting, new EventBell()),
        credentials: a.store,
        logger: silentLogger,
        clientOptions: {},
      });
      await syncer.sync(credentialId); // keeps the rows
      const twoMachines = (state: LifecycleState) => {
        for (const k of [0, 3]) machine(credentialId, k).state = state;
      };
      twoMachines('stopped');
      statements = 0;
      assert.equal((await syncer.sync(credentialId)).written, 2);
      assert.equal(statements, 1, 'the glance, and no read of the rows it wrote');
      // Its guarded writes compare updated_at as kept: they go through only if kept as stored.
      twoMachines('running');
      statements = 0;
      assert.equal((await syncer.sync(credentialId)).written, 2, 'its kept rows were current');
      assert.equal(statements, 1, 'and its glance found them so');
      for (const k of [0, 3])
        assert.equal((await rowOf(storage, rowIds[k] ?? '')).state, 'running');
      // Another writer's change still shows at the next glance.
      const row = await rowOf(otherStorage, rowIds[1] ?? '');
      assert.equal(
        await b.rows.write(row, { state: 'stopping', nativeStatus: 'stopping' }, []),
        true,
      );
      assert.equal((await syncer.sync(credentialId)).written, 1, 'put back as the cloud has it');

      // A writer that leaves updated_at alone, between the glance and this sync's write of the
      // same row: the guard lets the write through, and the version it makes holds both
      // changes. What is kept is that version, not the row as this sync patched it.
      afterGlance = () =>
        otherStorage.db
          .update(instances)
          .set({ statusMessage: 'set by hand' })
          .where(eq(instances.id, rowIds[0] ?? ''))
          .then(() => undefined);
      machine(credentialId, 0).state = 'stopped';
      assert.equal((await syncer.sync(credentialId)).written, 1);
      assert.equal((await rowOf(storage, rowIds[0] ?? '')).statusMessage, 'set by hand');
      assert.equal(
        (await syncer.sync(credentialId)).written,
        1,
        'the hand-set message is known, and put back as the cloud has it',
      );
      assert.equal((await rowOf(storage, rowIds[0] ?? '')).statusMessage, null);
    });

    it('sees a change by plain SQL that leaves updated_at alone', async () => {
      const { credentialId, rowIds } = await fleetOf(5);
      await a.syncer.sync(credentialId);
      const before = await rowOf(storage, rowIds[3] ?? '');
      await otherStorage.db
        .update(instances)
        .set({ nativeStatus: 'changed-behind-its-back' })
        .where(eq(instances.id, rowIds[3] ?? ''));
      assert.deepEqual((await rowOf(storage, rowIds[3] ?? '')).updatedAt, before.updatedAt);
      assert.equal((await a.syncer.sync(credentialId)).written, 1);
      assert.equal((await rowOf(storage, rowIds[3] ?? '')).nativeStatus, 'running');
    });

    it('matches a row another writer added, and lets go of one it ended', async () => {
      const { credentialId, rowIds } = await fleetOf(3);
      await a.syncer.sync(credentialId);
      // A launch journaled by another node: its row commits before its instance shows up.
      const launched: Machine = {
        cloudId: `vm-new-${engine}`,
        refId: randomUUID(),
        state: 'running',
      };
      const newId = randomUUID();
      await otherStorage.db.insert(instances).values(
        instanceRowValues(userId, {
          id: newId,
          refId: launched.refId,
          credentialId,
          provider: 'cache-test',
          name: `launched-${engine}`,
          pendingAction: 'create',
        }),
      );
      fleets.get(credentialId)?.push(launched);
      // And one ended by another node (its cloud still lists it for a while).
      const now = new Date();
      await otherStorage.db
        .update(instances)
        .set({ state: 'terminated', terminatedAt: now, updatedAt: now })
        .where(eq(instances.id, rowIds[0] ?? ''));
      const result = await a.syncer.sync(credentialId);
      assert.equal(result.orphans, 0, 'the new row is matched, not an orphan');
      const adopted = await rowOf(storage, newId);
      assert.equal(adopted.cloudId, launched.cloudId);
      assert.equal(adopted.state, 'running');
      assert.equal((await rowOf(storage, rowIds[0] ?? '')).state, 'terminated', 'left ended');
      const stored = await storage.db
        .select()
        .from(orphans)
        .where(eq(orphans.credentialId, credentialId));
      assert.deepEqual(stored, []);
    });

    it('keeps reporting orphans while listed and drops them once gone', async () => {
      const { credentialId } = await fleetOf(2);
      await a.syncer.sync(credentialId);
      const stray: Machine = { cloudId: `stray-${engine}`, refId: randomUUID(), state: 'running' };
      fleets.get(credentialId)?.push(stray);
      assert.equal((await a.syncer.sync(credentialId)).orphans, 1);
      assert.equal((await a.syncer.sync(credentialId)).orphans, 1);
      fleets.get(credentialId)?.pop();
      assert.equal((await a.syncer.sync(credentialId)).orphans, 0);
      const stored = await storage.db
        .select()
        .from(orphans)
        .where(eq(orphans.credentialId, credentialId));
      assert.deepEqual(stored, [], 'the orphan row is removed once the cloud no longer lists it');
    });

    it('stores a failing list once, writes nothing while it fails the same way, and clears it', async () => {
      const { credentialId } = await fleetOf(2);
      await a.syncer.sync(credentialId);
      outage = new CloudError('SERVICE_UNAVAILABLE', { message: 'the cloud is down' });
      try {
        assert.equal((await a.syncer.sync(credentialId)).ok, false);
        const before = await nextXid(storage);
        assert.equal((await a.syncer.sync(credentialId)).ok, false);
        assert.equal(await nextXid(storage), before, 'the same error is not written again');
      } finally {
        outage = null;
      }
      const errorOf = async () =>
        (
          await storage.db
            .select({ error: credentials.instancesSyncError })
            .from(credentials)
            .where(eq(credentials.id, credentialId))
        )[0]?.error;
      assert.match((await errorOf()) ?? '', /SERVICE_UNAVAILABLE/);
      assert.equal((await a.syncer.sync(credentialId)).ok, true);
      assert.equal(await errorOf(), null);
    });

    it('opens a credential rotated or removed by another node as it now is', async () => {
      const name = `rotating-${engine}`;
      const added = await a.store.add({
        provider: 'cache-test',
        name,
        credential: { token: 'first-token-value' },
      });
      assert.deepEqual((await a.store.open(added.id)).credential, { token: 'first-token-value' });
      assert.equal((await a.store.open(added.id)).scrub('x first-token-value'), 'x [redacted]');
      await b.store.upsertByName({
        provider: 'cache-test',
        name,
        credential: { token: 'second-token-value' },
      });
      const rotated = await a.store.open(added.id);
      assert.deepEqual(rotated.credential, { token: 'second-token-value' });
      assert.equal(rotated.scrub('x second-token-value'), 'x [redacted]');
      await b.store.remove(added.id);
      await assert.rejects(a.store.open(added.id), /no credential with id/);
    });
  });
}

describe('list parsing across ticks', () => {
  const opened = {
    id: 'cred-1',
    provider: cacheTestProvider,
    credential: {},
    scrub: (text: string) => text,
  };
  const machine: Machine = { cloudId: 'vm-1', refId: 'ref-1', state: 'running' };

  it('reuses the result for an equal item and parses a changed one', () => {
    const parser = new ListParser();
    const [first] = parser.parse(opened, [instanceOf('cred-1', machine)]);
    const [same] = parser.parse(opened, [instanceOf('cred-1', machine)]);
    assert.ok(first);
    assert.equal(same, first, 'an equal item gets the earlier result');
    const [changed] = parser.parse(opened, [
      instanceOf('cred-1', { ...machine, state: 'stopped' }),
    ]);
    assert.notEqual(changed, first);
    assert.equal(changed?.status.lifecycle, 'stopped');
  });

  it('parses again an object handed back twice (it may have changed in place)', () => {
    const parser = new ListParser();
    const item = instanceOf('cred-1', machine);
    parser.parse(opened, [item]);
    item.status = { lifecycle: 'stopping', native: 'stopping' };
    const [again] = parser.parse(opened, [item]);
    assert.equal(again?.status.lifecycle, 'stopping');
  });

  it('still refuses an item that no longer matches the contract', () => {
    const parser = new ListParser();
    parser.parse(opened, [instanceOf('cred-1', machine)]);
    const broken = { ...instanceOf('cred-1', machine), sshPort: 0 };
    assert.throws(() => parser.parse(opened, [broken]), /does not match the contract/);
  });

  it('hands out results nobody can change', () => {
    const [result] = new ListParser().parse(opened, [instanceOf('cred-1', machine)]);
    assert.ok(result && Object.isFrozen(result) && Object.isFrozen(result.status));
  });

  it("relies on the schema's output parsing to itself", () => {
    const full: Instance = {
      ...instanceOf('cred-1', machine),
      subLocation: 'rack-2',
      imageId: 'img-1',
      status: { lifecycle: 'failed', native: 'error', message: 'host lost' },
      tags: { team: 'ml' },
      firewallRules: {
        ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'] }],
        egress: [],
      },
      diskSize: { value: 100, unit: 'GiB' },
    };
    for (const item of [instanceOf('cred-1', machine), full]) {
      const once = InstanceSchema.parse(item);
      assert.deepEqual(InstanceSchema.parse(once), once);
      assert.ok(samePlainData(structuredClone(once), once));
    }
  });
});
