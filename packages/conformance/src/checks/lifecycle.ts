import {
  compareMoney,
  generateSshKeyPair,
  isCloudError,
  waitForStatus,
  type CloudClient,
  type Instance,
  type InstanceType,
  type LifecycleState,
} from '@cloudplane/sdk';
import { makeSuiteClient } from '../clients.js';
import { CheckFailure, CheckSkip, expect, show, within } from '../outcome.js';
import type { RunState } from '../run-state.js';

export const CONFORMANCE_TAG = 'cloudplane-conformance';

function client(state: RunState): CloudClient {
  if (!state.client) throw new CheckSkip('no client (the credential did not parse)');
  return state.client;
}

function created(state: RunState): Instance {
  if (!state.created) throw new CheckSkip('no instance: lifecycle.create did not succeed');
  return state.created;
}

/** The given type, or the cheapest available one whose id is unique in the catalog. */
async function chooseType(state: RunState): Promise<InstanceType> {
  state.types ??= await within(
    client(state).getInstanceTypes({ locations: 'all' }),
    state.timeouts.callMs,
    'getInstanceTypes()',
  );
  const counts = new Map<string, number>();
  for (const t of state.types) counts.set(t.id, (counts.get(t.id) ?? 0) + 1);
  const { instanceType, location } = state.options;
  const candidates = state.types
    .filter((t) => t.available && counts.get(t.id) === 1)
    .filter(
      (t) =>
        (instanceType === undefined || t.type === instanceType) &&
        (location === undefined || t.location === location),
    )
    .sort((a, b) => compareMoney(a.price, b.price));
  const chosen = candidates[0];
  if (!chosen) {
    throw new CheckFailure(
      'no available instance type to launch',
      `an available type${instanceType ? ` named ${instanceType}` : ''}${location ? ` in ${location}` : ''}`,
      'none',
    );
  }
  return chosen;
}

export async function create(state: RunState): Promise<void> {
  const type = await chooseType(state);
  state.chosen = type;
  state.facts.instanceType = `${type.type} in ${type.location} (${type.id})`;
  state.keys = generateSshKeyPair(`conformance-${state.runId}`);
  state.refId = `conf-${state.runId}`;
  const firewallWanted =
    state.provider.firewallAtCreate !== 'unsupported' &&
    (state.options.select ?? ['firewall']).includes('firewall');
  const startedAt = Date.now();
  const instance = await within(
    client(state).createInstance({
      refId: state.refId,
      name: `conformance ${state.runId}`,
      publicKey: state.keys.publicKey,
      location: type.location,
      ...(type.subLocation !== undefined ? { subLocation: type.subLocation } : {}),
      instanceType: type.type,
      tags: { [CONFORMANCE_TAG]: state.runId },
      ...(firewallWanted
        ? {
            firewallRules: {
              ingress: [
                {
                  protocol: 'tcp',
                  fromPort: state.allowedPort,
                  toPort: state.allowedPort,
                  cidrs: ['0.0.0.0/0'],
                },
              ],
              egress: [],
            },
          }
        : {}),
    }),
    state.timeouts.callMs,
    'createInstance()',
  );
  state.cleanup.register(instance.cloudId);
  state.created = instance;
  state.facts.cloudId = instance.cloudId;
  expect(
    instance.instanceTypeId === type.id,
    'Instance.instanceTypeId differs from the catalog id of the type launched',
    type.id,
    instance.instanceTypeId,
  );
  expect(instance.refId === state.refId, 'refId was not echoed', state.refId, instance.refId);
  expect(
    instance.cloudCredRefId === client(state).cloudCredRefId,
    'cloudCredRefId was not echoed',
    client(state).cloudCredRefId,
    instance.cloudCredRefId,
  );
  expect(
    instance.location === type.location,
    'the instance is in another location',
    type.location,
    instance.location,
  );
  expect(
    instance.instanceType === type.type,
    'the instance has another type',
    type.type,
    instance.instanceType,
  );
  const createdAt = Date.parse(instance.createdAt);
  const skewMs = 5 * 60_000;
  expect(
    createdAt >= startedAt - 24 * 3_600_000 && createdAt <= Date.now() + skewMs,
    'createdAt is not a plausible time',
    `near ${new Date(startedAt).toISOString()}`,
    instance.createdAt,
  );
}

function sameCorrelation(expected: Instance, actual: Instance | undefined, via: string): void {
  expect(actual !== undefined, `${via} did not return the instance`, expected.cloudId, 'missing');
  const pick = (i: Instance) => ({
    cloudId: i.cloudId,
    refId: i.refId,
    cloudCredRefId: i.cloudCredRefId,
    instanceTypeId: i.instanceTypeId,
  });
  expect(
    show(pick(expected)) === show(pick(actual)),
    `${via} returned different correlation data`,
    pick(expected),
    pick(actual),
  );
}

export async function get(state: RunState): Promise<void> {
  const instance = created(state);
  sameCorrelation(
    instance,
    await within(
      client(state).getInstance(instance.cloudId),
      state.timeouts.callMs,
      'getInstance()',
    ),
    'getInstance()',
  );
}

