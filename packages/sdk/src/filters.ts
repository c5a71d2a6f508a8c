import type { InstanceType } from './types/instance-type.js';
import type { Instance } from './types/instance.js';
import type { GetInstanceTypesArgs, ListInstancesArgs, LocationsFilter } from './types/requests.js';

/**
 * The one implementation of the filter semantics documented in types/requests.ts: omitted means
 * no constraint, an empty array matches nothing, values in one field are ORed, fields are ANDed.
 * Adapters whose API cannot filter server-side apply these after fetching.
 */

export function matchesList<T>(accepted: readonly T[] | undefined, value: T): boolean {
  return accepted === undefined || accepted.includes(value);
}

export function matchesLocations(filter: LocationsFilter | undefined, location: string): boolean {
  return filter === undefined || filter === 'all' || filter.includes(location);
}

/** True when a filter can match nothing, so the cloud need not be asked at all. */
export function isEmptyFilter(args: GetInstanceTypesArgs | ListInstancesArgs): boolean {
  for (const value of Object.values(args)) {
    if (Array.isArray(value) && value.length === 0) return true;
  }
  if ('tagFilters' in args && args.tagFilters) {
    return Object.values(args.tagFilters).some((values) => values.length === 0);
  }
  return false;
}

export function matchesInstanceTypeArgs(t: InstanceType, args: GetInstanceTypesArgs): boolean {
  return (
    matchesLocations(args.locations, t.location) &&
    matchesList(args.instanceTypes, t.type) &&
    matchesList(args.architectures, t.architecture) &&
    matchesList(args.clouds, t.cloud) &&
    (args.gpuManufacturers === undefined ||
      t.gpus.some(
        (g) => g.gpu.manufacturer !== null && args.gpuManufacturers?.includes(g.gpu.manufacturer),
      ))
  );
}

export function matchesListInstancesArgs(i: Instance, args: ListInstancesArgs): boolean {
  if (!matchesList(args.instanceIds, i.cloudId)) return false;
  if (!matchesLocations(args.locations, i.location)) return false;
  for (const [key, values] of Object.entries(args.tagFilters ?? {})) {
    const tag = i.tags[key];
    if (tag === undefined || !values.includes(tag)) return false;
  }
  return true;
}

export function filterInstanceTypes(
  types: readonly InstanceType[],
  args: GetInstanceTypesArgs = {},
): InstanceType[] {
  return types.filter((t) => matchesInstanceTypeArgs(t, args));
}

export function filterInstances(
  instances: readonly Instance[],
  args: ListInstancesArgs = {},
): Instance[] {
  return instances.filter((i) => matchesListInstancesArgs(i, args));
}
