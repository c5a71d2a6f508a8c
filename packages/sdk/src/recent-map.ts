/**
 * Sets `key` in `map` as its most recently used entry, and drops the least recently used ones
 * beyond `max`. A Map iterates in insertion order, so deleting before setting moves the key to
 * the end, and the oldest entries are the first ones. For the bounded memos an adapter or the
 * control plane keeps per credential or per page.
 */
export function setMostRecent<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= max) break;
    map.delete(oldest);
  }
}
