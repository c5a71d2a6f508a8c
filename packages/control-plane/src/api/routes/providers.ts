import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scorecards, type WindowScore } from '../../scorecards.js';
import type { ApiContext } from '../context.js';
import { adminOf } from '../principal.js';

const rate = z.number().min(0).max(1).nullable();
const WindowDto = z.object({
  catalogSyncs: z.number().int(),
  catalogSyncSuccessRate: rate,
  launches: z.number().int(),
  createSuccessRate: rate,
  capacityErrorRate: rate,
  timeToRunningSeconds: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
});
export const ScorecardDto = z.object({
  credentialId: z.string(),
  name: z.string(),
  provider: z.string(),
  windows: z.object({ hour: WindowDto, day: WindowDto }),
  lastError: z.object({ at: z.iso.datetime(), what: z.string(), message: z.string() }).nullable(),
});

export function providerRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
  return async (app) => {
    app.get(
      '/v1/providers/scorecards',
      {
        schema: {
          tags: ['providers'],
          summary:
            'Per credential, last hour and day: catalog-sync and create success, capacity errors, time to running, last error (admins)',
          response: { 200: z.object({ scorecards: z.array(ScorecardDto) }) },
        },
      },
      async (request) => {
        adminOf(request);
        const cards = await scorecards(ctx.db);
        return {
          scorecards: cards.map((c) => ({
            ...c,
            windows: { hour: windowDto(c.windows.hour), day: windowDto(c.windows.day) },
            lastError: c.lastError ? { ...c.lastError, at: c.lastError.at.toISOString() } : null,
          })),
        };
      },
    );
  };
}

function windowDto(w: WindowScore): z.infer<typeof WindowDto> {
  return { ...w, timeToRunningSeconds: { ...w.timeToRunningSeconds } };
}
