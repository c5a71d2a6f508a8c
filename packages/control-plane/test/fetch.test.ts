import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineProvider, silentLogger, type CloudClient, type InstanceType } from '@cloudplane/sdk';
import { z } from 'zod';
import { fetchCatalog, fetchFingerprintedCatalog } from '../src/catalog/fetch.js';
import { l4Type } from './helpers/instance-types.js';

/**
 * The fan-out rule: a global provider is asked once, a locational one once per location (each
 * through a client bound to that location). A test provider in memory shows which was asked.
 */

function typeAt(location: string, name = 'gpu.1x'): InstanceType {
  return l4Type('regional', location, name, { rebootable: true });
}

function regionalProvider(calls: (string | undefined)[], duplicate = false) {
  return defineProvider<unknown>({
    id: 'regional',
    displayName: 'Regional test cloud',
    credentialSchema: z.unknown(),
    secretFields: [],
    apiType: 'locational',
    firewallAtCreate: 'unsupported',
    capabilities: () => [],
    makeClient: ({ location }): CloudClient => {
      const notUsed = () => Promise.reject(new Error('not used by the catalog'));
      return {
        providerId: 'regional',
        cloudCredRefId: 'c',
        getLocations: () =>
          Promise.resolve(
            ['eu-1', 'us-1', 'ap-1'].map((name) => ({ name, description: name, available: true })),
          ),
        getInstanceTypes: () => {
          calls.push(location);
          return Promise.resolve(
            location === undefined ? [] : [typeAt(duplicate ? 'eu-1' : location)],
          );
        },
        createInstance: notUsed,
        getInstance: notUsed,
        listInstances: notUsed,
        terminateInstance: notUsed,
      };
    },
  });
}

/** A fetch of a global provider whose catalog is whatever `listing` gives at each call. */
function fetcherOf(cloudCredRefId: string, listing: () => readonly InstanceType[]) {
  const provider = defineProvider<unknown>({
    ...regionalProvider([]),
    apiType: 'global',
    makeClient: () => ({
      ...regionalProvider([]).makeClient({ credential: {}, cloudCredRefId: 'c' }),
      getInstanceTypes: () => Promise.resolve([...listing()]),
    }),
  });
  return () =>
    fetchFingerprintedCatalog({ provider, credential: {}, cloudCredRefId, logger: silentLogger });
}

