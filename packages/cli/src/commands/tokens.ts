import { Command } from '@commander-js/extra-typings';
import { z } from 'zod';
import { ApiClient, failingWith, flag, table, tokenOption, urlOption } from '../api-client.js';

/** `cloudplane tokens create|list|revoke`: API tokens of a running control plane. */

const Token = z.object({
  id: z.string(),
  name: z.string(),
  userId: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export function tokensCommand(): Command {
  const command = new Command('tokens').description('API bearer tokens');
  const guard = failingWith(command, 'tokens');

  command
    .command('create')
    .description('create a token; its secret is printed once')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--user <name-or-id>', 'the user it acts as (admins only; default: you)')
    .addOption(urlOption())
    .addOption(tokenOption())
    .option('--json', 'print JSON')
    .action((options) =>
      guard(async () => {
        const created = await new ApiClient(options).request(
          'POST',
          '/v1/tokens',
          Token.extend({ token: z.string() }),
          {
            name: flag('--name', z.string().min(1), options.name),
            ...(options.user === undefined
              ? {}
              : { user: flag('--user', z.string().min(1), options.user) }),
          },
        );
        process.stdout.write(
          options.json === true ? `${JSON.stringify(created)}\n` : `${created.token}\n`,
        );
      }),
    );

  command
    .command('list')
    .description('tokens (never their secrets)')
    .addOption(urlOption())
    .addOption(tokenOption())
    .option('--json', 'print JSON')
    .action((options) =>
      guard(async () => {
        const { tokens } = await new ApiClient(options).request(
          'GET',
          '/v1/tokens',
          z.object({ tokens: z.array(Token) }),
        );
        process.stdout.write(
          options.json === true
            ? `${JSON.stringify(tokens)}\n`
            : table(
                ['ID', 'NAME', 'USER', 'CREATED', 'LAST USED', 'REVOKED'],
                tokens.map((t) => [
                  t.id,
                  t.name,
                  t.userId,
                  t.createdAt,
                  t.lastUsedAt ?? '-',
                  t.revokedAt ?? '-',
                ]),
              ),
        );
      }),
    );

  command
    .command('revoke')
    .description('revoke a token')
    .argument('<id>')
    .addOption(urlOption())
    .addOption(tokenOption())
    .action((id, options) =>
      guard(async () => {
        await new ApiClient(options).request(
          'DELETE',
          `/v1/tokens/${encodeURIComponent(id)}`,
          z.null(),
        );
        process.stdout.write(`revoked ${id}\n`);
      }),
    );
  return command;
}
