import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ChangeFeedQuerySchema,
  OfferQuerySchema,
  changeFeed,
  offerPageFromDatabase,
  offerRegions,
} from '../../catalog/query.js';
import { offerPageJson } from '../../catalog/view-offer.js';
import type { ApiContext } from '../context.js';
import { storeVersionsOf } from '../principal.js';
import { ChangeDto, OfferDto, changeDto } from '../dto.js';

const RegionDto = z.object({
  provider: z.string(),
  region: z.string(),
  offers: z.number().int().describe('live offers there'),
});

export function catalogRoutes(ctx: ApiContext): FastifyPluginAsyncZod {
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
      async (request, reply) => {
        const fromView = await ctx.catalogView.page(request.query, storeVersionsOf(request));
        if (fromView) {
          // The view built each offer's JSON from its row when it read it (view-offer.ts), in
          // OfferDto's shape; test/catalog-view.test.ts holds it to the database path's output.
          return sendJson(reply, offerPageJson(fromView.offers, fromView.nextCursor));
        }
        return offerPageFromDatabase(ctx.db, ctx.capacity, request.query);
      },
    );

    app.get(
      '/v1/catalog/regions',
      {
        schema: {
          tags: ['catalog'],
          summary: 'The providers and regions that have live offers, for filter choices',
          response: { 200: z.object({ regions: z.array(RegionDto) }) },
        },
      },
      async (request) => {
        const regions = await ctx.catalogView.regions(storeVersionsOf(request));
        return { regions: regions ? [...regions] : await offerRegions(ctx.db) };
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

/**
 * Sends JSON that was serialised in the route's response shape before the request came: Fastify
 * passes a Buffer body through as it is.
 */
function sendJson(reply: FastifyReply, json: Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}
