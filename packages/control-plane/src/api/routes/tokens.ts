import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { TokenDto, tokenDto } from '../dto.js';
import { adminOf } from '../principal.js';

export function tokenRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
  return async (app) => {
    app.get(
      '/v1/tokens',
      {
        schema: {
          tags: ['tokens'],
          summary: 'API tokens (never their secret)',
          response: { 200: z.object({ tokens: z.array(TokenDto) }) },
        },
      },
      async (request) => {
        adminOf(request);
        return { tokens: (await ctx.tokens.list()).map(tokenDto) };
      },
    );

    app.post(
      '/v1/tokens',
      {
        schema: {
          tags: ['tokens'],
          summary: 'Create a token (admins); its secret is in this answer and nowhere else',
          body: z.object({
            name: z.string().min(1),
            user: z
              .string()
              .min(1)
              .optional()
              .describe('the user it belongs to (name or id); default you'),
          }),
          response: { 201: TokenDto.extend({ token: z.string() }) },
        },
      },
      async (request, reply) => {
        const by = adminOf(request);
        const owner =
          request.body.user === undefined
            ? by.userId
            : (await ctx.users.resolve(request.body.user)).id;
        const created = await ctx.tokens.create(request.body.name, owner);
        return reply.code(201).send({ ...tokenDto(created), token: created.token });
      },
    );

    app.delete(
      '/v1/tokens/:id',
      {
        schema: {
          tags: ['tokens'],
          summary: 'Revoke a token',
          params: z.object({ id: z.string().min(1) }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        adminOf(request);
        await ctx.tokens.revoke(request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
