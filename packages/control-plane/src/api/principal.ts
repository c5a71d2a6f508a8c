import type { FastifyRequest } from 'fastify';
import { ControlPlaneError } from '../errors.js';
import type { Versions } from '../db/versions.js';
import type { Principal } from '../users/users.js';

/** The caller of an authenticated request, set by the auth hook in server.ts. */

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** The store's versions as read when the request was authenticated. */
    storeVersions: Versions | null;
  }
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) {
    throw new ControlPlaneError(401, 'auth/missing-token', 'this route needs a bearer token');
  }
  return request.principal;
}

/** The caller, who must be an admin. */
export function adminOf(request: FastifyRequest): Principal {
  const principal = principalOf(request);
  if (principal.role !== 'admin') {
    throw new ControlPlaneError(403, 'auth/forbidden', 'only an admin may do this; ask one');
  }
  return principal;
}

/**
 * The store's versions read when the request was authenticated (after it arrived): what the
 * catalog view catches up to before it answers.
 */
export function storeVersionsOf(request: FastifyRequest): Versions {
  if (!request.storeVersions) {
    throw new ControlPlaneError(401, 'auth/missing-token', 'this route needs a bearer token');
  }
  return request.storeVersions;
}
