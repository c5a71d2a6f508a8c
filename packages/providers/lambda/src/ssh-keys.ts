import { ensureSshKey } from '@cloudplane/provider-kit';
import type { CorrelationIds, Logger } from '@cloudplane/sdk';
import type { LambdaHttp } from './http.js';
import { keyName } from './naming.js';
import { SshKeyResponse, SshKeysResponse, type SshKeyWire } from './wire.js';

/**
 * Lambda launches with the name of a registered SSH key. The launching user's key is reused when
 * the account already holds the same key material (whatever its name), and registered otherwise,
 * under a name made from the launch. Keys are never deleted: they may be the user's own, and later
 * launches reuse ours.
 */
export async function sshKeyNameFor(
  http: LambdaHttp,
  publicKey: string,
  launch: CorrelationIds,
  logger: Logger,
): Promise<string> {
  const key = await ensureSshKey<Pick<SshKeyWire, 'name' | 'public_key'>>(publicKey, {
    list: async () =>
      (
        await http.call({
          operation: 'list SSH keys',
          schema: SshKeysResponse,
          replay: 'idempotent',
          send: (client, init) => client.GET('/ssh-keys', { parseAs: 'text', ...init }),
        })
      ).data,
    materialOf: (k) => k.public_key,
    register: async (line) => {
      const added = await http.call({
        operation: 'register SSH key',
        schema: SshKeyResponse,
        // Registering twice would make two keys: resend only what Lambda refused (429).
        replay: 'if-refused',
        send: (client, init) =>
          client.POST('/ssh-keys', {
            body: { name: keyName(launch), public_key: line },
            parseAs: 'text',
            ...init,
          }),
      });
      logger.info({ provider: 'lambda', keyName: added.data.name }, 'registered SSH key');
      return added.data;
    },
  });
  return key.name;
}