export async function listById(state: RunState): Promise<void> {
  const instance = created(state);
  const found = await within(
    client(state).listInstances({ instanceIds: [instance.cloudId] }),
    state.timeouts.callMs,
    'listInstances({ instanceIds })',
  );
  expect(
    found.length === 1,
    'listing by id did not return exactly the instance',
    [instance.cloudId],
    found.map((i) => i.cloudId),
  );
  sameCorrelation(instance, found[0], 'listInstances({ instanceIds })');
}

export async function listByTag(state: RunState): Promise<void> {
  if (!state.provider.capabilities().includes('tags'))
    throw new CheckSkip('the provider does not declare tags');
  const instance = created(state);
  const found = await within(
    client(state).listInstances({ tagFilters: { [CONFORMANCE_TAG]: [state.runId] } }),
    state.timeouts.callMs,
    'listInstances({ tagFilters })',
  );
  sameCorrelation(
    instance,
    found.find((i) => i.cloudId === instance.cloudId),
    'listInstances({ tagFilters })',
  );
  expect(
    found.length === 1,
    "listing by this run's tag returned other instances too",
    1,
    found.map((i) => i.cloudId),
  );
}

export async function listByLocation(state: RunState): Promise<void> {
  const instance = created(state);
  const found = await within(
    client(state).listInstances({ locations: [instance.location] }),
    state.timeouts.callMs,
    'listInstances({ locations })',
  );
  sameCorrelation(
    instance,
    found.find((i) => i.cloudId === instance.cloudId),
    'listInstances({ locations })',
  );
  const elsewhere = found.filter((i) => i.location !== instance.location).map((i) => i.cloudId);
  expect(
    elsewhere.length === 0,
    'listing by location returned instances in other locations',
    instance.location,
    elsewhere,
  );
}

/** A second client with another cloudCredRefId must still report the creator's. */
export async function secondClient(state: RunState): Promise<void> {
  const instance = created(state);
  const other = makeSuiteClient({
    provider: state.provider,
    credential: state.credential,
    cloudCredRefId: `${client(state).cloudCredRefId}-second`,
    logger: state.options.logger,
    location: instance.location,
  });
  sameCorrelation(
    instance,
    await within(
      other.getInstance(instance.cloudId),
      state.timeouts.callMs,
      'second client getInstance()',
    ),
    "a second client's getInstance()",
  );
  const listed = await within(
    other.listInstances({ instanceIds: [instance.cloudId] }),
    state.timeouts.callMs,
    'second client listInstances()',
  );
  sameCorrelation(instance, listed[0], "a second client's listInstances()");
}

