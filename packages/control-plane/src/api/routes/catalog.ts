import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ChangeFeedQuerySchema,
  OfferQuerySchema,
  changeFeed,
  searchOffers,
} from '../../catalog/query.js';
import { markFor } from '../../instances/capacity.js';
import type { ApiContext } from '../context.js';
import { ChangeDto, OfferDto, changeDto, offerDto } from '../dto.js';

export function catalogRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
  return async (app) => {
    app.get(
      '/v1/offers',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Search offers, cheapest first',
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
