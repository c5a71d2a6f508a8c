import {
  isLegalVariant,
  LocationSchema,
  InstanceTypeSchema,
  variantKey,
  type InstanceType,
} from '@cloudplane/sdk';
import { CheckFailure, CheckSkip, expect, within } from '../outcome.js';
import type { RunState } from '../run-state.js';

function client(state: RunState) {
  if (!state.client) throw new CheckSkip('no client (the credential did not parse)');
  return state.client;
}

export async function locations(state: RunState): Promise<void> {
  const found = await within(client(state).getLocations(), state.timeouts.callMs, 'getLocations()');
  for (const location of found) {
    const parsed = LocationSchema.safeParse(location);
    expect(parsed.success, 'a location does not match LocationSchema', 'LocationSchema', location);
  }
  state.locations = found;
  expect(found.length > 0, 'getLocations() returned no locations', 'at least one', 0);
  const wanted = state.options.location;
  if (state.provider.apiType === 'locational' && wanted !== undefined) {
    expect(
      found.some((l) => l.name === wanted),
      'the location given for this locational run is not one getLocations() lists',
      wanted,
      found.map((l) => l.name),
    );
  }
  expect(
    found.some((l) => l.available),
    'no location is available',
    'at least one with available: true',
    found.map((l) => l.name),
  );
}

async function fetchTypes(state: RunState): Promise<InstanceType[]> {
  state.types ??= await within(
    client(state).getInstanceTypes({ locations: 'all' }),
    state.timeouts.callMs,
    'getInstanceTypes()',
  );
  return state.types;
}

export async function typesValid(state: RunState): Promise<void> {
  const types = await fetchTypes(state);
  expect(types.length > 0, 'the catalog is empty', 'at least one instance type', 0);
  const names = new Set((state.locations ?? []).map((l) => l.name));
  for (const type of types) {
    const parsed = InstanceTypeSchema.safeParse(type);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CheckFailure(
        `instance type ${type.id} does not match InstanceTypeSchema`,
        'InstanceTypeSchema',
        `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`,
      );
    }
    expect(
      names.size === 0 || names.has(type.location),
      `instance type ${type.id} is in an unknown location`,
      [...names],
      type.location,
    );
    expect(
      type.provider === state.provider.id,
      `instance type ${type.id} names provider "${type.provider}"`,
      state.provider.id,
      type.provider,
    );
  }
}

export async function idsUnique(state: RunState): Promise<void> {
  const types = await fetchTypes(state);
  const seen = new Set<string>();
  const duplicates = types
    .filter((t) => (seen.has(t.id) ? true : (seen.add(t.id), false)))
    .map((t) => t.id);
  expect(duplicates.length === 0, 'instance-type ids repeat', 'every id once', duplicates);
}

export async function idsStable(state: RunState): Promise<void> {
  const first = new Set((await fetchTypes(state)).map((t) => t.id));
  const again = await within(
    client(state).getInstanceTypes({ locations: 'all' }),
    state.timeouts.callMs,
    'getInstanceTypes() again',
  );
  const second = new Set(again.map((t) => t.id));
  const gone = [...first].filter((id) => !second.has(id));
  const added = [...second].filter((id) => !first.has(id));
  expect(
    gone.length === 0 && added.length === 0,
    'the second call returned different ids',
    'the same set of ids',
    { gone: gone.slice(0, 5), added: added.slice(0, 5) },
  );
}

export async function nameFilter(state: RunState): Promise<void> {
  const sample = (await fetchTypes(state))[0];
  if (!sample) throw new CheckSkip('the catalog is empty');
  const filtered = await within(
    client(state).getInstanceTypes({ locations: 'all', instanceTypes: [sample.type] }),
    state.timeouts.callMs,
    'getInstanceTypes({ instanceTypes })',
  );
  const expected = (state.types ?? [])
    .filter((t) => t.type === sample.type)
    .map((t) => `${t.location}/${t.type}`)
    .sort();
  const actual = filtered.map((t) => `${t.location}/${t.type}`).sort();
  expect(
    JSON.stringify(expected) === JSON.stringify(actual),
    `filtering by "${sample.type}" did not return exactly that type`,
    expected,
    actual,
  );
}

export async function locationSubset(state: RunState): Promise<void> {
  const all = await fetchTypes(state);
  const location = all[0]?.location;
  if (location === undefined) throw new CheckSkip('the catalog is empty');
  const one = await within(
    client(state).getInstanceTypes({ locations: [location] }),
    state.timeouts.callMs,
    'getInstanceTypes({ locations: [one] })',
  );
  const allIds = new Set(all.map((t) => t.id));
  const outside = one.filter((t) => t.location !== location).map((t) => t.id);
  const unknown = one.filter((t) => !allIds.has(t.id)).map((t) => t.id);
  expect(outside.length === 0, `types outside ${location} came back`, `only ${location}`, outside);
  expect(
    unknown.length === 0,
    'the single-location result has ids the full catalog does not',
    'a subset of all ids',
    unknown.slice(0, 5),
  );
  expect(one.length > 0, `no types for ${location}, though the full catalog has some`, '> 0', 0);
}

export async function stableIdsExist(state: RunState): Promise<void> {
  const wanted = state.options.stableInstanceTypeIds ?? [];
  if (wanted.length === 0) throw new CheckSkip('no stable ids given (stableInstanceTypeIds)');
  const ids = new Set((await fetchTypes(state)).map((t) => t.id));
  const missing = wanted.filter((id) => !ids.has(id));
  expect(missing.length === 0, 'promised instance-type ids are missing', wanted, { missing });
}

export async function gpusLegal(state: RunState): Promise<void> {
  const bad = (await fetchTypes(state)).flatMap((t) =>
    t.gpus
      .filter((g) => !isLegalVariant(g.gpu) || g.gpu.name === null)
      .map((g) => `${t.id}: "${g.raw}" → ${variantKey(g.gpu)}`),
  );
  expect(
    bad.length === 0,
    'GPU records that are unknown or not in the GPU table',
    'records from normalizeGpu() naming table variants',
    bad.slice(0, 5),
  );
}

export async function storagePrices(state: RunState): Promise<void> {
  const bad = (await fetchTypes(state))
    .filter((t) => t.storage.some((s) => s.elastic && s.pricePerGiBHour === undefined))
    .map((t) => t.id);
  expect(
    bad.length === 0,
    'elastic storage without a price',
    'pricePerGiBHour on elastic storage',
    bad.slice(0, 5),
  );
}

export async function capabilityFlags(state: RunState): Promise<void> {
  const caps = state.provider.capabilities();
  const types = await fetchTypes(state);
  const badStop = caps.includes('stopStart')
    ? []
    : types.filter((t) => t.stoppable).map((t) => t.id);
  const badReboot = caps.includes('reboot')
    ? []
    : types.filter((t) => t.rebootable).map((t) => t.id);
  expect(
    badStop.length === 0,
    'types say stoppable but the provider does not declare stopStart',
    [],
    badStop.slice(0, 5),
  );
  expect(
    badReboot.length === 0,
    'types say rebootable but the provider does not declare reboot',
    [],
    badReboot.slice(0, 5),
  );
}