/** Runs a probe; its own failure is the target's, not the adapter's, and says so. */
async function runProbe(
  provoke: () => Promise<() => Promise<void>>,
  name: string,
): Promise<() => Promise<void>> {
  try {
    return await provoke();
  } catch (err) {
    throw new CheckFailure(
      `the ${name} probe failed, so the check could not run: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

export async function listComplete(state: RunState): Promise<void> {
  created(state);
  const provoke = state.options.probes?.failListPage;
  if (!provoke)
    throw new CheckSkip('the target offers no way to fail a list page (probes.failListPage)');
  const restore = await runProbe(provoke, 'failListPage');
  let outcome: unknown;
  try {
    outcome = await within(
      client(state).listInstances(),
      state.timeouts.callMs,
      'listInstances() with a failing page',
    );
  } catch (err) {
    outcome = err;
  } finally {
    await restore();
  }
  expect(
    outcome instanceof Error,
    'a failing page did not fail the list: it returned a partial result',
    'an error',
    Array.isArray(outcome) ? `${outcome.length} instances` : outcome,
  );
}

async function waitFor(
  state: RunState,
  target: LifecycleState,
  timeoutMs: number,
): Promise<Instance> {
  const instance = created(state);
  const reached = await waitForStatus(() => client(state).getInstance(instance.cloudId), target, {
    timeoutMs,
    intervalMs: state.timeouts.pollMs,
    ...(state.options.signal ? { signal: state.options.signal } : {}),
  });
  if (!reached) throw new CheckFailure(`the instance disappeared while waiting for ${target}`);
  return reached;
}

export async function running(state: RunState): Promise<void> {
  const instance = await waitFor(state, 'running', state.timeouts.runningMs);
  state.created = { ...created(state), ...pickAddresses(instance) };
}

function pickAddresses(i: Instance) {
  return {
    publicIp: i.publicIp,
    privateIp: i.privateIp,
    sshUser: i.sshUser,
    sshPort: i.sshPort,
    status: i.status,
  };
}

export function addressOf(state: RunState): string {
  const instance = created(state);
  const address = instance.publicIp ?? instance.privateIp;
  if (address === null)
    throw new CheckSkip(
      'the instance has no address (publicIp and privateIp are null): no machine to reach',
    );
  return address;
}

export async function stopStart(state: RunState): Promise<void> {
  if (!state.provider.capabilities().includes('stopStart'))
    throw new CheckSkip('the provider does not declare stopStart');
  const ops = client(state).stopStart;
  if (!ops)
    throw new CheckSkip('stopStart declared but not implemented (see contract.capabilities)');
  if (state.chosen?.stoppable === false)
    throw new CheckSkip(`${state.chosen.type} is not stoppable`);
  const id = created(state).cloudId;
  await within(ops.stopInstance(id), state.timeouts.callMs, 'stopInstance()');
  await waitFor(state, 'stopped', state.timeouts.transitionMs);
  await within(ops.startInstance(id), state.timeouts.callMs, 'startInstance()');
  const back = await waitFor(state, 'running', state.timeouts.transitionMs);
  state.created = { ...created(state), ...pickAddresses(back) };
}

export async function reboot(state: RunState): Promise<void> {
  if (!state.provider.capabilities().includes('reboot'))
    throw new CheckSkip('the provider does not declare reboot');
  const ops = client(state).reboot;
  if (!ops) throw new CheckSkip('reboot declared but not implemented (see contract.capabilities)');
  await within(
    ops.rebootInstance(created(state).cloudId),
    state.timeouts.callMs,
    'rebootInstance()',
  );
  const back = await waitFor(state, 'running', state.timeouts.transitionMs);
  state.created = { ...created(state), ...pickAddresses(back) };
}

export async function capacityError(state: RunState): Promise<void> {
  const provoke = state.options.probes?.provokeCapacityError;
  if (!provoke)
    throw new CheckSkip(
      'the target offers no way to run out of capacity (probes.provokeCapacityError)',
    );
  const type = state.chosen;
  const keys = state.keys;
  if (!type || !keys) throw new CheckSkip('no instance type chosen: lifecycle.create did not run');
  const restore = await runProbe(provoke, 'provokeCapacityError');
  let outcome: unknown;
  try {
    const refId = `conf-${state.runId}-cap`;
    const instance = await within(
      client(state).createInstance({
        refId,
        publicKey: keys.publicKey,
        location: type.location,
        ...(type.subLocation !== undefined ? { subLocation: type.subLocation } : {}),
        instanceType: type.type,
      }),
      state.timeouts.callMs,
      'createInstance() without capacity',
    );
    state.cleanup.register(instance.cloudId);
    outcome = instance;
  } catch (err) {
    outcome = err;
  } finally {
    await restore();
  }
  expect(
    isCloudError(outcome, 'INSUFFICIENT_CAPACITY'),
    'out of capacity did not surface as INSUFFICIENT_CAPACITY',
    'CloudError INSUFFICIENT_CAPACITY',
    describe(outcome),
  );
}

function describe(outcome: unknown): string {
  if (isCloudError(outcome)) return `CloudError ${outcome.code}: ${outcome.message}`;
  if (outcome instanceof Error) return `${outcome.name}: ${outcome.message}`;
  return `no error (${show(outcome) ?? 'undefined'})`;
}

const GONE: readonly LifecycleState[] = ['terminated'];

export async function terminate(state: RunState): Promise<void> {
  const id = created(state).cloudId;
  await within(client(state).terminateInstance(id), state.timeouts.callMs, 'terminateInstance()');
  const last = await waitForStatus(() => client(state).getInstance(id), GONE, {
    timeoutMs: state.timeouts.transitionMs,
    intervalMs: state.timeouts.pollMs,
    notFoundIsTerminated: true,
  });
  expect(
    last === undefined || last.status.lifecycle === 'terminated',
    'the instance did not end terminated',
    'terminated or absent',
    last?.status,
  );
  // Terminating what is already terminated must succeed (or say it is gone): retries and the
  // instance syncer's reconcile both do it.
  let second: unknown;
  try {
    await within(
      client(state).terminateInstance(id),
      state.timeouts.callMs,
      'second terminateInstance()',
    );
  } catch (err) {
    second = err;
  }
  expect(
    second === undefined || isCloudError(second, 'INSTANCE_NOT_FOUND'),
    'terminating an already-terminated instance failed',
    'success or INSTANCE_NOT_FOUND',
    describe(second),
  );
  const live = await within(
    client(state).listInstances({ instanceIds: [id] }),
    state.timeouts.callMs,
    'listInstances() after terminate',
  );
  const stillLive = live.filter((i) => i.status.lifecycle !== 'terminated');
  expect(
    stillLive.length === 0,
    'the list still shows the instance as live',
    'terminated or absent',
    stillLive.map((i) => i.status),
  );
}

export async function unknownId(state: RunState): Promise<void> {
  let outcome: unknown;
  try {
    outcome = await within(
      client(state).getInstance(`cp-conformance-missing-${state.runId}`),
      state.timeouts.callMs,
      'getInstance(unknown)',
    );
  } catch (err) {
    outcome = err;
  }
  expect(
    isCloudError(outcome, 'INSTANCE_NOT_FOUND'),
    'an unknown id did not give INSTANCE_NOT_FOUND',
    'CloudError INSTANCE_NOT_FOUND',
    describe(outcome),
  );
}
