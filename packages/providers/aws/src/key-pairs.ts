import { createHash } from 'node:crypto';
import {
  DescribeKeyPairsCommand,
  ImportKeyPairCommand,
  type KeyPairInfo,
} from '@aws-sdk/client-ec2';
import { ensureSshKey } from '@cloudplane/provider-kit';
import { CloudError, parsePublicKey, type Logger } from '@cloudplane/sdk';
import type { Ec2Api } from './ec2.js';

/**
 * EC2 launches with the name of a key pair. The launching user's key is reused when the region
 * already holds the same key material (whatever its name), and imported otherwise, under a name
 * made from the key's fingerprint, so the same key is imported once per region however many
 * launches use it. Key pairs are never deleted: they may be the user's own, and later launches
 * reuse ours.
 */
export async function keyPairFor(api: Ec2Api, publicKey: string, logger: Logger): Promise<string> {
  const key = await ensureSshKey<KeyPairInfo>(publicKey, {
    list: async () =>
      (
        await api.call('describe key pairs', 'idempotent', (c, o) =>
          c.send(new DescribeKeyPairsCommand({ IncludePublicKey: true }), o),
        )
      ).KeyPairs ?? [],
    materialOf: (k) => k.PublicKey ?? '',
    register: async (line) => {
      const KeyName = keyPairName(line);
      const imported = await api.call(`import key pair ${KeyName}`, 'if-refused', (c, o) =>
        c.send(
          new ImportKeyPairCommand({
            KeyName,
            PublicKeyMaterial: new TextEncoder().encode(line),
          }),
          o,
        ),
      );
      logger.info({ provider: 'aws', region: api.region, keyName: KeyName }, 'imported key pair');
      return imported;
    },
  });
  if (key.KeyName === undefined || key.KeyName === '') {
    throw new CloudError('INTERNAL', { message: 'AWS answered a key pair without its name' });
  }
  return key.KeyName;
}

/** `cloudplane-` and the key's SHA-256 in hex (EC2 names: up to 255 ASCII characters). */
export function keyPairName(publicKey: string): string {
  const { fingerprint } = parsePublicKey(publicKey);
  return `cloudplane-${createHash('sha256').update(fingerprint).digest('hex').slice(0, 32)}`;
}
