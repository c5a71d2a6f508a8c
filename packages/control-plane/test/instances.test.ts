import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { provider as devcloud, type DevcloudCredential } from '@cloudplane/provider-devcloud';
import { defineProvider, type Provider } from '@cloudplane/sdk';
import { EventDto } from '../src/api/instance-dto.js';
import { providerRegistry } from '../src/providers.js';
import {
  addKey,
  addUser,
  admin,
  anOffer,
  cloudInstances,
  getInstance,
  json,
  launch,
  streamEvents,
  waitForState,
  type Caller,
} from './helpers/instances.js';
import { FAST_POLL, startPlane, type Plane } from './helpers/plane.js';
import { ENGINES, freshTarget, stopClusterAfterAll } from './helpers/storage.js';

/** Launch, track and end instances through the API, on both engines (docs/instances.md). */

const FAST = { bootStepMs: 100, stopMs: 100, startMs: 100, rebootMs: 100, terminateMs: 100 };
const Events = z.object({ events: z.array(EventDto) });

stopClusterAfterAll();

async function rowCount(plane: Plane): Promise<number> {
  const result = await plane.plane.storage.db.execute(
    sql`SELECT count(*)::int AS n FROM instances`,
  );
  return z.object({ rows: z.array(z.object({ n: z.number() })) }).parse(result).rows[0]?.n ?? -1;
}

