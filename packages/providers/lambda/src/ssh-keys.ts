import { isCloudError, parsePublicKey, type CorrelationIds, type Logger } from '@cloudplane/sdk';
import type { LambdaHttp } from './http.js';
import { keyName } from './naming.js';
import { SshKeyResponse, SshKeysResponse, type SshKeyWire } from './wire.js';

/**
 * Lambda launches with the name of a registered SSH key. The launching user's key is reused when
 * the account already holds the same key material (whatever its name), and registered otherwise.
 * Keys are never deleted: they may be the user's own, and later launches reuse ours.
 */
export class SshKeys {
  constructor(
    private readonly http: LambdaHttp,
    private readonly logger: Logger,
  ) {}

  /** The name of a registered key holding `publicKey`, registering it if there is none. */
  async ensure(publicKey: string, launch: CorrelationIds): Promise<string> {
    const fingerprint = parsePublicKey(publicKey).fingerprint;
    const existing = await this.find(fingerprint);
    if (existing) return existing.name;
    const name = keyName(launch);
    try {
      const added = await this.http.call({
        operation: 'register SSH key',
        schema: SshKeyResponse,
        replay: 'if-refused',
        send: (client, init) =>
          client.POST('/ssh-keys', {
            body: { name, public_key: publicKey.trim() },
            parseAs: 'text',
            ...init,
          }),
      });
      this.logger.info({ provider: 'lambda', keyName: added.data.name }, 'registered SSH key');
      return added.data.name;
    } catch (err) {
      // A concurrent launch may have registered the same key, or our request may have landed
      // before the connection broke: look again before giving up.
      if (isCloudError(err, 'UNAUTHENTICATED', 'PERMISSION_DENIED')) throw err;
      const again = await this.find(fingerprint).catch(() => undefined);
      if (again) return again.name;
      throw err;
    }
  }

  private async find(fingerprint: string): Promise<SshKeyWire | undefined> {
    const keys = await this.http.call({
      operation: 'list SSH keys',
      schema: SshKeysResponse,
      replay: 'idempotent',
      send: (client, init) => client.GET('/ssh-keys', { parseAs: 'text', ...init }),
    });
    return keys.data.find((key) => fingerprintOf(key.public_key) === fingerprint);
  }
}

/** Keys Lambda holds that we cannot parse (other formats, damaged) simply never match. */
function fingerprintOf(line: string): string | undefined {
  try {
    return parsePublicKey(line).fingerprint;
  } catch {
    return undefined;
  }
}
