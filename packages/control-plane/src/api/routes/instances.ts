import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { eventsAfter } from '../../instances/events.js';
import type { InstanceRow } from '../../instances/observe.js';
import {
  IdempotencyKeySchema,
  InstanceListQuerySchema,
  LaunchRequestSchema,
  USER_ACTIONS,
} from '../../instances/service.js';
import type { ApiContext } from '../context.js';
import { EventDto, InstanceDto, eventDto, instanceDto } from '../instance-dto.js';
import { principalOf } from '../principal.js';

const IdParams = z.object({ id: z.string().min(1).max(200) });

export function instanceRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  const dto = (row: InstanceRow) =>
    instanceDto(row, ctx.providers.get(row.provider)?.capabilities() ?? []);

  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
  return async (app) => {
    app.post(
      '/v1/instances',
      {
        schema: {
          tags: ['instances'],
          summary: 'Launch an instance from an offer; 202 with the pending instance',
          description:
            'Send an Idempotency-Key header to make retries safe: the same key and body answer the same instance (200), another body with the same key is a 409.',
          headers: z.object({ 'idempotency-key': IdempotencyKeySchema.optional() }),
          body: LaunchRequestSchema,
          response: { 200: InstanceDto, 202: InstanceDto },
        },
      },
      async (request, reply) => {
        const { row, created } = await ctx.instances.launch(
          principalOf(request),
          request.body,
          request.headers['idempotency-key'],
        );
        return reply.code(created ? 202 : 200).send(dto(row));
      },
    );

    app.get(
      '/v1/instances',
      {
        schema: {
          tags: ['instances'],
          summary: "Your instances, newest first (admins: everyone's)",
          querystring: InstanceListQuerySchema,
          response: {
            200: z.object({ instances: z.array(InstanceDto), nextCursor: z.string().nullable() }),
          },
        },
      },
      async (request) => {
        const page = await ctx.instances.list(principalOf(request), request.query);
        return { instances: page.rows.map(dto), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/v1/instances/:id',
      { schema: { tags: ['instances'], params: IdParams, response: { 200: InstanceDto } } },
      async (request) => dto(await ctx.instances.get(principalOf(request), request.params.id)),
    );

    app.post(
      '/v1/instances/:id/:action',
      {
        schema: {
          tags: ['instances'],
          summary: 'Stop, start, reboot or terminate; 202 with the pending action',
          params: IdParams.extend({ action: z.enum(USER_ACTIONS) }),
          response: { 202: InstanceDto },
        },
      },
      async (request, reply) => {
        const row = await ctx.instances.act(
          principalOf(request),
          request.params.id,
          request.params.action,
        );
        return reply.code(202).send(dto(row));
      },
    );

    app.get(
      '/v1/instances/:id/events',
      {
        schema: {
          tags: ['instances'],
          summary: "The instance's events, oldest first",
          params: IdParams,
          querystring: z.object({
            after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
            limit: z.coerce.number().int().min(1).max(1000).default(200),
          }),
          response: { 200: z.object({ events: z.array(EventDto) }) },
        },
      },
      async (request) => {
        const row = await ctx.instances.get(principalOf(request), request.params.id);
        const events = await eventsAfter(ctx.db, request.query.after, {
          instanceId: row.id,
          limit: request.query.limit,
        });
        return { events: events.map(eventDto) };
      },
    );
  };
}
