import type { Location } from '@cloudplane/sdk';
import type { AvailabilityWire } from './wire.js';

/**
 * Shadeform has no region list of its own: each instance type names the regions it is sold in,
 * with a display name and whether it can launch there now. A location is every region any type
 * names; it is `available` when at least one type can launch there now. Region names are the
 * upstream clouds' own, so two clouds may share one (both are then served under that name).
 */
export function locationsOf(availability: Iterable<AvailabilityWire>): Location[] {
  const byName = new Map<string, Location>();
  for (const a of availability) {
    const known = byName.get(a.region);
    byName.set(a.region, {
      name: a.region,
      description: known?.description || a.display_name || a.region,
      available: (known?.available ?? false) || a.available,
    });
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
