/**
 * Defaults that the CLI shows in its help. This module imports nothing, so a command can read
 * them without loading the control plane.
 */

/**
 * First attempts one node sends at once itself, by default. Past this, launches wait for a
 * create worker; the provider's own rate (maxCreatesPerMinute) bounds both.
 */
export const DEFAULT_DIRECT_LAUNCHES = 256;
