import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
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
import {
  CONNECT_FAILED_CODES,
  loggableMessage,
  POOL_CHECKOUT_TIMED_OUT,
  storageFailure,
} from '../storage-errors.js';
import type { ApiContext } from './context.js';
import { ErrorDto } from './dto.js';
import { catalogRoutes } from './routes/catalog.js';
import { credentialRoutes } from './routes/credentials.js';
import { tokenRoutes } from './routes/tokens.js';
import { eventRoutes } from './routes/events.js';
import { instanceRoutes } from './routes/instances.js';
import { orphanRoutes } from './routes/orphans.js';
import { providerRoutes } from './routes/providers.js';
import { userRoutes } from './routes/users.js';
import { adminOf } from './principal.js';
import { withDeadline } from '../db/deadline.js';

/**
 * The REST API: Fastify with zod schemas (validation, serialisation and the OpenAPI 3.1 document
 * at /openapi.json, browsable at /docs). Everything under /v1 and /metrics needs a bearer token;
 * /healthz, /openapi.json and /docs do not.
 *
 * Every error, ours or Fastify's (a bad URL, bad JSON, an unknown route, a malformed HTTP
 * request), answers `{error: {code, message, details?}}`. Before any route's own validation, a
 * request is refused when a string anywhere in its path parameters, query or body holds a NUL
 * (PostgreSQL cannot store one, and would answer 500) or when it has a query parameter its
 * route does not take (a typo such as `maxprice` would otherwise be ignored silently).
 */

/** How long /healthz waits for the database before it calls it unreachable. */
const HEALTH_TIMEOUT_MS = 5_000;
/** Routes under /v1 authenticate first: an unknown one answers 401 without a token, 404 with. */
const SECURED_PATH = /^\/v1(?:[/?]|$)/;

export type Api = Awaited<ReturnType<typeof buildApi>>;

export async function buildApi(ctx: ApiContext, logger: PinoLogger) {
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    // A URL whose percent-encoding does not decode (`/%`, `/v1/offers/%zz`).
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      void handleError(
        error.code === 'FST_ERR_BAD_URL'
          ? new ControlPlaneError(
              400,
              'request/bad-url',
              'the URL is not valid: a "%" must start a percent-encoded UTF-8 byte such as %20',
            )
          : error,
        request,
        reply,
      );
    },
    clientErrorHandler: answerClientError,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(async (request) => {
    // Under /v1 the token comes first, as on every known route there: an unknown route says
    // nothing to a caller without one.
    if (SECURED_PATH.test(request.url)) await authenticate(ctx, request);
    throw new ControlPlaneError(
      404,
      'request/not-found',
      `no route ${request.method} ${shortPath(request.url)}; the routes are listed in /openapi.json`,
    );
  });
  // Added before any route, so that every route (in every plugin) gets them.
  app.addHook('preValidation', (request, _reply, done) => {
    try {
      refuseNul(request);
      refuseUnknownQuery(request);
      done();
    } catch (err) {
      done(err instanceof Error ? err : new Error(String(err)));
    }
  });

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
  await (await import('./static.js')).serveDashboard(app); // the web dashboard at /

  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness and database reachability (no token needed)',
        description:
          '503 with the reason when the database does not answer: unreachable, its disk full, or another failure.',
        security: [],
        response: { 200: z.object({ status: z.literal('ok') }), 503: ErrorDto },
      },
    },
    async (request) => {
      try {
        await withDeadline(
          ctx.db.execute(sql`SELECT 1`),
          HEALTH_TIMEOUT_MS,
          () => new HealthTimeout(`no answer within ${String(HEALTH_TIMEOUT_MS)} ms`),
        );
      } catch (err) {
        const problem = databaseProblem(err);
        request.log.warn({ err: loggableMessage(err), code: problem.code }, 'health check failed');
        throw problem;
      }
      return { status: 'ok' as const };
    },
  );

  app.decorateRequest('principal', null);
  app.decorateRequest('storeVersions', null);
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
    await secured.register(providerRoutes(ctx));
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
  const versions = await ctx.versions.current();
  request.storeVersions = versions;
  const principal = await ctx.tokens.verify(match[1], versions.auth);
  if (!principal) {
    throw new ControlPlaneError(401, 'auth/invalid-token', 'the token is unknown or revoked');
  }
  request.principal = principal;
}

type ErrorBody = z.infer<typeof ErrorDto>;

function errorBody(
  code: string,
  message: string,
  details?: readonly { path: string; message: string }[],
): ErrorBody {
  return { error: { code, message, ...(details ? { details: [...details] } : {}) } };
}

