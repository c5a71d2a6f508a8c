import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { instances } from '../src/db/schema.js';
import { ACTION_RESEND_MS, ActionRunner } from '../src/instances/actions.js';
import { EventBell } from '../src/instances/events.js';
import { InstanceRows } from '../src/instances/rows.js';
import { makeLogger } from '../src/logger.js';
import {
  addKey,
  admin,
  anOffer,
  getInstance,
  json,
  launch,
  waitForState,
  type Caller,
} from './helpers/instances.js';
import { startPlane, type Plane } from './helpers/plane.js';
import { ENGINES, freshTarget, stopClusterAfterAll } from './helpers/storage.js';

/**
 * An action the provider accepted stays pending until the syncer sees its outcome. The sweep,
 * which sends again what a lost job left undone, must not take that wait for a lost job: it
 * sent the stop or terminate again on every sweep (every 15 s by default) for as long as the
 * machine took to stop or end. It sends it again only once the action is overdue.
 */

stopClusterAfterAll();

const Made = z.object({ id: z.string() });

for (const engine of ENGINES) {
  describe(`an accepted action and the sweep on ${engine}`, () => {
    let plane: Plane;
    let root: Caller;

    before(async () => {
      plane = await startPlane(await freshTarget(engine), undefined, {
        // Stopping takes 5 s and ending 1.5 s at this cloud: many sweeps' worth, and time for
        // a repeat to meet a machine still stopping.
        devcloud: { timings: { bootStepMs: 50, stopMs: 5_000, terminateMs: 1_500 } },
        sweepIntervalMs: 200,
      });
      root = admin(plane);
    });
    after(async () => {
      await plane.close();
    });

    /** Runs an action's job here, as a worker (of any node) would. */
    const actions = () =>
      new ActionRunner({
        rows: new InstanceRows(plane.plane.storage.db, new EventBell()),
        credentials: plane.plane.credentials,
        logger: makeLogger({ level: 'silent' }),
        clientOptions: {},
      });

    /** A running instance of its own, with a key of its own. */
    const running = async (name: string) => {
      const [offerId, key] = [await anOffer(plane), await addKey(root, name)];
      const made = Made.parse(
        await json(await launch(root, { offerId, name, sshKeyIds: [key.id] }), 202),
      );
      await waitForState(plane, root, made.id, 'running');
      return made;
    };

    const requests = (endpoint: 'stopInstance' | 'terminateInstance') =>
      plane.cloud.faults.counts().requests[endpoint] ?? 0;

    /** The instance once its pending action has ended, however it ended. */
    const actionEnded = async (id: string, what: string) => {
      let seen = await getInstance(root, id);
      await plane.until(async () => {
        seen = await getInstance(root, id);
        return seen.pendingAction === null;
      }, what);
      return seen;
    };

    const accepted = (id: string) =>
      plane.until(async () => {
        const [row] = await plane.plane.storage.db
          .select({ sentAt: instances.actionSentAt })
          .from(instances)
          .where(eq(instances.id, id));
        return row?.sentAt != null;
      }, 'the provider accepted the action');

    it('sends a stop and a terminate once while the provider carries them out', async () => {
      const made = await running('slow');

      const stopsBefore = requests('stopInstance');
      await json(await root.call(`/v1/instances/${made.id}/stop`, { method: 'POST' }), 202);
      await accepted(made.id);
      // A second job for it (a duplicate queued by a sweep that read the row just before the
      // first was accepted, or a retry) sends nothing either.
      assert.deepEqual(await actions().run(made.id, 'stop', false), { kind: 'skipped' });
      await waitForState(plane, root, made.id, 'stopped', 30_000);
      assert.equal(requests('stopInstance') - stopsBefore, 1, 'one stop sent to the provider');

      const terminatesBefore = requests('terminateInstance');
      await json(await root.call(`/v1/instances/${made.id}/terminate`, { method: 'POST' }), 202);
      await waitForState(plane, root, made.id, 'terminated', 30_000);
      assert.equal(
        requests('terminateInstance') - terminatesBefore,
        1,
        'one terminate sent to the provider',
      );
    });

    /** Makes the pending action's acceptance `ms` old, as if the provider had sat on it. */
    const ageAcceptance = async (id: string, ms: number) => {
      await accepted(id);
      await plane.plane.storage.db
        .update(instances)
        .set({ actionSentAt: sql`now() - make_interval(secs => ${ms / 1000})` })
        .where(eq(instances.id, id));
    };

    it('sends an overdue action again, once', async () => {
      const made = await running('overdue');
      const stopsBefore = requests('stopInstance');
      await json(await root.call(`/v1/instances/${made.id}/stop`, { method: 'POST' }), 202);
      await ageAcceptance(made.id, ACTION_RESEND_MS.stop + 1_000);
      await waitForState(plane, root, made.id, 'stopped', 30_000);
      assert.equal(requests('stopInstance') - stopsBefore, 2, 'sent again once it was overdue');

      const terminatesBefore = requests('terminateInstance');
      await json(await root.call(`/v1/instances/${made.id}/terminate`, { method: 'POST' }), 202);
      await ageAcceptance(made.id, ACTION_RESEND_MS.terminate + 1_000);
      await waitForState(plane, root, made.id, 'terminated', 30_000);
      assert.equal(requests('terminateInstance') - terminatesBefore, 2, 'the terminate too');
    });

    it('ends a stop whose repeat is refused without an error, and the state tells the rest', async () => {
      const made = await running('refused');
      await json(await root.call(`/v1/instances/${made.id}/stop`, { method: 'POST' }), 202);
      await accepted(made.id);
      await plane.until(
        async () => (await getInstance(root, made.id)).state === 'stopping',
        'the syncer to see the machine stopping',
      );
      // The repeat meets a provider that refuses a stop of a stopping machine.
      plane.cloud.faults.replace({
        rules: [{ endpoint: 'stopInstance', kind: 'error', status: 409, times: 1 }],
      });
      await ageAcceptance(made.id, ACTION_RESEND_MS.stop + 1_000);
      // The repeat, sent here at once so that it surely comes while the machine is stopping
      // (a sweep may send it first: then this finds the stop ended and sends nothing).
      await actions().run(made.id, 'stop', false);
      const stopped = await waitForState(plane, root, made.id, 'stopped', 30_000);
      plane.cloud.faults.replace({});
      assert.equal(plane.cloud.faults.counts().injected.stopInstance?.error, 1, 'it was refused');
      assert.equal(stopped.pendingAction, null);
      assert.equal(stopped.lastError, null, 'no error for a stop that went through');
      const events = z
        .object({ events: z.array(z.object({ kind: z.string(), message: z.string() })) })
        .parse(await json(await root.call(`/v1/instances/${made.id}/events`), 200)).events;
      assert.ok(
        events.some((e) => e.kind === 'action-failed' && /sent again and refused/.test(e.message)),
        "the refused repeat is in the instance's events",
      );

      // A new request is sent as new: its first refusal is an error, whatever came before.
      plane.cloud.faults.replace({
        rules: [{ endpoint: 'startInstance', kind: 'error', status: 409, times: 1 }],
      });
      await json(await root.call(`/v1/instances/${made.id}/start`, { method: 'POST' }), 202);
      const refusedStart = await actionEnded(made.id, 'the start to end');
      plane.cloud.faults.replace({});
      assert.equal(refusedStart.state, 'stopped');
      assert.equal(refusedStart.lastError?.code, 'INVALID_ARGUMENT', 'the refused start is shown');
      const again = z
        .object({ lastError: z.unknown() })
        .parse(
          await json(await root.call(`/v1/instances/${made.id}/start`, { method: 'POST' }), 202),
        );
      assert.equal(again.lastError, null, "a new request clears the last one's error");
      await waitForState(plane, root, made.id, 'running', 30_000);
    });

    it('keeps the error of a refused repeat when the machine shows no sign of the first', async () => {
      const made = await running('lost');
      // A stop the provider accepted long ago and lost: the machine still runs. Its repeat is
      // refused (an error of the provider's own), and that is the stop's outcome.
      plane.cloud.faults.replace({
        rules: [{ endpoint: 'stopInstance', kind: 'error', status: 409 }],
      });
      await plane.plane.storage.db
        .update(instances)
        .set({
          pendingAction: 'stop',
          actionRequestedAt: sql`now() - interval '10 minutes'`,
          actionSentAt: sql`now() - interval '10 minutes'`,
        })
        .where(eq(instances.id, made.id));
      const seen = await actionEnded(made.id, 'the repeated stop to end');
      plane.cloud.faults.replace({});
      assert.equal(seen.state, 'running');
      assert.equal(seen.lastError?.code, 'INVALID_ARGUMENT', "the refusal is the stop's error");
    });
  });
}
