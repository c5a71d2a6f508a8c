import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../db/schema.js';
import type { ApiContext } from '../context.js';
import { SshKeyDto, UserDto, sshKeyDto, userDto } from '../instance-dto.js';
import { adminOf, principalOf } from '../principal.js';

const IdParams = z.object({ id: z.string().min(1) });

export function userRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
  return async (app) => {
    app.get(
      '/v1/users/me',
      { schema: { tags: ['users'], summary: 'The caller', response: { 200: UserDto } } },
      async (request) => userDto(await ctx.users.resolve(principalOf(request).userId)),
    );

    app.get(
      '/v1/users',
      {
        schema: {
          tags: ['users'],
          summary: 'Every user (admins)',
          response: { 200: z.object({ users: z.array(UserDto) }) },
        },
      },
      async (request) => {
        adminOf(request);
        return { users: (await ctx.users.list()).map(userDto) };
      },
    );

    app.post(
      '/v1/users',
      {
        schema: {
          tags: ['users'],
          summary: 'Add a user (admins); give them a token with POST /v1/tokens',
          body: z.object({
            name: z.string().min(1).max(64),
            role: z.enum(ROLES).default('member'),
          }),
          response: { 201: UserDto },
        },
      },
      async (request, reply) => {
        adminOf(request);
        const user = await ctx.users.add(request.body.name, request.body.role);
        return reply.code(201).send(userDto(user));
      },
    );

    app.delete(
      '/v1/users/:id',
      {
        schema: {
          tags: ['users'],
          summary:
            'Remove a user with their tokens and keys (admins); refused while they own live instances',
          params: IdParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const by = adminOf(request);
        const user = await ctx.users.resolve(request.params.id);
        await ctx.users.remove(user.id, by);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/v1/users/me/ssh-keys',
      {
        schema: {
          tags: ['ssh-keys'],
          summary: "The caller's SSH public keys",
          response: { 200: z.object({ keys: z.array(SshKeyDto) }) },
        },
      },
      async (request) => ({
        keys: (await ctx.keys.list(principalOf(request).userId)).map(sshKeyDto),
      }),
    );

    app.post(
      '/v1/users/me/ssh-keys',
      {
        schema: {
          tags: ['ssh-keys'],
          summary:
            'Add an SSH public key: ed25519, ECDSA or RSA of at least 3072 bits, OpenSSH format',
          body: z.object({
            name: z.string().min(1).max(64),
            publicKey: z.string().min(1).max(16_384),
          }),
          response: { 201: SshKeyDto },
        },
      },
      async (request, reply) => {
        const key = await ctx.keys.add(
          principalOf(request).userId,
          request.body.name,
          request.body.publicKey,
        );
        return reply.code(201).send(sshKeyDto(key));
      },
    );

    app.delete(
      '/v1/users/me/ssh-keys/:id',
      {
        schema: {
          tags: ['ssh-keys'],
          summary: 'Remove one of your keys (instances launched with it keep it)',
          params: IdParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await ctx.keys.remove(principalOf(request).userId, request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
