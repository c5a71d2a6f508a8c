import { Command } from '@commander-js/extra-typings';
import { z } from 'zod';
import { ApiClient, failingWith, table, tokenOption, urlOption } from '../api-client.js';
import { BUILT_IN_PROVIDER_IDS, readCredentialJson } from '../provider-input.js';

/** `cloudplane credentials add|list|remove|sync`: provider credentials in a running control plane. */

const Credential = z.object({
  id: z.string(),
  provider: z.string(),
  name: z.string(),
  sync: z.object({
    state: z.string(),
    reason: z.string().nullable(),
    lastSyncAt: z.string().nullable(),
  }),
});

const OrphanPolicyFlag = z.union([
  z.literal('report'),
  z
    .string()
    .regex(/^terminate-after=\d{1,5}$/, "'report' or 'terminate-after=<minutes>'")
    .transform((v) => ({ terminateAfterMinutes: Number(v.split('=')[1]) })),
]);

function parseOrphanPolicy(flag: string): z.infer<typeof OrphanPolicyFlag> {
  const parsed = OrphanPolicyFlag.safeParse(flag);
  if (!parsed.success) {
    throw new Error(`--orphan-policy "${flag}": give 'report' or 'terminate-after=<minutes>'`);
  }
  return parsed.data;
}

export function credentialsCommand(): Command {
  const command = new Command('credentials').description(
    'provider credentials held by the control plane',
  );
  const guard = failingWith(command, 'credentials');

  command
    .command('add')
    .description("store a credential (validated with the provider's schema, then sealed)")
    .requiredOption('--provider <id>', BUILT_IN_PROVIDER_IDS.join(', '))
    .requiredOption('--name <name>', 'a name of your choosing, unique')
    .requiredOption(
      '--credential <file|env:VAR>',
      'the credential JSON, from a file or an environment variable',
    )
    .option(
      '--orphan-policy <policy>',
      "'report' (default), or 'terminate-after=<minutes>' to end this credential's orphans",
      'report',
    )
    .addOption(urlOption())
    .addOption(tokenOption())
    .option('--json', 'print the stored credential as JSON')
    .action((options) =>
      guard(async () => {
        const orphanPolicy = parseOrphanPolicy(options.orphanPolicy);
        const credential = await readCredentialJson(options.credential);
        const added = await new ApiClient(options).request('POST', '/v1/credentials', Credential, {
          provider: options.provider,
          name: options.name,
          credential,
          orphanPolicy,
        });
        process.stdout.write(
          options.json === true
            ? `${JSON.stringify(added)}\n`
            : `added ${added.name} (${added.id}); its catalog syncs now\n`,
        );
      }),
    );

  command
    .command('list')
    .description('credentials and their sync status (secrets are never shown)')
    .addOption(urlOption())
    .addOption(tokenOption())
    .option('--json', 'print JSON')
    .action((options) =>
      guard(async () => {
        const { credentials } = await new ApiClient(options).request(
          'GET',
          '/v1/credentials',
          z.object({ credentials: z.array(Credential) }),
        );
        if (options.json === true) {
          process.stdout.write(`${JSON.stringify(credentials)}\n`);
          return;
        }
        process.stdout.write(
          table(
            ['ID', 'NAME', 'PROVIDER', 'SYNC', 'LAST SYNC', 'REASON'],
            credentials.map((c) => [
              c.id,
              c.name,
              c.provider,
              c.sync.state,
              c.sync.lastSyncAt ?? '-',
              c.sync.reason ?? '',
            ]),
          ),
        );
      }),
    );

  command
    .command('remove')
    .description('remove a credential with its catalog and sync history')
    .argument('<id>')
    .option(
      '--abandon <refIds>',
      'comma-separated refIds of failed launches on it that you checked at the provider yourself (when the provider no longer answers): taken as having made nothing',
    )
    .addOption(urlOption())
    .addOption(tokenOption())
    .action((id, options) =>
      guard(async () => {
        const abandon =
          options.abandon === undefined ? '' : `?abandon=${encodeURIComponent(options.abandon)}`;
        await new ApiClient(options).request(
          'DELETE',
          `/v1/credentials/${encodeURIComponent(id)}${abandon}`,
          z.null(),
        );
        process.stdout.write(`removed ${id}\n`);
      }),
    );

  command
    .command('sync')
    .description("sync a credential's catalog now")
    .argument('<id>')
    .option(
      '--accept-implausible',
      'apply a change the plausibility check refused (the provider really dropped most types or moved a price >10x)',
    )
    .addOption(urlOption())
    .addOption(tokenOption())
    .action((id, options) =>
      guard(async () => {
        await new ApiClient(options).request(
          'POST',
          `/v1/credentials/${encodeURIComponent(id)}/sync${options.acceptImplausible === true ? '?acceptImplausible=true' : ''}`,
          z.object({ queued: z.literal(true) }),
        );
        process.stdout.write(`sync of ${id} queued\n`);
      }),
    );
  return command;
}
