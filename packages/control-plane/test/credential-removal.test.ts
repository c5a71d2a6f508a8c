import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { instances, launchAttempts } from '../src/db/schema.js';
import { ControlPlaneError } from '../src/errors.js';
import { CredentialRemoval } from '../src/instances/credential-removal.js';
import { ATTEMPT_SETTLES_MS } from '../src/instances/launcher.js';
import { LAUNCH_UNCONFIRMED } from '../src/instances/outcome.js';
import { makeLogger } from '../src/logger.js';
import {
  addKey,
  admin,
  directClient,
  json,
  runningRow,
  waitForState,
} from './helpers/instances.js';
import { MARKED_FETCH, marked, markedDevcloud } from './helpers/marked-devcloud.js';
import { fastRegistry, startPlane, type Plane } from './helpers/plane.js';
import { ENGINES, freshTarget, stopClusterAfterAll } from './helpers/storage.js';

/**
 * A credential with a failed launch that may still make an instance is removed only once the
 * provider's list, taken after that launch settled, shows it made nothing (or its operator
 * abandons them): removed earlier, an instance made late would bill with nothing watching its
 * refId. The removal's look-ups go through a marked
 * fetch; the plane's own syncer never sees the late instance, so it cannot adopt it first.
 */

stopClusterAfterAll();

for (const engine of ENGINES) {
  describe(`removing a credential with an unconfirmed launch, on ${engine}`, () => {
    let plane: Plane;
    let removal: CredentialRemoval;

    before(async () => {
      plane = await startPlane(await freshTarget(engine), undefined, {
        devcloud: { timings: { bootStepMs: 50, terminateMs: 50 } },
        providers: fastRegistry(markedDevcloud),
      });
      removal = new CredentialRemoval({
        db: plane.plane.storage.db,
        credentials: plane.plane.credentials,
        logger: makeLogger({ level: 'silent' }),
        clientOptions: { fetch: MARKED_FETCH },
      });
    });
    after(async () => {
      await plane.close();
    });

    async function refused(pattern: RegExp): Promise<void> {
      await assert.rejects(removal.remove(plane.credentialId), (err: unknown) => {
        assert.ok(err instanceof ControlPlaneError, String(err));
        assert.equal(err.code, 'credential/in-use');
        assert.match(err.message, pattern);
        return true;
      });
    }

    it('waits for the launch to settle, then for a list without it', async () => {
      const root = admin(plane);
      const key = await addKey(root);
      const template = await runningRow(plane, root, key.id);
      await json(
        await root.call(`/v1/instances/${template.id}/terminate`, { method: 'POST' }),
        202,
      );
      await waitForState(plane, root, template.id, 'terminated');
      // A launch given up unconfirmed, its last attempt just sent.
      const db = plane.plane.storage.db;
      const row = {
        ...template,
        id: randomUUID(),
        refId: randomUUID(),
        name: 'unconfirmed',
        idempotencyKey: null,
        cloudId: null,
        state: 'failed' as const,
        pendingAction: null,
        terminatedAt: null,
        lastErrorCode: LAUNCH_UNCONFIRMED,
        lastError: 'the launch could not be confirmed (test)',
        createSentAt: new Date(),
      };
      await db.insert(instances).values(row);
      await refused(/may still make an instance: the provider may act on the last attempt until/);

      const settled = new Date(Date.now() - ATTEMPT_SETTLES_MS - 1_000);
      await db.update(instances).set({ createSentAt: settled }).where(eq(instances.id, row.id));
      marked.list = 'fail';
      await refused(
        /could not be asked whether it made them .*the provider is down.*abandon=: [0-9a-f-]{36}$/,
      );

      // The provider made it after all, late.
      marked.list = 'all';
      const direct = directClient(plane);
      const late = await direct.createInstance({
        refId: row.refId,
        name: 'late',
        publicKey: key.pair.publicKey,
        location: template.location,
        instanceType: template.instanceType,
      });
      marked.hidden.add(late.cloudId);
      await refused(
        new RegExp(
          `holds 1 instance\\(s\\) made by launches reported failed or failed over \\(${late.cloudId}\\)`,
        ),
      );

      await direct.terminateInstance(late.cloudId);
      await plane.until(async () => {
        const seen = (await direct.listInstances()).find((i) => i.cloudId === late.cloudId);
        return seen === undefined || seen.status.lifecycle === 'terminated';
      }, 'the late instance to end');
      // Meanwhile another launch fails, after an attempt that was never answered: the list
      // cleared the first, not this one, which the count under the credential's lock finds.
      const silent = randomUUID();
      marked.beforeList = async () => {
        await db.insert(instances).values({
          ...row,
          id: randomUUID(),
          refId: silent,
          name: 'refused-after-silence',
          lastErrorCode: 'INSUFFICIENT_CAPACITY',
          createAttempts: 2,
          createSentAt: settled,
        });
      };
      await refused(/failed unconfirmed or failed over just now/);
      assert.equal(marked.beforeList, undefined, 'the removal asked the provider');

      // The provider no longer answers: the operator checks the refIds the refusal names at
      // the provider and abandons them; one left unnamed is still looked up.
      marked.list = 'fail';
      await refused(
        new RegExp(`could not be asked.*abandon=: (${row.refId},${silent}|${silent},${row.refId})`),
      );
      await refused(/could not be asked/);
      await assert.rejects(
        removal.remove(plane.credentialId, { abandon: [row.refId] }),
        /could not be asked whether it made them .*abandon=: [0-9a-f-]{36}$/,
      );
      // A launch failed over away from this credential just now: a refId it gave up here may
      // still make an instance, which only this credential's syncer would end. It is waited
      // for and looked up like an unconfirmed launch.
      const gaveUp = randomUUID();
      const gaveUpAttempt = (refId: string, finishedAt: Date) =>
        db.insert(launchAttempts).values({
          refId,
          instanceId: row.id,
          credentialId: plane.credentialId,
          startedAt: finishedAt,
          outcome: 'capacity' as const,
          finishedAt,
        });
      await gaveUpAttempt(gaveUp, new Date());
      const checked = [row.refId, silent];
      await assert.rejects(
        removal.remove(plane.credentialId, { abandon: checked }),
        /failed or failed-over launch\(es\) on this credential may still make an instance/,
      );
      await db
        .update(launchAttempts)
        .set({ finishedAt: settled })
        .where(eq(launchAttempts.refId, gaveUp));
      await assert.rejects(
        removal.remove(plane.credentialId, { abandon: checked }),
        new RegExp(`could not be asked.*abandon=: ${gaveUp}$`),
      );
      // Looked up and absent; meanwhile another launch fails over away from it: counted again
      // under the credential's lock.
      marked.list = 'all';
      const another = randomUUID();
      marked.beforeList = async () => {
        await gaveUpAttempt(another, new Date());
      };
      await refused(/failed unconfirmed or failed over just now/);
      assert.equal(marked.beforeList, undefined, 'the removal asked the provider');
      await removal.remove(plane.credentialId, { abandon: [...checked, gaveUp, another] });
      marked.list = 'all';
      assert.equal(await plane.plane.credentials.get(plane.credentialId), null, 'removed');
    });
  });
}
