import { isCloudError, parsePublicKey } from '@cloudplane/sdk';

/**
 * For clouds that launch with a registered SSH key: reuse a key with the same material as the
 * launching user's (whatever its name or comment), register it otherwise. A failed registration
 * looks once more before giving up: a concurrent launch may have registered the same key, or the
 * request may have landed before the connection broke. Keys are never deleted here.
 */
export interface KeyRegistry<K> {
  /** Every key the account holds. */
  list(): Promise<readonly K[]>;
  /** The OpenSSH public key line of a listed key. */
  materialOf(key: K): string;
  /** Registers `publicKey` and answers the new key. */
  register(publicKey: string): Promise<K>;
}

export async function ensureSshKey<K>(publicKey: string, registry: KeyRegistry<K>): Promise<K> {
  const fingerprint = parsePublicKey(publicKey).fingerprint;
  const find = async () =>
    (await registry.list()).find(
      (k) => fingerprintOfKeyLine(registry.materialOf(k)) === fingerprint,
    );
  const existing = await find();
  if (existing !== undefined) return existing;
  try {
    return await registry.register(publicKey.trim());
  } catch (err) {
    if (isCloudError(err, 'UNAUTHENTICATED', 'PERMISSION_DENIED')) throw err;
    const again = await find().catch(() => undefined);
    if (again !== undefined) return again;
    throw err;
  }
}

/**
 * The SHA256 fingerprint of an OpenSSH key line, or undefined for a line we cannot parse (such a
 * key never matches). The SDK's `fingerprintOf` is the strict form, from a parsed key's blob.
 */
export function fingerprintOfKeyLine(line: string): string | undefined {
  try {
    return parsePublicKey(line).fingerprint;
  } catch {
    return undefined;
  }
}