function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  let body: ErrorBody;
  let status: number;
  if (error instanceof ControlPlaneError) {
    status = error.status;
    body = errorBody(error.code, error.message, error.details);
  } else if (hasZodFastifySchemaValidationErrors(error)) {
    status = 400;
    body = errorBody(
      'request/invalid',
      `the request ${error.validationContext ?? 'input'} is not valid`,
      error.validation.map((v) => ({
        path: v.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)',
        message: v.message ?? 'invalid',
      })),
    );
  } else {
    const client = FastifyClientError.safeParse(error);
    if (client.success && error instanceof Error) {
      status = client.data.statusCode;
      body = clientErrorBody(client.data.code, error.message);
    } else {
      // Never the raw error: a database error carries its SQL and parameters.
      request.log.error({ err: loggableMessage(error) }, 'request failed');
      // A database that does not answer, or whose disk is full, is the operator's to fix, and
      // a load balancer should send the request elsewhere: 503, saying what to check. Any other
      // failure, even from the database, is ours: 500.
      const problem = databaseProblem(error);
      const operators =
        problem.code === 'storage/unavailable' || problem.code === 'storage/disk-full';
      status = operators ? problem.status : 500;
      body = operators
        ? errorBody(problem.code, problem.message)
        : errorBody('internal', 'internal error; the server log has details');
    }
  }
  return reply.code(status).send(body);
}

/** Fastify's own 4xx errors: a malformed JSON body, an unsupported media type, a large body. */
const FastifyClientError = z.object({
  statusCode: z.number().int().min(400).max(499),
  code: z.string().optional(),
});

function clientErrorBody(code: string | undefined, message: string): ErrorBody {
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errorBody('request/too-large', 'the request body is too large (at most 1 MiB)');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errorBody(
        'request/unsupported-media-type',
        'send the body as JSON, with "content-type: application/json"',
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return errorBody('request/invalid', `the request body is not valid JSON: ${message}`);
    default:
      return errorBody('request/invalid', message);
  }
}

/** The path of a URL for an error message: no query, and never very long. */
function shortPath(url: string): string {
  const path = url.split('?', 1)[0] ?? url;
  return path.length <= 200 ? path : `${path.slice(0, 200)}…`;
}

/**
 * A request Node's HTTP parser could not read (a NUL or other control byte in a header, a
 * malformed request line, headers over the size limit, a timeout), answered in the API's error
 * shape as Fastify's default handler would have answered it in its own.
 */
function answerClientError(error: Error, socket: Socket): void {
  const code = z.object({ code: z.string() }).safeParse(error).data?.code;
  if (code === 'ECONNRESET' || socket.destroyed) return;
  const [status, body] =
    code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, errorBody('request/timeout', 'the request took too long to arrive')]
      : code === 'HPE_HEADER_OVERFLOW'
        ? [431, errorBody('request/headers-too-large', 'the request headers are too large')]
        : [
            400,
            errorBody(
              'request/malformed',
              `the HTTP request is malformed${code === undefined ? '' : ` (${code})`}`,
            ),
          ];
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${String(status)} ${STATUS_CODES[status] ?? 'Bad Request'}\r\nContent-Length: ${String(Buffer.byteLength(text))}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}

/** A JSON-like value: what a query, path parameters or a parsed JSON body can hold. */
const Fields = z.record(z.string(), z.unknown());

/**
 * Refuses a NUL character in any path parameter, query value or body string (or key):
 * PostgreSQL's text cannot hold one, so it would fail the query and answer 500. The walk is a
 * loop, not a recursion: a body may nest deeper than the stack.
 */
function refuseNul(request: FastifyRequest): void {
  const parts = [
    ['params', request.params],
    ['querystring', request.query],
    ['body', request.body],
  ] as const;
  for (const [context, value] of parts) {
    const path = nulPath(value);
    if (path !== null) {
      throw new ControlPlaneError(400, 'request/invalid', `the request ${context} is not valid`, [
        {
          path: printable(path, 200) || '(root)',
          message: 'must not contain a NUL character (\\u0000)',
        },
      ]);
    }
  }
}

