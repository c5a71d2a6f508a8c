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
