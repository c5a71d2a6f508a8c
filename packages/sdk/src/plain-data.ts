/**
 * Comparing and sharing plain data (what JSON.parse and a zod schema without transforms make):
 * what lets a poller reuse last time's result for the part of an answer that did not change,
 * instead of validating it again or keeping a second copy of it.
 */

/**
 * Whether two values are equal JSON-like data: primitives equal, arrays equal item by item, plain
 * objects with the same own keys (in any order) and equal values. One object on both sides is not
 * taken as equal to itself (nothing can tell whether it changed), nor is any object with another
 * prototype than a plain object's.
 */
export function samePlainData(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null) return a === b;
  if (typeof b !== 'object' || b === null || a === b) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!samePlainData(a[i], b[i])) return false;
    return true;
  }
  if (Object.getPrototypeOf(a) !== Object.prototype) return false;
  if (Object.getPrototypeOf(b) !== Object.prototype) return false;
  // Own names, enumerable or not: the schema reads every property it knows, enumerable or not.
  const keys = Object.getOwnPropertyNames(a);
  if (keys.length !== Object.getOwnPropertyNames(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key)) return false;
    if (!samePlainData(Reflect.get(a, key), Reflect.get(b, key))) return false;
  }
  return true;
}

/** Whether `value` is an object made as `{}` or by JSON.parse (not an array, nor a class's). */
export function isPlainObject(value: unknown): value is object {
  return (
    typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
  );
}

/**
 * `fresh`, with every part that is equal plain data to the same part of `before` (same key, same
 * array position) replaced by that part of `before`, in place. A fresh answer that is mostly as
 * it was then holds mostly the objects of last time: the new copies die young, and whoever kept
 * last time's objects can recognise the unchanged parts by identity.
 *
 * `fresh` must be the caller's own (a value just parsed); `before`'s parts are shared from now on,
 * so neither may be changed in place afterwards.
 */
export function shareUnchanged<T>(fresh: T, before: unknown): T {
  // Equal plain data to `fresh`, so of its type.
  if (samePlainData(fresh, before)) return before as T;
  if (Array.isArray(fresh) && Array.isArray(before)) {
    const items: unknown[] = fresh;
    const earlier: readonly unknown[] = before;
    for (let i = 0; i < items.length && i < earlier.length; i++) {
      items[i] = shareUnchanged(items[i], earlier[i]);
    }
  } else if (isPlainObject(fresh) && isPlainObject(before)) {
    for (const key of Object.keys(fresh)) {
      if (!Object.hasOwn(before, key)) continue;
      Reflect.set(fresh, key, shareUnchanged(Reflect.get(fresh, key), Reflect.get(before, key)));
    }
  }
  return fresh;
}
