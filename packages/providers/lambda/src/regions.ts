import type { Location } from '@cloudplane/sdk';
import type { RegionWire } from './wire.js';

/**
 * Lambda has no endpoint that lists regions: the catalog names only the regions that have
 * capacity right now. These are the public regions Lambda has offered; the adapter adds any other
 * region its answers name, so a new region shows up without a release. Used for getLocations()
 * and to give types without capacity stable, unavailable entries (docs/providers/lambda.md).
 */
export const KNOWN_REGIONS: readonly (Pick<Location, 'name' | 'description'> & {
  country: string;
})[] = [
  { name: 'us-east-1', description: 'Virginia, USA', country: 'US' },
  { name: 'us-east-2', description: 'Washington DC, USA', country: 'US' },
  { name: 'us-east-3', description: 'Washington DC, USA', country: 'US' },
  { name: 'us-midwest-1', description: 'Illinois, USA', country: 'US' },
  { name: 'us-south-1', description: 'Texas, USA', country: 'US' },
  { name: 'us-south-2', description: 'North Texas, USA', country: 'US' },
  { name: 'us-south-3', description: 'Central Texas, USA', country: 'US' },
  { name: 'us-west-1', description: 'California, USA', country: 'US' },
  { name: 'us-west-2', description: 'Arizona, USA', country: 'US' },
  { name: 'us-west-3', description: 'Utah, USA', country: 'US' },
  { name: 'europe-central-1', description: 'Germany', country: 'DE' },
  { name: 'asia-south-1', description: 'India', country: 'IN' },
  { name: 'asia-northeast-1', description: 'Tokyo, Japan', country: 'JP' },
  { name: 'asia-northeast-2', description: 'Osaka, Japan', country: 'JP' },
  { name: 'me-west-1', description: 'Israel', country: 'IL' },
];

/**
 * Every region known from the table and from `seen` (regions in Lambda's answers, whose own
 * description wins), sorted by name. All are `available`: Lambda reports capacity per type, not
 * per region, so a region is never closed as a whole from what the API says.
 */
export function knownLocations(seen: Iterable<RegionWire>): Location[] {
  const byName = new Map<string, Location>();
  for (const r of KNOWN_REGIONS) byName.set(r.name, { ...r, available: true });
  for (const r of seen) {
    const known = byName.get(r.name);
    byName.set(r.name, {
      ...known,
      name: r.name,
      description: r.description === '' ? (known?.description ?? r.name) : r.description,
      available: true,
    });
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
