import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ChangeFeedQuerySchema,
  OfferQuerySchema,
  changeFeed,
  offerRegions,
  searchOffers,
} from '../../catalog/query.js';
import { markFor } from '../../instances/capacity.js';
import type { ApiContext } from '../context.js';
import { ChangeDto, OfferDto, changeDto, offerDto } from '../dto.js';

/**
 * The regions on offer change only when a sync adds or removes a place, and reading them groups
 * the whole offers table; so each node reads them at most this often, however many dashboards ask.
 */
const REGIONS_FRESH_MS = 30_000;

const RegionDto = z.object({
  provider: z.string(),
  region: z.string(),
  offers: z.number().int().describe('live offers there'),
});

export function catalogRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  let regions: { at: number; list: Promise<z.infer<typeof RegionDto>[]> } | null = null;
  const regionList = () => {
    if (regions === null || Date.now() - regions.at > REGIONS_FRESH_MS) {
      const list = offerRegions(ctx.db);
      regions = { at: Date.now(), list };
      // A failed read is not kept: the next request reads again.
      list.catch(() => {
        if (regions?.list === list) regions = null;
      });
    }
    return regions.list;
  };

  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
  return async (app) => {
    app.get(
      '/v1/offers',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Search offers, cheapest first (per hour, or per GPU and hour)',
          querystring: OfferQuerySchema,
          response: {
            200: z.object({ offers: z.array(OfferDto), nextCursor: z.string().nullable() }),
          },
        },
      },
      async (request) => {
        const page = await searchOffers(ctx.db, request.query);
        const marks = await ctx.capacity.active([
          ...new Set(page.offers.map((o) => o.credentialId)),
        ]);
        return {
          offers: page.offers.map((row) =>
            offerDto(row, markFor(marks, { ...row, location: row.location })),
          ),
          nextCursor: page.nextCursor,
        };
      },
    );

    app.get(
      '/v1/catalog/regions',
      {
        schema: {
          tags: ['catalog'],
          summary:
            'The providers and regions that have live offers, for filter choices (up to 30 s old)',
          response: { 200: z.object({ regions: z.array(RegionDto) }) },
        },
      },
      async () => ({ regions: await regionList() }),
    );

    app.get(
      '/v1/catalog/changes',
      {
        schema: {
          tags: ['catalog'],
          summary: 'The change feed: what each sync added, removed or repriced, oldest first',
          querystring: ChangeFeedQuerySchema,
          response: { 200: z.object({ changes: z.array(ChangeDto), last: z.number().int() }) },
        },
      },
      async (request) => {
        const feed = await changeFeed(ctx.db, request.query);
        return { changes: feed.changes.map(changeDto), last: feed.last };
      },
    );
  };
}
