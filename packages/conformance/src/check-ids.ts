/**
 * Every check the suite runs: a stable id (reports and tests refer to it), its group, what it
 * proves, and the contract rule a failure breaks (docs/contract.md anchors).
 */
export interface CheckInfo {
  readonly id: string;
  readonly group: CheckGroup;
  readonly title: string;
  /** Shown on failure: the rule broken and where it is explained. */
  readonly rule: string;
}

export const CHECK_GROUPS = ['contract', 'catalog', 'lifecycle', 'firewall'] as const;
export type CheckGroup = (typeof CHECK_GROUPS)[number];

const c = (id: string, group: CheckGroup, title: string, rule: string): CheckInfo => ({
  id,
  group,
  title,
  rule,
});

export const CHECKS = [
  c(
    'contract.provider-shape',
    'contract',
    'provider definition is sane and parses the credential',
    'Provider: id, pollIntervals, maxCreatesPerMinute from defineProvider(); credentialSchema parses the credential (docs/contract.md#the-provider-factory)',
  ),
  c(
    'contract.capabilities',
    'contract',
    'declared capabilities and implemented groups agree both ways',
    'a group is present on the client exactly when capabilities() declares it (docs/contract.md#capabilities-and-optional-groups)',
  ),
  c(
    'catalog.locations',
    'catalog',
    'locations are valid, non-empty, at least one available',
    'getLocations() returns every location with LocationSchema shape (docs/contract.md#the-client-required-methods)',
  ),
  c(
    'catalog.types-valid',
    'catalog',
    'every instance type parses, is priced, and is in a known location',
    'InstanceTypeSchema; location must be one of getLocations() (docs/contract.md#the-client-required-methods)',
  ),
  c(
    'catalog.ids-unique',
    'catalog',
    'instance-type ids are unique',
    'one id per offer from instanceTypeId() (docs/contract.md#identity)',
  ),
  c(
    'catalog.ids-stable',
    'catalog',
    'two calls return the same set of ids',
    'ids must not change between calls; use instanceTypeId() (docs/contract.md#identity)',
  ),
  c(
    'catalog.name-filter',
    'catalog',
    'filtering by a type name returns exactly that type',
    'GetInstanceTypesArgs.instanceTypes filters by InstanceType.type (docs/contract.md#filters)',
  ),
  c(
    'catalog.location-subset',
    'catalog',
    'a single-location result is a subset of all locations',
    'GetInstanceTypesArgs.locations filters by InstanceType.location (docs/contract.md#filters)',
  ),
  c(
    'catalog.stable-ids-exist',
    'catalog',
    'the given stable instance-type ids exist',
    'ids promised to users must stay in the catalog (docs/contract.md#identity)',
  ),
  c(
    'catalog.gpus-legal',
    'catalog',
    'GPU records are legal variants of the GPU catalog',
    'InstanceType.gpus[].gpu comes from normalizeGpu() and fits the model table (docs/gpu-normalization.md)',
  ),
  c(
    'catalog.storage-prices',
    'catalog',
    'elastic storage has a price',
    'Storage.pricePerGiBHour is required when elastic (docs/contract.md#units-and-money)',
  ),
  c(
    'catalog.capability-flags',
    'catalog',
    'stoppable/rebootable flags agree with capabilities',
    'a type is stoppable only with stopStart, rebootable only with reboot (docs/contract.md#capabilities-and-optional-groups)',
  ),
  c(
    'lifecycle.create',
    'lifecycle',
    'create returns the instance with its type, location and correlation',
    'Instance.instanceTypeId equals the catalog id; refId and cloudCredRefId echoed (docs/contract.md#identity, #correlation)',
  ),
  c(
    'lifecycle.get',
    'lifecycle',
    'get returns the same instance and correlation',
    'getInstance() returns refId, cloudCredRefId, instanceTypeId as created (docs/contract.md#correlation)',
  ),
  c(
    'lifecycle.list-by-id',
    'lifecycle',
    'list by id returns exactly the instance',
    'ListInstancesArgs.instanceIds (docs/contract.md#filters)',
  ),
  c(
    'lifecycle.list-by-tag',
    'lifecycle',
    'list by tag returns the instance',
    'ListInstancesArgs.tagFilters (docs/contract.md#filters)',
  ),
  c(
    'lifecycle.list-by-location',
    'lifecycle',
    'list by location returns the instance',
    'ListInstancesArgs.locations (docs/contract.md#filters)',
  ),
  c(
    'lifecycle.second-client',
    'lifecycle',
    "another client of the credential sees the creator's correlation",
    'cloudCredRefId is stored with the instance, not taken from the calling client (docs/contract.md#correlation)',
  ),
  c(
    'lifecycle.list-complete',
    'lifecycle',
    'a failing page fails the whole list',
    'lists are complete or an error (docs/contract.md#lists)',
  ),
  c(
    'lifecycle.running',
    'lifecycle',
    'the instance reaches running',
    'status mapping to LIFECYCLE_STATES (docs/contract.md#status-mapping)',
  ),
  c(
    'lifecycle.ssh',
    'lifecycle',
    'SSH with the launch key works as the reported user and port',
    'attrs.publicKey installed for Instance.sshUser on Instance.sshPort (docs/contract.md#ssh-keys)',
  ),
  c(
    'firewall.allowed-port-open',
    'firewall',
    'a port the rules allow is reachable',
    'firewallRules applied at create (docs/firewall.md)',
  ),
  c(
    'firewall.other-port-closed',
    'firewall',
    'a port the rules do not allow is blocked',
    'inbound denied except SSH and the rules (docs/firewall.md)',
  ),
  c(
    'firewall.docker-published-port',
    'firewall',
    'a Docker-published port outside the rules is blocked',
    'the DOCKER-USER chain covers published ports (docs/firewall.md)',
  ),
  c(
    'lifecycle.stop-start',
    'lifecycle',
    'stop then start returns to running',
    'stopStart group (docs/contract.md#capabilities-and-optional-groups)',
  ),
  c(
    'lifecycle.reboot',
    'lifecycle',
    'reboot returns to running',
    'reboot group (docs/contract.md#capabilities-and-optional-groups)',
  ),
  c(
    'lifecycle.capacity-error',
    'lifecycle',
    'out of capacity surfaces as INSUFFICIENT_CAPACITY',
    'capacity failures use the INSUFFICIENT_CAPACITY code (docs/contract.md#errors)',
  ),
  c(
    'lifecycle.terminate',
    'lifecycle',
    'terminate succeeds, twice, and the instance ends terminated or absent',
    'terminateInstance() is idempotent (docs/contract.md#the-client-required-methods)',
  ),
  c(
    'lifecycle.unknown-id',
    'lifecycle',
    'get of an unknown id is INSTANCE_NOT_FOUND',
    'getInstance() errors with INSTANCE_NOT_FOUND (docs/contract.md#errors)',
  ),
] as const satisfies readonly CheckInfo[];

export type CheckId = (typeof CHECKS)[number]['id'];
export const CHECK_IDS: readonly CheckId[] = CHECKS.map((check) => check.id);

export function checkInfo(id: CheckId): CheckInfo {
  const info = CHECKS.find((check) => check.id === id);
  if (!info) throw new Error(`unknown check ${id}`);
  return info;
}
