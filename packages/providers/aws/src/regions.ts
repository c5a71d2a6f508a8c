import { CloudError, type Location } from '@cloudplane/sdk';
import type { AwsCredential } from './credential.js';

/**
 * What EC2's DescribeRegions does not say: a readable name and the country of each commercial
 * region. A region missing here is still offered, described by its name alone.
 */
const KNOWN: Readonly<Record<string, { description: string; country: string }>> = {
  'us-east-1': { description: 'US East (N. Virginia)', country: 'US' },
  'us-east-2': { description: 'US East (Ohio)', country: 'US' },
  'us-west-1': { description: 'US West (N. California)', country: 'US' },
  'us-west-2': { description: 'US West (Oregon)', country: 'US' },
  'ca-central-1': { description: 'Canada (Central)', country: 'CA' },
  'sa-east-1': { description: 'South America (São Paulo)', country: 'BR' },
  'eu-west-1': { description: 'Europe (Ireland)', country: 'IE' },
  'eu-west-2': { description: 'Europe (London)', country: 'GB' },
  'eu-west-3': { description: 'Europe (Paris)', country: 'FR' },
  'eu-central-1': { description: 'Europe (Frankfurt)', country: 'DE' },
  'eu-central-2': { description: 'Europe (Zurich)', country: 'CH' },
  'eu-north-1': { description: 'Europe (Stockholm)', country: 'SE' },
  'eu-south-1': { description: 'Europe (Milan)', country: 'IT' },
  'eu-south-2': { description: 'Europe (Spain)', country: 'ES' },
  'ap-northeast-1': { description: 'Asia Pacific (Tokyo)', country: 'JP' },
  'ap-northeast-2': { description: 'Asia Pacific (Seoul)', country: 'KR' },
  'ap-northeast-3': { description: 'Asia Pacific (Osaka)', country: 'JP' },
  'ap-southeast-1': { description: 'Asia Pacific (Singapore)', country: 'SG' },
  'ap-southeast-2': { description: 'Asia Pacific (Sydney)', country: 'AU' },
  'ap-south-1': { description: 'Asia Pacific (Mumbai)', country: 'IN' },
  'ap-east-1': { description: 'Asia Pacific (Hong Kong)', country: 'HK' },
  'me-central-1': { description: 'Middle East (UAE)', country: 'AE' },
  'me-south-1': { description: 'Middle East (Bahrain)', country: 'BH' },
  'il-central-1': { description: 'Israel (Tel Aviv)', country: 'IL' },
  'af-south-1': { description: 'Africa (Cape Town)', country: 'ZA' },
};

/** EC2's word for a region the account has not enabled. */
export const NOT_OPTED_IN = 'not-opted-in';

/**
 * One location per region of the credential. `optIn` is what DescribeRegions said of each
 * region it knows; a region it does not list (a typo, or not visible to this account) is
 * reported, unavailable, rather than dropped.
 */
export function locationsOf(
  regions: readonly string[],
  optIn: ReadonlyMap<string, string | undefined>,
): Location[] {
  return regions.map((name) => {
    const known = KNOWN[name];
    const listed = optIn.has(name);
    const enabled = listed && optIn.get(name) !== NOT_OPTED_IN;
    const description = known?.description ?? name;
    return {
      name,
      description: listed
        ? enabled
          ? description
          : `${description}: not enabled for this AWS account`
        : `${description}: not an EC2 region this account can see`,
      available: enabled,
      ...(known ? { country: known.country } : {}),
    };
  });
}

/**
 * The region a client serves: its location, or without one the credential's first region.
 * INVALID_ARGUMENT for a region the credential does not list.
 */
export function clientRegion(credential: AwsCredential, location: string | undefined): string {
  const region = location ?? credential.regions[0];
  if (region === undefined || !credential.regions.includes(region)) {
    throw new CloudError('INVALID_ARGUMENT', {
      message: `region ${region ?? '(none)'} is not one of the credential's regions (${credential.regions.join(', ')})`,
    });
  }
  return region;
}