for (const engine of ENGINES) {
  describe(`instances on ${engine}`, () => {
    let plane: Plane;
    let root: Caller;
    let offerId: string;

    before(async () => {
      plane = await startPlane(await freshTarget(engine), undefined, {
        devcloud: { timings: FAST },
      });
      root = admin(plane);
      offerId = await anOffer(plane);
    });
    after(async () => {
      await plane.close();
    });

    it('launches, stops, starts, reboots and terminates one instance, every change an event', async () => {
      const key = await addKey(root);
      const response = await launch(root, { offerId, name: 'lifecycle', sshKeyIds: [key.id] });
      const pending = z
        .object({
          id: z.string(),
          state: z.string(),
          pendingAction: z.string().nullable(),
          refId: z.string(),
        })
        .parse(await json(response, 202));
      assert.equal(pending.state, 'pending');
      assert.equal(pending.pendingAction, 'create');

      const running = await waitForState(plane, root, pending.id, 'running');
      assert.ok(running.cloudId);
      assert.equal(running.ssh, null, 'a virtual machine has no address to reach');
      assert.deepEqual(running.actions, ['stop', 'reboot', 'terminate']);
      const truth = await cloudInstances(plane, pending.refId);
      assert.equal(truth.length, 1, 'exactly one cloud instance for the row');

      for (const [action, state] of [
        ['stop', 'stopped'],
        ['start', 'running'],
        ['reboot', 'running'],
        ['terminate', 'terminated'],
      ] as const) {
        const acted = z
          .object({ pendingAction: z.string().nullable() })
          .parse(
            await json(
              await root.call(`/v1/instances/${pending.id}/${action}`, { method: 'POST' }),
              202,
            ),
          );
        assert.equal(acted.pendingAction, action);
        await waitForState(plane, root, pending.id, state);
      }
      const ended = await getInstance(root, pending.id);
      assert.ok(ended.terminatedAt);
      assert.deepEqual(ended.actions, []);

      const { events } = Events.parse(
        await json(await root.call(`/v1/instances/${pending.id}/events`), 200),
      );
      const kinds = events.map((e) => e.kind);
      assert.equal(kinds[0], 'requested');
      assert.ok(kinds.includes('launching'));
      const states = events.filter((e) => e.kind === 'state').map((e) => e.to);
      for (const state of ['running', 'stopped', 'terminated'])
        assert.ok(states.includes(state), `a ${state} event`);
      assert.deepEqual(
        events.map((e) => e.id),
        [...events.map((e) => e.id)].sort((a, b) => a - b),
      );

      const again = await root.call(`/v1/instances/${pending.id}/terminate`, { method: 'POST' });
      assert.equal(again.status, 202, 'terminate is idempotent');
      const stop = await root.call(`/v1/instances/${pending.id}/stop`, { method: 'POST' });
      assert.equal(stop.status, 409);
    });

    it('honours Idempotency-Key: same key and body, same instance; another body, 409', async () => {
      const key = await addKey(root, 'idem');
      const body = { offerId, name: 'idem-one', sshKeyIds: [key.id] };
      const headers = { 'idempotency-key': 'launch-7f3a' };
      const first = z
        .object({ id: z.string(), refId: z.string() })
        .parse(await json(await launch(root, body, headers), 202));
      const replays = await Promise.all([1, 2, 3].map(() => launch(root, { ...body }, headers)));
      for (const replay of replays) {
        const again = z.object({ id: z.string() }).parse(await json(replay, 200));
        assert.equal(again.id, first.id);
      }
      const other = await launch(root, { ...body, name: 'idem-two' }, headers);
      assert.equal(other.status, 409);
      assert.equal(
        z.object({ error: z.object({ code: z.string() }) }).parse(await other.json()).error.code,
        'idempotency/mismatch',
      );
      await waitForState(plane, root, first.id, 'running');
      assert.equal((await cloudInstances(plane, first.refId)).length, 1);
      await json(await root.call(`/v1/instances/${first.id}/terminate`, { method: 'POST' }), 202);
      await waitForState(plane, root, first.id, 'terminated');
    });

    it('refuses bad launches with a 4xx that says what to do, leaving no row and no cloud instance', async () => {
      const mine = await addKey(root, 'refusals');
      const bob = await addUser(plane, `bob-${engine}`);
      const bobs = await addKey(bob, 'bobs');
      const rowsBefore = await rowCount(plane);
      const cloudBefore = (await cloudInstances(plane)).length;
      const valid = { offerId, name: 'refused', sshKeyIds: [mine.id] };
      const cases: [string, Record<string, unknown>, number, string][] = [
        [
          'unknown offer',
          { ...valid, offerId: `${plane.credentialId}:nowhere/none` },
          404,
          'offer/not-found',
        ],
        ['malformed offer id', { ...valid, offerId: 'nope' }, 404, 'offer/not-found'],
        ["another user's key", { ...valid, sshKeyIds: [bobs.id] }, 404, 'ssh-key/not-found'],
        ['no key', { ...valid, sshKeyIds: [] }, 400, 'request/invalid'],
        [
          'user data too large',
          { ...valid, userData: 'x'.repeat(16 * 1024 + 1) },
          413,
          'instance/user-data-too-large',
        ],
        ['bad name', { ...valid, name: 'Not A Name' }, 400, 'request/invalid'],
        ['reserved tag', { ...valid, tags: { 'cloudplane-ref': 'x' } }, 400, 'request/invalid'],
      ];
      for (const [what, body, status, code] of cases) {
        const response = await launch(root, body);
        const error = z
          .object({ error: z.object({ code: z.string(), message: z.string() }) })
          .parse(await json(response, status));
        assert.equal(error.error.code, code, what);
        assert.ok(error.error.message.length > 10, `${what}: a message that explains`);
      }
      // Name taken: one live instance holds the name.
      const first = z
        .object({ id: z.string() })
        .parse(await json(await launch(root, { ...valid, name: 'taken' }), 202));
      const taken = await launch(root, { ...valid, name: 'taken' });
      assert.equal(
        z.object({ error: z.object({ code: z.string() }) }).parse(await json(taken, 409)).error
          .code,
        'instance/name-taken',
      );
      assert.equal(await rowCount(plane), rowsBefore + 1, 'only the accepted launch left a row');
      await waitForState(plane, root, first.id, 'running');
      assert.equal(
        (await cloudInstances(plane)).length,
        cloudBefore + 1,
        'only the accepted launch reached the cloud',
      );
      await json(await root.call(`/v1/instances/${first.id}/terminate`, { method: 'POST' }), 202);
      await waitForState(plane, root, first.id, 'terminated');
      // Once terminated, the name is free again.
      const reuse = z
        .object({ id: z.string() })
        .parse(await json(await launch(root, { ...valid, name: 'taken' }), 202));
      await json(await root.call(`/v1/instances/${reuse.id}/terminate`, { method: 'POST' }), 202);
      await waitForState(plane, root, reuse.id, 'terminated');
    });

    it('fails a launch the provider refuses with its reason, and frees the name', async () => {
      const key = await addKey(root, 'refused-by-cloud');
      // Another offer than the other tests': capacity memory keeps the refused one unavailable.
      const page = z
        .object({ offers: z.array(z.object({ id: z.string() })) })
        .parse(await json(await root.call('/v1/offers?available=true&limit=2'), 200));
      const refused = page.offers.find((o) => o.id !== offerId);
      assert.ok(refused);
      plane.cloud.faults.replace({ outOfCapacity: true });
      const made = z
        .object({ id: z.string() })
        .parse(
          await json(
            await launch(root, { offerId: refused.id, name: 'no-room', sshKeyIds: [key.id] }),
            202,
          ),
        );
      const failed = await waitForState(plane, root, made.id, 'failed');
      plane.cloud.faults.replace({});
      assert.equal(failed.lastError?.code, 'INSUFFICIENT_CAPACITY');
      assert.equal(failed.cloudId, null);
      assert.deepEqual(failed.actions, []);
      const retry = z
        .object({ id: z.string() })
        .parse(
          await json(await launch(root, { offerId, name: 'no-room', sshKeyIds: [key.id] }), 202),
        );
      await waitForState(plane, root, retry.id, 'running');
      await json(await root.call(`/v1/instances/${retry.id}/terminate`, { method: 'POST' }), 202);
      await waitForState(plane, root, retry.id, 'terminated');
    });

    it('refuses to remove a credential with live instances; ended ones keep their history', async () => {
      const key = await addKey(root, 'cred-removal');
      const other = z.object({ id: z.string() }).parse(
        await json(
          await root.call('/v1/credentials', {
            method: 'POST',
            body: JSON.stringify({
              provider: 'devcloud',
              name: 'second',
              credential: { apiKey: plane.cloud.apiKey, baseUrl: plane.cloud.url },
            }),
          }),
          201,
        ),
      );
      await plane.until(async () => (await plane.plane.offerCount(other.id)) > 0, 'its catalog');
      const page = z
        .object({ offers: z.array(z.object({ id: z.string(), credentialId: z.string() })) })
        .parse(await json(await root.call('/v1/offers?available=true&limit=100'), 200));
      const theirs = page.offers.find((o) => o.credentialId === other.id);
      assert.ok(theirs);
      const made = z
        .object({ id: z.string() })
        .parse(
          await json(
            await launch(root, { offerId: theirs.id, name: 'on-second', sshKeyIds: [key.id] }),
            202,
          ),
        );
      await waitForState(plane, root, made.id, 'running');
      const refused = await root.call(`/v1/credentials/${other.id}`, { method: 'DELETE' });
      const error = z
        .object({ error: z.object({ code: z.string() }) })
        .parse(await json(refused, 409));
      assert.equal(error.error.code, 'credential/in-use');
      await json(await root.call(`/v1/instances/${made.id}/terminate`, { method: 'POST' }), 202);
      await waitForState(plane, root, made.id, 'terminated');
      await json(await root.call(`/v1/credentials/${other.id}`, { method: 'DELETE' }), 204);
      const kept = await getInstance(root, made.id);
      assert.equal(kept.credentialId, null);
      assert.equal(kept.state, 'terminated');
    });

    it("answers 404 to a member asking for another user's instance, on every instance route", async () => {
      const key = await addKey(root, 'owner');
      const mine = z
        .object({ id: z.string() })
        .parse(
          await json(await launch(root, { offerId, name: 'private', sshKeyIds: [key.id] }), 202),
        );
      const eve = await addUser(plane, `eve-${engine}`);
      const routes: [string, string][] = [
        ['GET', `/v1/instances/${mine.id}`],
        ['GET', `/v1/instances/${mine.id}/events`],
        ['POST', `/v1/instances/${mine.id}/stop`],
        ['POST', `/v1/instances/${mine.id}/start`],
        ['POST', `/v1/instances/${mine.id}/reboot`],
        ['POST', `/v1/instances/${mine.id}/terminate`],
      ];
      for (const [method, path] of routes) {
        const response = await eve.call(path, { method });
        const body = z
          .object({ error: z.object({ code: z.string() }) })
          .parse(await json(response, 404));
        assert.equal(body.error.code, 'instance/not-found', `${method} ${path}`);
      }
      const list = z
        .object({ instances: z.array(z.object({ id: z.string() })) })
        .parse(await json(await eve.call('/v1/instances'), 200));
      assert.deepEqual(list.instances, []);
      for (const path of [
        '/v1/credentials',
        '/v1/tokens',
        '/v1/users',
        '/v1/orphans',
        '/metrics',
      ]) {
        assert.equal((await eve.call(path)).status, 403, `${path} is for admins`);
      }
      assert.equal(
        (await eve.call('/v1/offers?limit=1')).status,
        200,
        'members browse the catalog',
      );
      // The owner's instance was never touched by eve's attempts.
      const still = await getInstance(root, mine.id);
      assert.notEqual(still.pendingAction, 'terminate');
      await json(await root.call(`/v1/instances/${mine.id}/terminate`, { method: 'POST' }), 202);
      await waitForState(plane, root, mine.id, 'terminated');
    });

    it('streams only the events the caller may see over SSE', async () => {
      const carol = await addUser(plane, `carol-${engine}`);
      const carolKey = await addKey(carol, 'carol');
      const rootKey = await addKey(root, 'sse');
      const controller = new AbortController();
      const carolSeen: z.infer<typeof EventDto>[] = [];
      const stream = await streamEvents(
        plane.plane,
        carol,
        (data) => carolSeen.push(EventDto.parse(data)),
        controller.signal,
      );
      assert.match(stream.contentType, /text\/event-stream/);
      const hers = z
        .object({ id: z.string() })
        .parse(
          await json(await launch(carol, { offerId, name: 'hers', sshKeyIds: [carolKey.id] }), 202),
        );
      const his = z
        .object({ id: z.string() })
        .parse(
          await json(await launch(root, { offerId, name: 'his', sshKeyIds: [rootKey.id] }), 202),
        );
      await waitForState(plane, carol, hers.id, 'running');
      await waitForState(plane, root, his.id, 'running');
      await plane.until(
        async () => Promise.resolve(carolSeen.some((e) => e.to === 'running')),
        'carol to see her instance run',
      );
      controller.abort();
      await stream.closed;
      assert.ok(carolSeen.length >= 2);
      assert.ok(
        carolSeen.every((e) => e.instanceId === hers.id),
        "never another user's event",
      );
      for (const [caller, id] of [
        [carol, hers.id],
        [root, his.id],
      ] as const) {
        await json(await caller.call(`/v1/instances/${id}/terminate`, { method: 'POST' }), 202);
        await waitForState(plane, caller, id, 'terminated');
      }
    });
  });
}

