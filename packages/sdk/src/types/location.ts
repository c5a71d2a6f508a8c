import { z } from 'zod';

export const LocationSchema = z.object({
  /** The provider's region identifier, as passed back in CreateInstanceAttrs.location. */
  name: z.string().min(1),
  description: z.string(),
  /** False when the region exists but cannot take launches now (maintenance, closed to new). */
  available: z.boolean(),
  /** ISO 3166-1 alpha-2 country code, when known. */
  country: z.string().length(2).optional(),
  /** Zones / sub-locations inside the region, when the cloud has them. */
  subLocations: z.array(z.string()).optional(),
});
export type Location = z.infer<typeof LocationSchema>;
