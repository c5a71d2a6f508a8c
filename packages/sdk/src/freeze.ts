/**
 * Freezes a value and everything it holds. The control plane validates a frozen instance type
 * once and reuses the result while the adapter hands back that same object (a frozen object is
 * the adapter's promise that it never changes), and keeps frozen results it hands out again.
 * Cycles are safe: a value is frozen before what it holds.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
