import { ensureSshKey } from '@cloudplane/provider-kit';
import type { CorrelationIds, Logger } from '@cloudplane/sdk';
import type { ShadeformHttp } from './http.js';
import { AddSshKeyResponse, SshKeysResponse } from './wire.js';

/**
 * Shadeform launches with the id of a registered SSH key. The launching user's key is reused when
 * the account already holds the same key material (whatever its name), and registered otherwise,
 * named after the launch that registered it. Keys are never deleted: they may be the user's own,
 * and later launches reuse ours.
 */
export async function sshKeyIdFor(
  http: ShadeformHttp,
  publicKey: string,
  launch: CorrelationIds,
  logger: Logger,
): Promise<string> {
  const key = await ensureSshKey<{ id: string; public_key: string }>(publicKey, {
    list: async () =>
      (
        await http.call({
          operation: 'list SSH keys',
          schema: SshKeysResponse,
          replay: 'idempotent',
          send: (client, init) => client.GET('/sshkeys', { parseAs: 'text', ...init }),
        })
      ).ssh_keys,
    materialOf: (k) => k.public_key,
    register: async (line) => {
      const added = await http.call({
        operation: 'register SSH key',
        schema: AddSshKeyResponse,
        // Registering twice would make two keys: resend only what Shadeform refused (429).
        replay: 'if-refused',
        send: (client, init) =>
          client.POST('/sshkeys/add', {
            body: { name: `cloudplane ${launch.refId}`, public_key: line },
            parseAs: 'text',
            ...init,
          }),
      });
      logger.info({ provider: 'shadeform', keyId: added.id }, 'registered SSH key');
      return { id: added.id, public_key: line };
    },
  });
  return key.id;
}
