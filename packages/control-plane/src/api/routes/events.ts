import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { eventsAfter, lastEventId } from '../../instances/events.js';
import type { ApiContext } from '../context.js';
import { eventDto } from '../instance-dto.js';
import { principalOf } from '../principal.js';

/**
 * GET /v1/events: a server-sent event stream of instance events the caller may see. It reads
 * the events table (so events written by any node arrive), woken by the bell (a local write, or
 * any node's write through PostgreSQL's NOTIFY) and otherwise every `eventPollMs`, in case a
 * notification was lost; `Last-Event-ID` resumes after a reconnect.
 */

const HEARTBEAT_MS = 15_000;
const BATCH = 500;

export function eventRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
  return async (app) => {
    app.get(
      '/v1/events',
      {
        schema: {
          tags: ['instances'],
          summary: 'Server-sent events: every instance event you may see, as it happens',
          description:
            'Each message is `event: instance`, `id: <event id>`, `data: <event JSON>` (the shape of GET /v1/instances/:id/events). Send Last-Event-ID to resume.',
          headers: z.object({
            'last-event-id': z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
          }),
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        let after = request.headers['last-event-id'] ?? (await lastEventId(ctx.db));
        reply.hijack();
        const out = reply.raw;
        out.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        out.write(': cloudplane instance events\n\n');
        const stream = { open: true };
        let wake: (() => void) | undefined;
        const ring = () => wake?.();
        const stop = () => {
          stream.open = false;
          wake?.();
        };
        ctx.bell.on('ring', ring);
        request.raw.on('close', stop);
        ctx.signal.addEventListener('abort', stop, { once: true });
        let lastWrite = Date.now();
        try {
          while (stream.open) {
            // The wait is set up before the read, so that a ring that comes while the events are
            // being read ends the wait that follows instead of being lost.
            const woken = new Promise<void>((resolve) => {
              wake = resolve;
            });
            const events = await eventsAfter(ctx.db, after, {
              ...(principal.role === 'admin' ? {} : { userId: principal.userId }),
              limit: BATCH,
            });
            for (const event of events) {
              out.write(
                `event: instance\nid: ${String(event.id)}\ndata: ${JSON.stringify(eventDto(event))}\n\n`,
              );
              after = event.id;
              lastWrite = Date.now();
            }
            if (events.length === BATCH) continue;
            if (Date.now() - lastWrite > HEARTBEAT_MS) {
              out.write(': keep-alive\n\n');
              lastWrite = Date.now();
            }
            const timer = setTimeout(ring, ctx.eventPollMs);
            await woken;
            clearTimeout(timer);
          }
        } catch (err) {
          request.log.warn(
            { err: err instanceof Error ? err.message : String(err) },
            'event stream ended',
          );
        } finally {
          ctx.bell.off('ring', ring);
          ctx.signal.removeEventListener('abort', stop);
          out.end();
        }
      },
    );
  };
}