/** The dotted path of the first string or key holding a NUL, or null. */
function nulPath(root: unknown): string | null {
  const stack: { value: unknown; path: string }[] = [{ value: root, path: '' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, path } = item;
    if (typeof value === 'string') {
      if (value.includes('\0')) return path;
    } else if (Array.isArray(value)) {
      value.forEach((v: unknown, i) => stack.push({ value: v, path: join(path, String(i)) }));
    } else {
      const fields = Fields.safeParse(value);
      if (!fields.success) continue;
      for (const [key, v] of Object.entries(fields.data)) {
        if (key.includes('\0')) return join(path, key);
        stack.push({ value: v, path: join(path, key) });
      }
    }
  }
  return null;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Refuses query parameters the route does not take, naming them and the ones it does. */
function refuseUnknownQuery(request: FastifyRequest): void {
  // Routes hidden from the API's description (the docs UI, /openapi.json, the dashboard's
  // files) are not the API: a browser may add parameters of its own there.
  const schema = request.routeOptions.schema;
  if (schema === undefined || schema.hide === true) return;
  const known = queryKeys(schema.querystring);
  if (known === null) return;
  // The keys as sent: the parsed query drops some (`__proto__`).
  const start = request.url.indexOf('?');
  const sent = start === -1 ? [] : [...new URLSearchParams(request.url.slice(start + 1)).keys()];
  const unknown = [...new Set(sent)].filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  const takes =
    known.length === 0
      ? 'this route takes no query parameters'
      : `this route takes ${known.join(', ')}`;
  throw new ControlPlaneError(
    400,
    'request/unknown-parameter',
    `unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${printable(k)}"`).join(', ')}; ${takes}`,
    unknown.map((key) => {
      const near = known.find((k) => k.toLowerCase() === key.toLowerCase());
      return {
        path: printable(key),
        message: `unknown query parameter${near === undefined ? '' : `; did you mean "${near}"?`}`,
      };
    }),
  );
}

/**
 * The parameters a route's querystring schema names: none without a schema, the object's keys
 * (also behind a transform), or null for a schema whose keys cannot be told (a union), which is
 * then left to the schema itself.
 */
function queryKeys(schema: unknown): string[] | null {
  if (schema === undefined) return [];
  const object = schema instanceof z.ZodPipe ? schema.in : schema;
  return object instanceof z.ZodObject ? Object.keys(object.shape) : null;
}

/** A caller's text, for a message: bounded, control characters escaped. */
function printable(text: string, max = 64): string {
  const short = text.length <= max ? text : `${text.slice(0, max)}…`;
  return short.replace(/[\p{Cc}]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Fields of a database or system error (pg, PGlite, Node); all optional. */
const DbErrorFields = z.looseObject({
  code: z.unknown().optional(),
  severity: z.unknown().optional(),
});
const SQLSTATE = /^[0-9A-Z]{5}$/;
/** Node's errors for a server that cannot be reached, or whose connection broke. */
const NETWORK_CODES = new Set([...CONNECT_FAILED_CODES, 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);
/**
 * SQLSTATEs for a database that does not take queries: connection exceptions (class 08),
 * shutting down or starting (57P01-57P03), too many connections (53300).
 */
const UNAVAILABLE_SQLSTATE = /^08|^57P0[123]$|^53300$/;
const UNAVAILABLE_MESSAGE = /connection terminated|is closed/i;

class HealthTimeout extends Error {}

/**
 * Why the database failed a health check, as a 503 the operator can act on: unreachable (and
 * where to look), its disk full (ENOSPC), or its own error code and words. Never the SQL.
 */
export function databaseProblem(err: unknown): ControlPlaneError {
  const failure = storageFailure(err);
  if (failure?.code === 'storage/disk-full') {
    return new ControlPlaneError(
      503,
      'storage/disk-full',
      "the database disk is full (ENOSPC): free space on the disk that holds the database (the data directory, or the PostgreSQL server's)",
    );
  }
  let code: string | undefined;
  let said: string | undefined;
  let unavailable = err instanceof HealthTimeout;
  for (let e: unknown = err, n = 0; e instanceof Error && n < 10; e = e.cause, n++) {
    const fields = DbErrorFields.safeParse(e).data;
    const errCode = typeof fields?.code === 'string' ? fields.code : undefined;
    const fromDatabase = typeof fields?.severity === 'string';
    if (
      errCode !== undefined &&
      (NETWORK_CODES.has(errCode) || (fromDatabase && UNAVAILABLE_SQLSTATE.test(errCode)))
    ) {
      unavailable = true;
      code ??= errCode;
    }
    if (errCode !== undefined && fromDatabase && SQLSTATE.test(errCode)) {
      code ??= errCode;
      said ??= e.message;
    }
    if (
      !('query' in e) &&
      (UNAVAILABLE_MESSAGE.test(e.message) || POOL_CHECKOUT_TIMED_OUT.test(e.message))
    ) {
      unavailable = true;
      said ??= e.message;
    }
  }
  const why = code ?? (err instanceof HealthTimeout ? err.message : said);
  if (unavailable) {
    return new ControlPlaneError(
      503,
      'storage/unavailable',
      `the database does not answer${why === undefined ? '' : ` (${printable(why)})`}: check that it is running and reachable (DATABASE_URL, or the embedded database in the data directory)`,
    );
  }
  return new ControlPlaneError(
    503,
    'storage/failed',
    `the database failed${code === undefined ? '' : ` (${code})`}: ${printable(said?.replace(/\s+/g, ' ') ?? 'no message', 200)}`,
  );
}
