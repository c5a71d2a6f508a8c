import { deepFreeze, samePlainData, type Instance } from '@cloudplane/sdk';
import type { OpenedCredential } from '../credentials/store.js';
import { parseInstance } from './clients.js';

/**
 * Parses each credential's instance lists with the contract's schema, remembering the last list's
 * results: an item that holds exactly the data of the same instance's result last time is that
 * result again, so it is reused, and only new or changed items go through the schema. Most
 * instances are unchanged from one tick to the next, and comparing costs a fraction of
 * validating.
 *
 * The comparison is with our own parsed result, never with the adapter's earlier object (which
 * the adapter may have changed in place since). It holds because the schema's output parses to
 * itself (no transforms: test/instance-sync-cache.test.ts checks it): an item equal to an output
 * parses to that output. Were a transform ever added, items would simply stop comparing equal
 * and be parsed every time. One is, rarely: a status message holding the credential's secret is
 * scrubbed (parseInstance), so such an instance is parsed again on every tick; none should.
 */

export class ListParser {
  private readonly last = new Map<string, Map<string, Instance>>();

  /** Every item parsed (or throws, like parseInstance, at the first that does not parse). */
  parse(opened: OpenedCredential, items: readonly unknown[]): Instance[] {
    const before = this.last.get(opened.id);
    const now = new Map<string, Instance>();
    const parsed = items.map((raw) => {
      const earlier = before?.get(cloudIdOf(raw) ?? '');
      const instance =
        earlier !== undefined && samePlainData(raw, earlier)
          ? earlier
          : // Handed out again on later ticks: nobody may change it in place.
            deepFreeze(parseInstance(opened, raw));
      now.set(instance.cloudId, instance);
      return instance;
    });
    this.last.set(opened.id, now);
    return parsed;
  }

  forget(credentialId: string): void {
    this.last.delete(credentialId);
  }
}

function cloudIdOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id: unknown = Reflect.get(raw, 'cloudId');
  return typeof id === 'string' ? id : undefined;
}
