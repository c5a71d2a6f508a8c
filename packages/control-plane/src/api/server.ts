import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import type { Logger as PinoLogger } from 'pino';
import { z } from 'zod';
import { ControlPlaneError } from '../errors.js';
import { loggableMessage } from '../storage-errors.js';
import type { ApiContext } from './context.js';
import { ErrorDto } from './dto.js';
import { catalogRoutes } from './routes/catalog.js';
import { credentialRoutes } from './routes/credentials.js';
import { tokenRoutes } from './routes/tokens.js';
import { eventRoutes } from './routes/events.js';
import { instanceRoutes } from './routes/instances.js';
import { orphanRoutes } from './routes/orphans.js';
import { userRoutes } from './routes/users.js';
import { adminOf } from './principal.js';

/**
 * The REST API: Fastify with zod schemas (validation, serialisation and the OpenAPI 3.1 document
 * at /openapi.json, browsable at /docs). Everything under /v1 and /metrics needs a bearer token;
 * /healthz, /openapi.json and /docs do not.
 */

export type Api = Awaited<ReturnType<typeof buildApi>>;

export async function buildApi(ctx: ApiContext, logger: PinoLogger) {
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'cloudplane control plane',
        version: '0.1.0',
        description:
          'GPU catalog, provider credentials and sync status. See docs/control-plane.md.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());

  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness and database reachability (no token needed)',
        security: [],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => {
      await ctx.db.execute(sql`SELECT 1`);
      return { status: 'ok' as const };
    },
  );

  app.decorateRequest('principal', null);
  await app.register(async (secured) => {
    secured.addHook('onRequest', async (request) => {
      await authenticate(ctx, request);
    });
    secured.get(
      '/metrics',
      { schema: { tags: ['operations'], summary: 'Prometheus metrics (admins)' } },
      async (request, reply) => {
        adminOf(request);
        const text = await ctx.metrics.registry.metrics();
        return reply.type(ctx.metrics.registry.contentType).send(text);
      },
    );
    await secured.register(catalogRoutes(ctx));
    await secured.register(credentialRoutes(ctx));
    await secured.register(tokenRoutes(ctx));
    await secured.register(userRoutes(ctx));
    await secured.register(instanceRoutes(ctx));
    await secured.register(eventRoutes(ctx));
    await secured.register(orphanRoutes(ctx));
  });
  return app;
}

async function authenticate(ctx: ApiContext, request: FastifyRequest): Promise<void> {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer (\S+)$/.exec(header);
  if (!match?.[1]) {
    throw new ControlPlaneError(
      401,
      'auth/missing-token',
      'send "Authorization: Bearer <token>"; `cloudplane serve` printed one on first start',
    );
  }
  const principal = await ctx.tokens.verify(match[1]);
  if (!principal) {
    throw new ControlPlaneError(401, 'auth/invalid-token', 'the token is unknown or revoked');
  }
  request.principal = principal;
}

function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  let body: z.infer<typeof ErrorDto>;
  let status: number;
  if (error instanceof ControlPlaneError) {
    status = error.status;
    body = {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details ? { details: [...error.details] } : {}),
      },
    };
  } else if (hasZodFastifySchemaValidationErrors(error)) {
    status = 400;
    body = {
      error: {
        code: 'request/invalid',
        message: `the request ${error.validationContext ?? 'input'} is not valid`,
        details: error.validation.map((v) => ({
          path: v.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)',
          message: v.message ?? 'invalid',
        })),
      },
    };
  } else if (isClientError(error)) {
    status = error.statusCode;
    body = { error: { code: 'request/invalid', message: error.message } };
  } else {
    // Never the raw error: a database error carries its SQL and parameters.
    request.log.error({ err: loggableMessage(error) }, 'request failed');
    status = 500;
    body = { error: { code: 'internal', message: 'internal error; the server log has details' } };
  }
  return reply.code(status).send(body);
}

const ClientErrorShape = z.object({ statusCode: z.number().int().min(400).max(499) });

/** Fastify's own 4xx errors (a malformed JSON body, an unsupported media type). */
function isClientError(error: unknown): error is Error & { statusCode: number } {
  return error instanceof Error && ClientErrorShape.safeParse(error).success;
}
