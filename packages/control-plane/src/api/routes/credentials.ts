import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { syncHistory } from '../../catalog/query.js';
import type { ApiContext } from '../context.js';
import { adminOf } from '../principal.js';
import {
  CredentialDto,
  OrphanPolicySchema,
  orphanPolicyMs,
  SyncDto,
  credentialDto,
  syncDto,
} from '../dto.js';

const IdParams = z.object({ id: z.string().min(1) });

export function credentialRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
  return async (app) => {
    // Credentials are the operator's: every route here is for admins.
    app.addHook('preHandler', (request, _reply, done) => {
      try {
        adminOf(request);
        done();
      } catch (err) {
        done(err instanceof Error ? err : new Error(String(err)));
      }
    });
    app.get(
      '/v1/credentials',
      {
        schema: {
          tags: ['credentials'],
          summary: 'Provider credentials with their sync status (secrets never included)',
          response: { 200: z.object({ credentials: z.array(CredentialDto) }) },
        },
      },
      async () => ({ credentials: (await ctx.credentials.list()).map(credentialDto) }),
    );

    app.post(
      '/v1/credentials',
      {
        schema: {
          tags: ['credentials'],
          summary: "Add a credential; it is validated with the provider's schema, then sealed",
          body: z.object({
            provider: z.string().min(1),
            name: z.string().min(1),
            credential: z.unknown(),
            orphanPolicy: OrphanPolicySchema.default('report'),
          }),
          response: { 201: CredentialDto },
        },
      },
      async (request, reply) => {
        const { orphanPolicy, ...input } = request.body;
        const added = await ctx.credentials.add({
          ...input,
          orphanTerminateAfterMs: orphanPolicyMs(orphanPolicy),
        });
        await ctx.scheduler.schedule(added.id, 0);
        await ctx.instanceJobs.syncSoon(added.id);
        return reply.code(201).send(credentialDto(added));
      },
    );

    app.get(
      '/v1/credentials/:id',
      { schema: { tags: ['credentials'], params: IdParams, response: { 200: CredentialDto } } },
      async (request) => credentialDto(await ctx.credentials.require(request.params.id)),
    );

    app.put(
      '/v1/credentials/:id/orphan-policy',
      {
        schema: {
          tags: ['credentials'],
          summary: "Report this credential's orphans, or terminate them after a while",
          params: IdParams,
          body: z.object({ orphanPolicy: OrphanPolicySchema }),
          response: { 200: CredentialDto },
        },
      },
      async (request) =>
        credentialDto(
          await ctx.credentials.setOrphanPolicy(
            request.params.id,
            orphanPolicyMs(request.body.orphanPolicy),
          ),
        ),
    );

    app.delete(
      '/v1/credentials/:id',
      {
        schema: {
          tags: ['credentials'],
          summary: 'Remove a credential with its catalog and sync history',
          description:
            'Refused (409 credential/in-use) while an instance launched with it is live, or while a failed launch on it may still have made an instance the provider has not shown it lacks. abandon: comma-separated refIds of such launches you have checked at the provider yourself, for a provider that no longer answers; they are taken as having made nothing.',
          params: IdParams,
          querystring: z.object({
            abandon: z
              .string()
              .max(20_000)
              .optional()
              .transform((list) => (list === undefined || list === '' ? [] : list.split(',')))
              .pipe(z.array(z.uuid({ error: 'abandon: refIds (UUIDs) separated by commas' }))),
          }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await ctx.credentialRemoval.remove(request.params.id, { abandon: request.query.abandon });
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/v1/credentials/:id/sync',
      {
        schema: {
          tags: ['credentials'],
          summary: 'Sync this catalog now instead of at the next poll',
          description:
            'With acceptImplausible=true, the next sync applies a change the plausibility check would refuse (most types vanishing, a price moving more than 10x): for when the provider really did that.',
          params: IdParams,
          querystring: z.object({
            acceptImplausible: z
              .enum(['true', 'false'])
              .default('false')
              .transform((v) => v === 'true'),
          }),
          response: { 202: z.object({ queued: z.literal(true) }) },
        },
      },
      async (request, reply) => {
        await ctx.scheduler.syncNow(request.params.id, {
          acceptImplausible: request.query.acceptImplausible,
        });
        return reply.code(202).send({ queued: true as const });
      },
    );

    app.get(
      '/v1/credentials/:id/syncs',
      {
        schema: {
          tags: ['credentials'],
          summary: 'Recent catalog syncs of this credential, newest first',
          params: IdParams,
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }),
          response: { 200: z.object({ syncs: z.array(SyncDto) }) },
        },
      },
      async (request) => {
        await ctx.credentials.require(request.params.id);
        const rows = await syncHistory(ctx.db, request.params.id, request.query.limit);
        return { syncs: rows.map(syncDto) };
      },
    );
  };
}
