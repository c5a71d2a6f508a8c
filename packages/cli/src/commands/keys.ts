import { readFile } from 'node:fs/promises';
import { Command } from '@commander-js/extra-typings';
import { parsePublicKey } from '@cloudplane/sdk';
import { z } from 'zod';
import { ApiClient, failingWith, flag, table, tokenOption, urlOption } from '../api-client.js';

/** `cloudplane keys add|list|remove`: the caller's SSH public keys, which launches install. */

export const SshKey = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  bits: z.number().int(),
  fingerprint: z.string(),
  publicKey: z.string(),
  createdAt: z.string(),
});
export type SshKey = z.infer<typeof SshKey>;

const KEYS_PATH = '/v1/users/me/ssh-keys';

export async function listKeys(client: ApiClient): Promise<SshKey[]> {
  const { keys } = await client.request('GET', KEYS_PATH, z.object({ keys: z.array(SshKey) }));
  return keys;
}

/** The one key named or numbered `nameOrId` among `keys` (an id wins over a name). */
export function pickKey(keys: readonly SshKey[], nameOrId: string): SshKey {
  const found = keys.find((k) => k.id === nameOrId) ?? keys.find((k) => k.name === nameOrId);
  if (found === undefined) {
    const known = keys.map((k) => k.name).join(', ');
    throw new Error(
      `you have no SSH key with id or name "${nameOrId}"${known === '' ? ' (you have none; add one with `cloudplane keys add`)' : ` (yours: ${known})`}`,
    );
  }
  return found;
}

const PublicKeyText = z
  .string()
  .refine((text) => !text.includes('PRIVATE KEY'), {
    message: 'this is a private key; pass the public one (the .pub file beside it)',
  })
  .transform((text) => text.split('\n').map((line) => line.trim()))
  .transform((lines) => lines.filter((line) => line !== '' && !line.startsWith('#')))
  .refine((lines) => lines.length === 1, {
    message: 'expected exactly one OpenSSH public key line ("ssh-ed25519 AAAA... comment")',
  })
  .transform((lines, ctx) => {
    const line = lines[0] ?? '';
    try {
      parsePublicKey(line);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
      return z.NEVER;
    }
    return line;
  });

/** One OpenSSH public key line from a `.pub` file's text, checked before it is sent. */
export function publicKeyLine(text: string): string {
  return flag('public key', PublicKeyText, text);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function keysCommand(): Command {
  const command = new Command('keys').description(
    'your SSH public keys, installed on the instances you launch',
  );
  const guard = failingWith(command, 'keys');

  command
    .command('add')
    .description('add an SSH public key (ssh-ed25519, ecdsa, or ssh-rsa of 3072+ bits)')
    .argument('<file>', 'the public key file (~/.ssh/id_ed25519.pub), or - for stdin')
    .requiredOption('--name <name>', 'a name of your choosing, unique among your keys')
    .addOption(urlOption())
    .addOption(tokenOption())
    .option('--json', 'print the stored key as JSON')
    .action((file, options) =>
      guard(async () => {
        const name = flag('--name', z.string().min(1).max(64), options.name);
        let text: string;
        try {
          text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
        } catch (err) {
          throw new Error(
            `cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
        const added = await new ApiClient(options).request('POST', KEYS_PATH, SshKey, {
          name,
          publicKey: publicKeyLine(text),
        });
        process.stdout.write(
          options.json === true
            ? `${JSON.stringify(added)}\n`
            : `added ${added.name} (${added.id}) ${added.fingerprint}\n`,
        );
      }),
    );

  command
    .command('list')
    .description('your SSH keys')
    .addOption(urlOption())
    .addOption(tokenOption())
    .option('--json', 'print JSON')
    .action((options) =>
      guard(async () => {
        const keys = await listKeys(new ApiClient(options));
        process.stdout.write(
          options.json === true
            ? `${JSON.stringify(keys)}\n`
            : table(
                ['ID', 'NAME', 'TYPE', 'BITS', 'FINGERPRINT', 'CREATED'],
                keys.map((k) => [k.id, k.name, k.type, String(k.bits), k.fingerprint, k.createdAt]),
              ),
        );
      }),
    );

  command
    .command('remove')
    .description('remove one of your SSH keys (instances already launched keep it)')
    .argument('<name-or-id>')
    .addOption(urlOption())
    .addOption(tokenOption())
    .option('--json', 'print the removed key as JSON')
    .action((nameOrId, options) =>
      guard(async () => {
        const client = new ApiClient(options);
        const key = pickKey(await listKeys(client), nameOrId);
        await client.request('DELETE', `${KEYS_PATH}/${encodeURIComponent(key.id)}`, z.null());
        process.stdout.write(
          options.json === true ? `${JSON.stringify(key)}\n` : `removed ${key.name} (${key.id})\n`,
        );
      }),
    );
  return command;
}
