import type { LifecycleState, InstanceStatus } from './types/instance.js';
import type { Logger } from './logger.js';

/**
 * Status mapping with a table that must name every native value. Declare the cloud's status
 * enum as a const tuple (copied from its API spec) and give a table typed `Record<Native, ...>`:
 * the compiler rejects a table that misses a value, and `natives` lets a test walk all of them.
 * Values the spec did not list map to `fallback`, and are logged once per value, so a new status
 * shows up in logs instead of silently becoming something else.
 */
export interface StatusMap<N extends string> {
  readonly natives: readonly N[];
  readonly fallback: LifecycleState;
  map(native: string, context?: { message?: string | undefined; logger?: Logger }): InstanceStatus;
  isKnown(native: string): native is N;
}

export function defineStatusMap<const N extends string>(
  table: Readonly<Record<N, LifecycleState>>,
  options: { fallback: LifecycleState; provider: string },
): StatusMap<N> {
  const natives = Object.keys(table) as N[];
  const reported = new Set<string>();
  const isKnown = (native: string): native is N => Object.hasOwn(table, native);
  return {
    natives,
    fallback: options.fallback,
    isKnown,
    map(native, context = {}) {
      let lifecycle: LifecycleState;
      if (isKnown(native)) {
        lifecycle = table[native];
      } else {
        lifecycle = options.fallback;
        if (!reported.has(native)) {
          reported.add(native);
          context.logger?.warn(
            { provider: options.provider, native, mappedTo: lifecycle },
            'unmapped native instance status; using the fallback state',
          );
        }
      }
      const { message } = context;
      return message === undefined ? { lifecycle, native } : { lifecycle, native, message };
    },
  };
}

/**
 * The natives a status table misses, and the keys it has that are not natives. The compiler
 * checks a `satisfies Record<Native, LifecycleState>` table against a const tuple; this is for a
 * list it cannot see, such as an enum read from a generated spec module, so a test notices when a
 * regenerated spec adds or drops a status. Both lists are empty for an exact table.
 */
export function statusTableGaps(
  natives: readonly string[],
  table: Readonly<Record<string, LifecycleState>>,
): { missing: string[]; extra: string[] } {
  const listed = new Set(natives);
  return {
    missing: [...listed].filter((native) => !Object.hasOwn(table, native)),
    extra: Object.keys(table).filter((key) => !listed.has(key)),
  };
}
