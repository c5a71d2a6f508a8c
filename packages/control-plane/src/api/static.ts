import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import fastifyStatic from '@fastify/static';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyTypeProvider,
  RawServerDefault,
} from 'fastify';

/**
 * The web dashboard (packages/web, built by Vite into packages/web/dist) at `/`:
 *
 * - `/assets/*`: the hashed bundles, cached for a year, sent as their prebuilt `.gz` when the
 *   browser takes gzip (`@fastify/static`, `preCompressed`).
 * - `/` and every other GET a browser navigates to (its Accept names text/html) that no route
 *   answers: `index.html`, so that the dashboard's own paths (`/catalog`, `/instances`) load on a
 *   reload (SPA fallback). Read on each request, so a rebuild shows without a restart.
 *
 * `/v1`, `/docs`, `/openapi.json`, `/healthz`, `/metrics` and `/assets` never fall back: an unknown
 * path there still answers the API's JSON 404, and so does any request that is not a browser's
 * navigation (curl, fetch). The hook only acts where no route matched, so it changes nothing
 * for a route that exists. Without a build, `/` says how to make one.
 *
 * The directory is `CLOUDPLANE_WEB_DIR`, else packages/web/dist beside this package.
 */

const RESERVED = /^\/(?:v1|docs|openapi\.json|healthz|metrics|assets)(?:[/?]|$)/;

export function dashboardDir(): string {
  const fromEnv = process.env.CLOUDPLANE_WEB_DIR?.trim();
  return fromEnv
    ? fromEnv
    : fileURLToPath(new URL('../../../web/dist/', import.meta.url)).replace(/\/$/, '');
}

export async function serveDashboard<
  Logger extends FastifyBaseLogger,
  T extends FastifyTypeProvider,
>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger, T>,
  dir: string = dashboardDir(),
): Promise<void> {
  const index = join(dir, 'index.html');
  const assets = join(dir, 'assets');
  if (existsSync(assets)) {
    await app.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      decorateReply: false,
      preCompressed: true,
      immutable: true,
      maxAge: '365d',
      schemaHide: true,
    });
  }
  app.addHook('onRequest', async (request, reply) => {
    if (!isNavigation(request)) return;
    await sendIndex(request, reply, index);
    return reply;
  });
}

/** A GET or HEAD that no route matched, for `/` or a browser's navigation outside the API. */
function isNavigation(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (request.routeOptions.url !== undefined) return false;
  const path = request.url.split('?', 1)[0] ?? '';
  if (path === '/') return true;
  if (RESERVED.test(path)) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

async function sendIndex(request: FastifyRequest, reply: FastifyReply, file: string) {
  let html: Buffer;
  try {
    html = await readFile(file);
  } catch {
    html = Buffer.from(NOT_BUILT);
  }
  void reply
    .header('cache-control', 'no-cache')
    .header('vary', 'accept-encoding')
    .type('text/html; charset=utf-8');
  if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
    void reply.header('content-encoding', 'gzip');
    html = gzipSync(html);
  }
  return reply.code(200).send(html);
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>cloudplane</title>
<p>The dashboard is not built. Run <code>npm run build -w @cloudplane/web</code> (or
<code>npm start</code>, which builds it), then reload. The API is at <a href="/docs">/docs</a>.</p>`;
