import type { Logger } from '@cloudplane/sdk';

/**
 * Warnings an adapter logs once per client, however often it polls: a catalog entry it cannot
 * read, a GPU the normalizer doubts, a foreign instance. Keys name what was reported.
 */
export class WarnOnce {
  private readonly reported = new Set<string>();

  constructor(
    private readonly logger: Logger,
    private readonly providerId: string,
  ) {}

  /** Logs unless `key` was reported before; returns whether it logged. */
  warn(key: string, fields: Record<string, unknown>, message: string): boolean {
    if (this.reported.has(key)) return false;
    this.reported.add(key);
    this.logger.warn({ provider: this.providerId, ...fields }, message);
    return true;
  }
}
