import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import type { FaultConfigInput } from '@cloudplane/devcloud';
import {
  addKey,
  admin,
  anOffer,
  cloudInstances,
  getInstance,
  json,
  launch,
  waitForState,
  LIVE_NATIVE,
  type Caller,
} from './helpers/instances.js';
import { startPlane, type Plane } from './helpers/plane.js';
import { ENGINES, freshTarget, stopClusterAfterAll } from './helpers/storage.js';

/**
 * Exactly once under provider faults (devcloud's fault injection): every launch ends as one
 * cloud instance whatever failed around it, no live instance is marked terminated while lists
 * fail, and terminates go through failing answers. Checked against devcloud's ground truth.
 */

const FAST = { bootStepMs: 50, stopMs: 50, startMs: 50, rebootMs: 50, terminateMs: 50 };

stopClusterAfterAll();

const CREATE_FAULTS: [string, FaultConfigInput][] = [
  [
    '500 after the cloud accepted',
    { rules: [{ endpoint: 'createInstance', kind: 'error-after', status: 500, times: 1 }] },
  ],
  [
    'no answer after the cloud accepted',
    { rules: [{ endpoint: 'createInstance', kind: 'timeout-after', times: 1 }] },
  ],
  [
    '502 after acceptance, twice, and the look-up list failing once',
    {
      rules: [
        { endpoint: 'createInstance', kind: 'error-after', status: 502, times: 2 },
        { endpoint: 'listInstances', kind: 'error', status: 503, times: 1 },
      ],
    },
  ],
  [
    '503 before acceptance',
    { rules: [{ endpoint: 'createInstance', kind: 'error', status: 503, times: 2 }] },
  ],
  [
    '429 with Retry-After',
    { rules: [{ endpoint: 'createInstance', kind: 'rate-limit', retryAfterSeconds: 1, times: 2 }] },
  ],
  [
    'malformed JSON answer',
    { rules: [{ endpoint: 'createInstance', kind: 'malformed', times: 1 }] },
  ],
  [
    'no answer before acceptance',
    { rules: [{ endpoint: 'createInstance', kind: 'timeout', times: 1 }] },
  ],
];

for (const engine of ENGINES) {
  describe(`instances under provider faults on ${engine}`, () => {
    let plane: Plane;
    let root: Caller;
    let offerId: string;
    let keyId: string;

    before(async () => {
      plane = await startPlane(await freshTarget(engine), undefined, {
        devcloud: { timings: FAST, capacityPerOffer: 100 },
        credential: { timeoutMs: 1_000 },
      });
      root = admin(plane);
      offerId = await anOffer(plane);
      keyId = (await addKey(root)).id;
    });
    after(async () => {
      await plane.close();
    });

    for (const [what, faults] of CREATE_FAULTS) {
      it(`launches exactly once: ${what}`, async () => {
        plane.cloud.faults.replace(faults);
        const name = `f-${what.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`
          .slice(0, 60)
          .replace(/-$/, '');
        const made = z
          .object({ id: z.string(), refId: z.string() })
          .parse(await json(await launch(root, { offerId, name, sshKeyIds: [keyId] }), 202));
        const up = await waitForState(plane, root, made.id, 'running', 90_000);
        plane.cloud.faults.replace({});
        const truth = await cloudInstances(plane, made.refId);
        assert.equal(truth.length, 1, 'one cloud instance for the row, never two');
        assert.equal(truth[0]?.id, up.cloudId);
        await json(await root.call(`/v1/instances/${made.id}/terminate`, { method: 'POST' }), 202);
        await waitForState(plane, root, made.id, 'terminated');
      });
    }

    it('never marks a live instance terminated while lists fail, and terminates through failing answers', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push(
          z
            .object({ id: z.string() })
            .parse(
              await json(
                await launch(root, { offerId, name: `steady-${String(i)}`, sshKeyIds: [keyId] }),
                202,
              ),
            ).id,
        );
      }
      for (const id of ids) await waitForState(plane, root, id, 'running');
      plane.cloud.faults.replace({
        rules: [
          { endpoint: 'listInstances', kind: 'error', status: 503, rate: 0.4 },
          { endpoint: 'listInstances', kind: 'malformed', rate: 0.3 },
          { endpoint: 'getInstance', kind: 'error', status: 500, rate: 0.5 },
        ],
      });
      const until = Date.now() + 6_000;
      while (Date.now() < until) {
        await plane.plane.instanceSyncer.sync(plane.credentialId);
        for (const id of ids) assert.equal((await getInstance(root, id)).state, 'running');
      }
      plane.cloud.faults.replace({
        rules: [
          { endpoint: 'terminateInstance', kind: 'error-after', status: 500, times: 2 },
          { endpoint: 'terminateInstance', kind: 'timeout-after', times: 1 },
          { endpoint: 'listInstances', kind: 'error', status: 503, rate: 0.3 },
        ],
      });
      for (const id of ids)
        await json(await root.call(`/v1/instances/${id}/terminate`, { method: 'POST' }), 202);
      for (const id of ids) await waitForState(plane, root, id, 'terminated', 90_000);
      plane.cloud.faults.replace({});
      const live = (await cloudInstances(plane)).filter((i) => LIVE_NATIVE.has(i.status));
      assert.deepEqual(live, [], 'no cloud instance left running');
      const orphans = z
        .object({ orphans: z.array(z.unknown()) })
        .parse(await json(await root.call('/v1/orphans'), 200));
      assert.deepEqual(orphans.orphans, []);
    });
  });
}
