/**
 * The newest `count` entries of the change feed. The feed only reads forward (`after`, oldest
 * first), so this finds its end with O(log n) one-row probes: doubling, then bisecting, on
 * "is there a change after N?". Then it reads the last page.
 */
export async function feedTail<T extends { id: number }>(
  read: (after: number, limit: number) => Promise<{ changes: T[]; last: number }>,
  count: number,
): Promise<T[]> {
  const hasAfter = async (n: number) => (await read(n, 1)).changes.length > 0;
  if (!(await hasAfter(0))) return [];
  let low = 0; // a change exists after `low`
  let high = 1;
  while (await hasAfter(high)) {
    low = high;
    high *= 2;
  }
  // now: a change after `low`, none after `high`
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (await hasAfter(mid)) low = mid;
    else high = mid;
  }
  const page = await read(Math.max(0, high - count), count);
  return page.changes.slice(-count).reverse();
}
