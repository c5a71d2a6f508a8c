import { Command, Option } from '@commander-js/extra-typings';
import { z } from 'zod';
import { ApiClient, failingWith, flag, table, tokenOption, urlOption } from '../api-client.js';

/** `cloudplane users add|list|remove`: who may call the API, and with which role (admins only). */

export const ROLES = ['member', 'admin'] as const;

export const User = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
});
export type User = z.infer<typeof User>;

const UserName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/,
    'a user name is 1-64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit',
  );

/** The one user named or numbered `nameOrId` among `users` (an id wins over a name). */
export function pickUser(users: readonly User[], nameOrId: string): User {
  const found = users.find((u) => u.id === nameOrId) ?? users.find((u) => u.name === nameOrId);
  if (found === undefined) throw new Error(`no user with id or name "${nameOrId}"`);
  return found;
}

export async function listUsers(client: ApiClient): Promise<User[]> {
  const { users } = await client.request('GET', '/v1/users', z.object({ users: z.array(User) }));
  return users;
}

export function usersCommand(): Command {
  const command = new Command('users').description('users of the control plane (admins only)');
  const guard = failingWith(command, 'users');

  command
    .command('add')
    .description('add a user; then give them a token with `tokens create --user`')
    .argument('<name>', 'letters, digits, ".", "_", "@", "-"; unique')
    .addOption(
      new Option('--role <role>', 'what they may do').choices(ROLES).default('member' as const),
    )
    .addOption(urlOption())
    .addOption(tokenOption())
    .option('--json', 'print the user as JSON')
    .action((name, options) =>
      guard(async () => {
        const body = {
          name: flag('<name>', UserName, name),
          role: flag('--role', z.enum(ROLES), options.role),
        };
        const added = await new ApiClient(options).request('POST', '/v1/users', User, body);
        process.stdout.write(
          options.json === true
            ? `${JSON.stringify(added)}\n`
            : `added ${added.name} (${added.id}), ${added.role}\n`,
        );
      }),
    );

  command
    .command('list')
    .description('every user')
    .addOption(urlOption())
    .addOption(tokenOption())
    .option('--json', 'print JSON')
    .action((options) =>
      guard(async () => {
        const users = await listUsers(new ApiClient(options));
        process.stdout.write(
          options.json === true
            ? `${JSON.stringify(users)}\n`
            : table(
                ['ID', 'NAME', 'ROLE', 'CREATED'],
                users.map((u) => [u.id, u.name, u.role, u.createdAt]),
              ),
        );
      }),
    );

  command
    .command('remove')
    .description('remove a user with their tokens and SSH keys (refused while they own instances)')
    .argument('<name-or-id>')
    .addOption(urlOption())
    .addOption(tokenOption())
    .option('--json', 'print the removed user as JSON')
    .action((nameOrId, options) =>
      guard(async () => {
        const client = new ApiClient(options);
        const user = pickUser(await listUsers(client), nameOrId);
        await client.request('DELETE', `/v1/users/${encodeURIComponent(user.id)}`, z.null());
        process.stdout.write(
          options.json === true
            ? `${JSON.stringify(user)}\n`
            : `removed ${user.name} (${user.id})\n`,
        );
      }),
    );
  return command;
}
