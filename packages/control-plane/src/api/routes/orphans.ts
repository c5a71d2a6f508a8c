import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { OrphanDto, orphanDto } from '../instance-dto.js';
import { adminOf } from '../principal.js';

const IdParams = z.object({ id: z.string().min(1).max(200) });

export function orphanRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
  return async (app) => {
    app.get(
      '/v1/orphans',
      {
        schema: {
          tags: ['orphans'],
          summary: "Instances with a credential's correlation data but no record here (admins)",
          response: { 200: z.object({ orphans: z.array(OrphanDto) }) },
        },
      },
      async (request) => {
        adminOf(request);
        return { orphans: (await ctx.orphans.list()).map(orphanDto) };
      },
    );

    app.post(
      '/v1/orphans/:id/adopt',
      {
        schema: {
          tags: ['orphans'],
          summary: "Adopt an orphan as a user's instance (admins)",
          params: IdParams,
          body: z.object({
            user: z.string().min(1).describe('user name or id'),
            name: z
              .string()
              .regex(/^[a-z][a-z0-9-]{0,62}$/, 'name: 1-63 lowercase letters, digits or "-"'),
          }),
          response: { 201: z.object({ instanceId: z.string() }) },
        },
      },
      async (request, reply) => {
        adminOf(request);
        const user = await ctx.users.resolve(request.body.user);
        const instanceId = await ctx.orphans.adopt(request.params.id, user.id, request.body.name);
        return reply.code(201).send({ instanceId });
      },
    );

    app.post(
      '/v1/orphans/:id/terminate',
      {
        schema: {
          tags: ['orphans'],
          summary: 'Terminate an orphan at its provider and forget it (admins)',
          params: IdParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        adminOf(request);
        await ctx.orphans.terminate(request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
