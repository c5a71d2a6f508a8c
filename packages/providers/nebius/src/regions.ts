import type { Location } from '@cloudplane/sdk';

/**
 * Nebius regions cloudplane knows the country of. A region missing here is still served (the
 * project's region always comes from the API); it only lacks the country.
 */
export const KNOWN_REGIONS: Readonly<Record<string, { country: string; description: string }>> = {
  'eu-north1': { country: 'FI', description: 'Finland' },
  'eu-west1': { country: 'FR', description: 'Paris, France' },
  'us-central1': { country: 'US', description: 'Kansas City, United States' },
};

export function locationOf(region: string): Location {
  const known = KNOWN_REGIONS[region];
  return {
    name: region,
    description: known ? `Nebius ${region} (${known.description})` : `Nebius ${region}`,
    // PlatformService reports no region as closed; capacity shows at launch.
    available: true,
    ...(known ? { country: known.country } : {}),
  };
}
