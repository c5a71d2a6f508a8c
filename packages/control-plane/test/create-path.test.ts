import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateSshKeyPair } from '@cloudplane/sdk';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { InstanceDto } from '../src/api/instance-dto.js';
import { startControlPlane, type ControlPlane } from '../src/control-plane.js';
import { makeLogger } from '../src/logger.js';
import { BUILT_IN_PROVIDERS, providerRegistry } from '../src/providers.js';
import { recordingCloud, RECORDING_CLOUD, type RecordingCloud } from './helpers/recording-cloud.js';
import { ENGINES, freshTarget, stopClusterAfterAll } from './helpers/storage.js';
import { until } from './helpers/until.js';

/**
 * The node that accepts a launch sends it to the provider itself, with no create job between
 * (the row, its slot and its lease commit together). Launches past the node's cap of direct
 * launches (2 here) go to the create workers, which are woken by the launch instead of finding
 * the job at their next poll, and a worker that finishes a create looks for the next one at
 * once, so a backlog drains back to back. The workers here poll once a minute, so a launch that
 * waited for a poll would miss every deadline below by far.
 */

stopClusterAfterAll();

/** Far longer than any wait below: only a wake-up can start a launch in time. */
const POLLING_S = 60;
/** So that a backlog of 16 mostly goes through the create workers. */
const DIRECT_LAUNCHES = 2;
/** Sweeps come often here, so one that queues a needless create job is caught. */
const SWEEP_MS = 250;
/** Generous for a slow shared machine, and still well under one polling interval. */
const PROMPTLY_MS = 20_000;

const Offers = z.object({ offers: z.array(z.object({ id: z.string() })) });
const Launched = InstanceDto.pick({
  id: true,
  refId: true,
  cloudId: true,
  state: true,
  pendingAction: true,
});
const Events = z.object({ events: z.array(z.object({ kind: z.string() })) });
const IdRows = z.object({ rows: z.array(z.object({ id: z.string() })) });
const LeaseRows = z.object({ rows: z.array(z.object({ key: z.string() })) });