describe('catalog fetch', () => {
  it('asks a locational provider once per location, with a client bound to each', async () => {
    const calls: (string | undefined)[] = [];
    const types = await fetchCatalog({
      provider: regionalProvider(calls),
      credential: {},
      cloudCredRefId: 'c',
      logger: silentLogger,
      signal: new AbortController().signal,
    });
    assert.deepEqual([...calls].sort(), ['ap-1', 'eu-1', 'us-1']);
    assert.deepEqual(types.map((t) => t.location).sort(), ['ap-1', 'eu-1', 'us-1']);
  });

  it('fails the whole fetch when two types share an id', async () => {
    await assert.rejects(
      fetchCatalog({
        provider: regionalProvider([], true),
        credential: {},
        cloudCredRefId: 'c',
        logger: silentLogger,
        signal: new AbortController().signal,
      }),
      /instance type id eu-1\/gpu.1x appears twice/,
    );
  });

  it('validates a frozen type once, and any other type on every fetch', async () => {
    const reads = { frozen: 0, plain: 0 };
    // `vcpu` read through a getter counts how often the contract check looks at a type.
    const counted = (counter: keyof typeof reads, location: string) =>
      Object.defineProperty({ ...typeAt(location) }, 'vcpu', {
        enumerable: true,
        get: () => {
          reads[counter]++;
          return 8;
        },
      });
    const frozen = Object.freeze(counted('frozen', 'eu-1'));
    const plain = counted('plain', 'us-1');
    const provider = defineProvider<unknown>({
      ...regionalProvider([]),
      apiType: 'global',
      makeClient: () => ({
        ...regionalProvider([]).makeClient({ credential: {}, cloudCredRefId: 'c' }),
        getInstanceTypes: () => Promise.resolve([frozen, plain]),
      }),
    });
    const fetchOnce = () =>
      fetchCatalog({ provider, credential: {}, cloudCredRefId: 'c', logger: silentLogger });
    const first = await fetchOnce();
    const afterFirst = { ...reads };
    const second = await fetchOnce();
    assert.ok(afterFirst.frozen > 0 && afterFirst.plain > 0, 'both were validated once');
    assert.equal(reads.frozen, afterFirst.frozen, 'the frozen type was not validated again');
    assert.ok(reads.plain > afterFirst.plain, 'the plain type was validated again');
    assert.deepEqual(second, first);
  });

  it('knows an unchanged frozen catalog by identity, and still checks every item that changed', async () => {
    let listed: readonly InstanceType[] = [];
    const fetchOnce = fetcherOf('identity-test', () => listed);
    const types = ['a', 'b', 'c'].map((name) => Object.freeze(typeAt('eu-1', name)));
    listed = types;
    const first = await fetchOnce();
    assert.equal(await fetchOnce(), first, 'the very same frozen items: the very same result');

    const repriced = Object.freeze({ ...typeAt('eu-1', 'b'), vcpu: 16 });
    listed = [types[0], repriced, types[2]].filter((t) => t !== undefined);
    const second = await fetchOnce();
    assert.notEqual(second, first);
    assert.equal(second[0], first[0], 'an item at its place is not validated again');
    const [, before] = first;
    const [, after] = second;
    assert.ok(before && after);
    assert.equal(after.type.vcpu, 16);
    assert.notEqual(after.fingerprint, before.fingerprint);

    listed = [types[0], Object.freeze({ ...typeAt('eu-1', 'b'), vcpu: -1 }), types[2]].filter(
      (t) => t !== undefined,
    );
    await assert.rejects(fetchOnce(), /instance type #1 does not match the contract \(vcpu/);
    listed = [types[0], Object.freeze(typeAt('eu-1', 'a')), types[2]].filter(
      (t) => t !== undefined,
    );
    await assert.rejects(fetchOnce(), /instance type id eu-1\/a appears twice/);

    const unfrozen = ['a', 'b', 'c'].map((name) => typeAt('eu-1', name));
    listed = unfrozen;
    const plain = await fetchOnce();
    assert.notEqual(await fetchOnce(), plain, 'a list of unfrozen types is checked every time');
  });

  it('checks ids only where a long catalog changed, and still finds every id seen twice', async () => {
    let listed: readonly InstanceType[] = [];
    const fetchOnce = fetcherOf('ids-test', () => listed);
    const ids = async () => (await fetchOnce()).map(({ type }) => type.id);
    const frozen = (name: string, vcpu = 8) => Object.freeze({ ...typeAt('eu-1', name), vcpu });
    // Long enough that a few changed items are checked on their own (under a quarter changed).
    const letters = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    const names = [1, 2, 3, 4].flatMap((k) => letters.map((n) => (k === 1 ? n : `${n}${k}`)));
    const base = names.map((name) => frozen(name));
    const at = (changes: Record<number, InstanceType>) => base.map((t, i) => changes[i] ?? t);
    listed = base;
    await fetchOnce();

    // Two changed items trade ids: no id is seen twice.
    listed = at({ 1: frozen('c', 16), 2: frozen('b', 16) });
    const swapped = names.map((n) => `eu-1/${n}`);
    [swapped[1], swapped[2]] = ['eu-1/c', 'eu-1/b'];
    assert.deepEqual(await ids(), swapped);
    // From that list, one changed item takes the id an unchanged one has ...
    listed = at({ 1: frozen('c', 16), 2: frozen('b', 16), 5: frozen('j', 32) });
    await assert.rejects(fetchOnce(), /instance type id eu-1\/j appears twice/);
    // ... or the id another changed item took, where the last list had it elsewhere.
    listed = at({ 1: frozen('c', 16), 2: frozen('b', 16) });
    await fetchOnce();
    listed = at({ 1: frozen('c', 16), 2: frozen('b', 16), 7: frozen('c', 64) });
    await assert.rejects(fetchOnce(), /instance type id eu-1\/c appears twice/);
    // A refused list leaves nothing stale behind: the one refused above had given up f's place
    // (index 5) before it failed, and f is still in the good list.
    listed = at({ 1: frozen('c', 16), 2: frozen('b', 16) });
    await fetchOnce();
    listed = at({ 1: frozen('c', 16), 2: frozen('b', 16), 9: frozen('f', 2) });
    await assert.rejects(fetchOnce(), /instance type id eu-1\/f appears twice/);
    // A shorter list lets go of the ids it no longer has: its last id is free for another item.
    listed = base;
    await fetchOnce();
    const shorter = base.slice(0, -1);
    listed = shorter;
    await fetchOnce();
    listed = shorter.map((t, i) => (i === 3 ? frozen(names.at(-1) ?? '', 8) : t));
    assert.equal((await ids())[3], `eu-1/${names.at(-1)}`);
  });
});