describe('capability gating', () => {
  let plane: Plane;
  let root: Caller;
  let offerId: string;

  /** devcloud as a provider that declares no stop/start, no reboot and no firewall. */
  const bare = defineProvider<DevcloudCredential>({
    ...devcloud,
    pollIntervals: FAST_POLL,
    firewallAtCreate: 'unsupported',
    capabilities: () => ['tags'],
    makeClient: (context) => {
      const inner = devcloud.makeClient(context);
      return {
        providerId: inner.providerId,
        cloudCredRefId: inner.cloudCredRefId,
        getLocations: () => inner.getLocations(),
        getInstanceTypes: (args) => inner.getInstanceTypes(args),
        createInstance: (attrs) => inner.createInstance(attrs),
        getInstance: (id) => inner.getInstance(id),
        listInstances: (args) => inner.listInstances(args),
        terminateInstance: (id) => inner.terminateInstance(id),
        ...(inner.tags ? { tags: inner.tags } : {}),
      };
    },
  });

  before(async () => {
    plane = await startPlane(undefined, undefined, {
      devcloud: { timings: FAST },
      providers: providerRegistry([bare as Provider]),
    });
    root = admin(plane);
    offerId = await anOffer(plane);
  });
  after(async () => {
    await plane.close();
  });

  it('answers 409 naming the capability, and lists only the actions the provider allows', async () => {
    const key = await addKey(root);
    const rules = {
      ingress: [{ protocol: 'tcp', fromPort: 8080, toPort: 8080, cidrs: ['0.0.0.0/0'] }],
      egress: [],
    };
    const before = (await cloudInstances(plane)).length;
    const refused = await launch(root, {
      offerId,
      name: 'walled',
      sshKeyIds: [key.id],
      firewallRules: rules,
    });
    const error = z
      .object({ error: z.object({ code: z.string(), message: z.string() }) })
      .parse(await json(refused, 409));
    assert.equal(error.error.code, 'capability/firewall');
    assert.equal((await cloudInstances(plane)).length, before, 'nothing launched');

    const made = z
      .object({ id: z.string() })
      .parse(await json(await launch(root, { offerId, name: 'plain', sshKeyIds: [key.id] }), 202));
    const running = await waitForState(plane, root, made.id, 'running');
    assert.deepEqual(running.actions, ['terminate']);
    assert.deepEqual(running.capabilities, ['tags']);
    for (const [action, capability] of [
      ['stop', 'stopStart'],
      ['start', 'stopStart'],
      ['reboot', 'reboot'],
    ] as const) {
      const response = await root.call(`/v1/instances/${made.id}/${action}`, { method: 'POST' });
      const body = z
        .object({ error: z.object({ code: z.string() }) })
        .parse(await json(response, 409));
      assert.equal(body.error.code, `capability/${capability}`);
    }
    await json(await root.call(`/v1/instances/${made.id}/terminate`, { method: 'POST' }), 202);
    await waitForState(plane, root, made.id, 'terminated');
  });
});
