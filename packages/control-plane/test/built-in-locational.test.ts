import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { Ec2Fake } from '../../providers/aws/test/fake/ec2-fake.js';
import { TAG_REF_ID } from '../../providers/aws/src/tags.js';
import { addKey, admin, getInstance, json, launch, waitForState } from './helpers/instances.js';
import { startPlane, type Plane } from './helpers/plane.js';

/**
 * A built-in locational provider through the whole control plane: the AWS adapter, registered
 * as built in, against its EC2 fake. The catalog comes from one client per region, and a launch
 * in one region runs, is tracked and ends there, with its refId on the cloud's instance.
 */

const Offers = z.object({
  offers: z.array(z.object({ id: z.string(), provider: z.string(), region: z.string() })),
});

describe('the AWS adapter in the control plane', () => {
  let fake: Ec2Fake;
  let plane: Plane;
  let credentialId: string;

  before(async () => {
    fake = await Ec2Fake.start();
    plane = await startPlane();
    const added = z.object({ id: z.string() }).parse(
      await json(
        await plane.call('/v1/credentials', {
          method: 'POST',
          body: JSON.stringify({ provider: 'aws', name: 'aws', credential: fake.credential() }),
        }),
        201,
      ),
    );
    credentialId = added.id;
  });
  after(async () => {
    await plane.close();
    await fake.close();
  });

  it('syncs every region and launches, tracks and terminates in one', async () => {
    let offers: z.infer<typeof Offers>['offers'] = [];
    await plane.until(async () => {
      offers = Offers.parse(
        await json(await plane.call('/v1/offers?provider=aws&available=true&limit=500'), 200),
      ).offers;
      return new Set(offers.map((o) => o.region)).size === 3;
    }, "the catalog of all three of the credential's regions");
    assert.ok(offers.every((o) => o.provider === 'aws'));

    const root = admin(plane);
    const key = await addKey(root, 'aws');
    const offer = offers.find((o) => o.region === 'us-west-2');
    assert.ok(offer, 'an offer in us-west-2');
    const launched = z
      .object({ id: z.string() })
      .parse(
        await json(
          await launch(root, { offerId: offer.id, name: 'ec2-one', sshKeyIds: [key.id] }),
          202,
        ),
      );
    const running = await waitForState(plane, root, launched.id, 'running', 120_000);
    assert.equal(running.credentialId, credentialId);
    const cloud = [...fake.instances.values()].filter(
      (i) => i.tags.get(TAG_REF_ID) === running.refId,
    );
    assert.equal(cloud.length, 1, 'one EC2 instance carries the refId');
    const [instance] = cloud;
    assert.ok(instance);
    assert.equal(instance.region, 'us-west-2');

    await json(await root.call(`/v1/instances/${launched.id}/terminate`, { method: 'POST' }), 202);
    await waitForState(plane, root, launched.id, 'terminated', 120_000);
    assert.equal(instance.state, 'terminated');
    assert.equal((await getInstance(root, launched.id)).pendingAction, null);
  });
});