for (const engine of ENGINES) {
  describe(`the create path on ${engine}`, () => {
    let plane: ControlPlane;
    let cloud: RecordingCloud;
    let token: string;
    let sshKeyId: string;

    const call = (path: string, body?: unknown) =>
      fetch(`${plane.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    async function body(response: Response, status: number): Promise<unknown> {
      const text = await response.text();
      assert.equal(response.status, status, text);
      return JSON.parse(text) as unknown;
    }

    /** A credential whose launches take `latencyMs` at the provider, synced; its offer. */
    async function offerAt(latencyMs: number): Promise<string> {
      const { id } = await plane.credentials.add({
        provider: RECORDING_CLOUD,
        name: `latency-${String(latencyMs)}`,
        credential: { latencyMs },
      });
      // Synced here: the catalog's own workers poll as slowly as the instance ones.
      assert.equal((await plane.syncer.sync(id)).outcome, 'ok');
      const page = Offers.parse(await body(await call('/v1/offers?limit=500'), 200));
      const offer = page.offers.find((o) => o.id.startsWith(`${id}:`));
      assert.ok(offer, 'the synced offer is listed');
      return offer.id;
    }

    async function launch(offerId: string, name: string) {
      return Launched.parse(
        await body(await call('/v1/instances', { offerId, name, sshKeyIds: [sshKeyId] }), 202),
      );
    }

    before(async () => {
      cloud = recordingCloud();
      plane = await startControlPlane({
        storage: await freshTarget(engine),
        masterKey: randomBytes(32),
        logger: makeLogger({ level: 'silent' }),
        providers: providerRegistry([cloud.provider, ...BUILT_IN_PROVIDERS]),
        jobPollingIntervalSeconds: POLLING_S,
        maxDirectLaunches: DIRECT_LAUNCHES,
        instanceSweepIntervalMs: SWEEP_MS,
      });
      const first = plane.firstToken?.token;
      assert.ok(first, 'a fresh control plane makes a first token');
      token = first;
      sshKeyId = z.object({ id: z.string() }).parse(
        await body(
          await call('/v1/users/me/ssh-keys', {
            name: 'laptop',
            publicKey: generateSshKeyPair('laptop').publicKey,
          }),
          201,
        ),
      ).id;
    });
    after(async () => {
      await plane.close();
    });

    /** Which of these instances ever had a create job queued (finished ones included). */
    async function withCreateJobs(ids: readonly string[]): Promise<Set<string>> {
      const result = IdRows.parse(
        await plane.storage.db.execute(
          sql`SELECT DISTINCT j.data->>'instanceId' AS id FROM (
                SELECT data FROM pgboss.job WHERE name = 'instance-create'
                UNION ALL SELECT data FROM pgboss.archive WHERE name = 'instance-create') j
              WHERE j.data->>'instanceId' IN (${sql.join(
                ids.map((id) => sql`${id}`),
                sql`, `,
              )})`,
        ),
      );
      return new Set(result.rows.map((r) => r.id));
    }

    it('sends a launch itself, with no create job, and records the answer', async () => {
      const offerId = await offerAt(0);
      const made = await launch(offerId, 'prompt-1');
      assert.equal(made.cloudId, null, 'the 202 comes before the provider is called');
      await until(
        () => Promise.resolve(cloud.calls.get(made.refId)?.returned !== undefined),
        'the launch to reach the provider',
        PROMPTLY_MS,
      );
      let seen = made;
      await until(
        async () => {
          seen = Launched.parse(await body(await call(`/v1/instances/${made.id}`), 200));
          return seen.cloudId !== null;
        },
        "the provider's answer to be recorded",
        PROMPTLY_MS,
      );
      assert.equal(seen.cloudId, cloud.calls.get(made.refId)?.cloudId);
      assert.equal(seen.state, 'pending', 'recorded as the provider answered it: provisioning');
      const kinds = Events.parse(
        await body(await call(`/v1/instances/${made.id}/events`), 200),
      ).events.map((e) => e.kind);
      assert.deepEqual(kinds.slice(0, 2), ['requested', 'launching']);
      await until(
        async () =>
          LeaseRows.parse(
            await plane.storage.db.execute(
              sql`SELECT key FROM job_leases WHERE key LIKE ${`%${made.id}%`}`,
            ),
          ).rows.length === 0,
        'the create lease to be released',
        PROMPTLY_MS,
      );
      // The provider still says provisioning, so the row's launch stays pending a while: sweeps
      // meanwhile must not take it for a launch whose create job was lost.
      await sleep(4 * SWEEP_MS);
      const still = Launched.parse(await body(await call(`/v1/instances/${made.id}`), 200));
      assert.equal(
        still.pendingAction,
        'create',
        'the launch was still pending through the sweeps',
      );
      assert.equal((await withCreateJobs([made.id])).size, 0, 'no create job was queued for it');
    });

    it('drains a backlog larger than its workers without waiting for a poll', async () => {
      // Each launch keeps its worker busy for 1.5 s: past the two this node sends itself, most
      // of the 16 find every worker busy and wait for one to finish its create and look again.
      const offerId = await offerAt(1_500);
      const launches = await Promise.all(
        Array.from({ length: 16 }, (_, i) => launch(offerId, `backlog-${String(i)}`)),
      );
      await until(
        () =>
          Promise.resolve(launches.every((l) => cloud.calls.get(l.refId)?.returned !== undefined)),
        'every launch of the backlog to reach the provider',
        PROMPTLY_MS,
      );
      // Each answer is recorded on its own row, by the job that launched it.
      for (const l of launches) {
        await until(
          async () =>
            Launched.parse(await body(await call(`/v1/instances/${l.id}`), 200)).cloudId ===
            cloud.calls.get(l.refId)?.cloudId,
          `launch ${l.id} to be recorded`,
          PROMPTLY_MS,
        );
      }
      // How many went each way depends on how fast the node accepts; the cap does not.
      const queued = await withCreateJobs(launches.map((l) => l.id));
      assert.ok(queued.size >= 1, 'launches past the cap went to the create workers');
      const direct = launches.filter((l) => !queued.has(l.id));
      assert.ok(direct.length >= 1, 'the first launch was sent by the node itself');
      const spans = direct.map((l) => {
        const call = cloud.calls.get(l.refId);
        assert.ok(call?.returned !== undefined);
        return { from: call.entered, to: call.returned };
      });
      const mostAtOnce = Math.max(
        ...spans.map((s) => spans.filter((o) => o.from <= s.from && s.from < o.to).length),
      );
      assert.ok(
        mostAtOnce <= DIRECT_LAUNCHES,
        `${String(mostAtOnce)} first attempts at the provider at once; the cap is ${String(DIRECT_LAUNCHES)}`,
      );
    });
  });
}
