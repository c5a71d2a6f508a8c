import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defineProvider, type Provider } from '@cloudplane/sdk';
import { provider as devcloud } from '@cloudplane/provider-devcloud';
import { asksFirewall, withinCapabilities } from '../src/instances/picker.js';
import { providerRegistry } from '../src/providers.js';
import { addKey, admin, json, launch } from './helpers/instances.js';
import { FAST_POLL, fastRegistry, startPlane, type Plane } from './helpers/plane.js';

/**
 * A launch by requirement with firewall rules picks only among providers that apply them, so
 * the cheapest offer of one that cannot is passed over instead of refused.
 */

const named = (id: string, firewallAtCreate: Provider['firewallAtCreate']) =>
  defineProvider({ ...devcloud, id, firewallAtCreate }) as Provider;

const registry = providerRegistry([
  named('walled', 'native'),
  named('scripted', 'boot-script'),
  named('open', 'unsupported'),
]);
const rules = {
  ingress: [{ protocol: 'tcp' as const, fromPort: 22, toPort: 22, cidrs: ['0.0.0.0/0'] }],
  egress: [],
};
const requirement = { gpu: 'H100' };

describe('withinCapabilities', () => {
  it('leaves a launch without firewall rules as it asked', () => {
    assert.equal(asksFirewall(undefined), false);
    assert.equal(asksFirewall({ ingress: [], egress: [] }), false);
    assert.equal(withinCapabilities(requirement, registry, undefined), requirement);
    assert.equal(
      withinCapabilities(requirement, registry, { ingress: [], egress: [] }),
      requirement,
    );
  });

  it('narrows a launch with firewall rules to the providers that apply them', () => {
    assert.deepEqual(withinCapabilities(requirement, registry, rules), {
      gpu: 'H100',
      providers: ['walled', 'scripted'],
    });
  });

  it('keeps within the providers the requirement names, and finds none when none can', () => {
    assert.deepEqual(
      withinCapabilities({ ...requirement, providers: ['open', 'scripted'] }, registry, rules),
      { gpu: 'H100', providers: ['scripted'] },
    );
    assert.equal(
      withinCapabilities({ ...requirement, providers: ['open'] }, registry, rules),
      null,
    );
  });
});

describe('a launch by requirement with firewall rules, when no loaded provider applies them', () => {
  let plane: Plane;
  before(async () => {
    const unwalled = defineProvider({
      ...devcloud,
      pollIntervals: FAST_POLL,
      firewallAtCreate: 'unsupported',
    }) as Provider;
    plane = await startPlane(undefined, undefined, { providers: fastRegistry(unwalled) });
    await plane.until(
      async () => (await plane.plane.offerCount(plane.credentialId)) > 0,
      'the catalog',
    );
  });
  after(async () => {
    await plane.close();
  });

  it('finds no offer instead of picking one it must refuse', async () => {
    const root = admin(plane);
    const key = await addKey(root);
    const offers = (await json(await plane.call('/v1/offers?available=true&limit=1'), 200)) as {
      offers: { gpu: { name: string | null } }[];
    };
    const gpu = offers.offers[0]?.gpu.name;
    assert.ok(gpu, 'an available GPU offer');
    const refused = (await json(
      await launch(root, {
        requirement: { gpu },
        name: 'walled',
        sshKeyIds: [key.id],
        firewallRules: rules,
      }),
      409,
    )) as { error: { code: string; message: string } };
    assert.equal(refused.error.code, 'offer/none-matches');
    assert.match(refused.error.message, /among providers that apply firewall rules/);
  });
});
