import assert from 'node:assert/strict';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { listAllInstances, type AdminInstance } from '@cloudplane/devcloud';
import { provider as devcloud, REF_ID_TAG } from '@cloudplane/provider-devcloud';
import { generateSshKeyPair, type CloudClient, type SshKeyPair } from '@cloudplane/sdk';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { InstanceDto } from '../../src/api/instance-dto.js';
import { instances } from '../../src/db/schema.js';
import type { InstanceRow } from '../../src/instances/observe.js';
import type { Plane } from './plane.js';

/** Users, keys and instances through the real API of a test plane, answers parsed with the DTOs. */

export type InstanceBody = z.infer<typeof InstanceDto>;

/** A caller of the API with one token. */
export interface Caller {
  readonly token: string;
  readonly userId: string;
  call(path: string, init?: RequestInit): Promise<Response>;
}

export function callerFor(plane: Plane, token: string, userId: string): Caller {
  return {
    token,
    userId,
    call: (path, init = {}) =>
      fetch(`${plane.plane.url}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(init.headers as Record<string, string> | undefined),
        },
      }),
  };
}

export function admin(plane: Plane): Caller {
  return callerFor(plane, plane.token, plane.plane.firstAdmin.id);
}

export async function json(response: Response, status: number): Promise<unknown> {
  const text = await response.text();
  assert.equal(response.status, status, `expected HTTP ${String(status)}: ${text}`);
  return text === '' ? null : (JSON.parse(text) as unknown);
}

/** A new user with a token of their own. */
export async function addUser(
  plane: Plane,
  name: string,
  role: 'admin' | 'member' = 'member',
): Promise<Caller> {
  const root = admin(plane);
  const user = z
    .object({ id: z.string() })
    .parse(
      await json(
        await root.call('/v1/users', { method: 'POST', body: JSON.stringify({ name, role }) }),
        201,
      ),
    );
  const token = z.object({ token: z.string() }).parse(
    await json(
      await root.call('/v1/tokens', {
        method: 'POST',
        body: JSON.stringify({ name: `${name}-token`, user: name }),
      }),
      201,
    ),
  );
  return callerFor(plane, token.token, user.id);
}

export async function addKey(
  caller: Caller,
  name = 'laptop',
): Promise<{ id: string; pair: SshKeyPair }> {
  const pair = generateSshKeyPair(name);
  const key = z.object({ id: z.string() }).parse(
    await json(
      await caller.call('/v1/users/me/ssh-keys', {
        method: 'POST',
        body: JSON.stringify({ name, publicKey: pair.publicKey }),
      }),
      201,
    ),
  );
  return { id: key.id, pair };
}

/** The cheapest available offer once the catalog has synced. */
export async function anOffer(plane: Plane, query = ''): Promise<string> {
  await plane.until(
    async () => (await plane.plane.offerCount(plane.credentialId)) > 0,
    'the catalog',
  );
  const page = z
    .object({ offers: z.array(z.object({ id: z.string() })) })
    .parse(await json(await plane.call(`/v1/offers?available=true&limit=1${query}`), 200));
  const offer = page.offers[0];
  assert.ok(offer, 'an available offer');
  return offer.id;
}

export async function launch(
  caller: Caller,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return caller.call('/v1/instances', { method: 'POST', body: JSON.stringify(body), headers });
}

export async function getInstance(caller: Caller, id: string): Promise<InstanceBody> {
  return InstanceDto.parse(await json(await caller.call(`/v1/instances/${id}`), 200));
}

/** Polls until the instance is in `state` with no pending action (or fails, on `failed`). */
export async function waitForState(
  plane: Plane,
  caller: Caller,
  id: string,
  state: InstanceBody['state'],
  ms = 60_000,
): Promise<InstanceBody> {
  let last: InstanceBody | undefined;
  await plane.until(
    async () => {
      last = await getInstance(caller, id);
      if (last.state === 'failed' && state !== 'failed') {
        throw new Error(`instance ${id} failed: ${JSON.stringify(last.lastError)}`);
      }
      return last.state === state && last.pendingAction === null;
    },
    `instance ${id} to be ${state}`,
    ms,
  );
  if (!last) throw new Error('polled at least once');
  return last;
}

/** Every instance the devcloud really holds with this refId (ground truth, no faults). */
export async function cloudInstances(plane: Plane, refId?: string): Promise<AdminInstance[]> {
  return listAllInstances(
    plane.cloud,
    refId === undefined ? {} : { tag: `${REF_ID_TAG}:${refId}` },
  );
}

export const LIVE_NATIVE = new Set([
  'provisioning',
  'booting',
  'running',
  'stopping',
  'stopped',
  'starting',
  'rebooting',
]);

/**
 * Reads GET /v1/events of `node` (a control plane, or an https:// proxy whose certificate is
 * `ca`) as `caller` until `signal` aborts, handing each event's JSON to `onEvent`. Resolves once
 * the stream is open (HTTP 200 and the first comment).
 */
export function streamEvents(
  node: { readonly url: string },
  caller: Caller,
  onEvent: (data: unknown) => void,
  signal: AbortSignal,
  ca?: string,
): Promise<{ contentType: string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const url = `${node.url}/v1/events`;
    const headers = { authorization: `Bearer ${caller.token}` };
    const req = url.startsWith('https:')
      ? httpsRequest(url, { headers, signal, ca })
      : request(url, { headers, signal });
    req.on('error', (err) => {
      if (!signal.aborted) reject(err);
    });
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`GET /v1/events: HTTP ${String(res.statusCode)}`));
        return;
      }
      let buffer = '';
      const closed = new Promise<void>((done) => {
        res.on('close', () => {
          done();
        });
      });
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = message.split('\n').find((line) => line.startsWith('data: '));
          if (data) onEvent(JSON.parse(data.slice(6)));
        }
      });
      res.on('error', () => undefined);
      resolve({ contentType: String(res.headers['content-type']), closed });
    });
    req.end();
  });
}

/**
 * A launch of the first available offer with `keyId`, once running, as its stored row: a
 * template for rows a test writes itself (a launch in a state the API cannot make).
 */
export async function runningRow(
  plane: Plane,
  caller: Caller,
  keyId: string,
): Promise<InstanceRow> {
  const made = z
    .object({ id: z.string() })
    .parse(
      await json(
        await launch(caller, { offerId: await anOffer(plane), name: 'tmpl', sshKeyIds: [keyId] }),
        202,
      ),
    );
  await waitForState(plane, caller, made.id, 'running');
  const [row] = await plane.plane.storage.db
    .select()
    .from(instances)
    .where(eq(instances.id, made.id));
  assert.ok(row, 'the launch is stored');
  return row;
}

/** A client of the plane's devcloud credential, for acting behind the control plane's back. */
export function directClient(plane: Plane): CloudClient {
  return devcloud.makeClient({
    credential: { apiKey: plane.cloud.apiKey, baseUrl: plane.cloud.url, defects: [] },
    cloudCredRefId: plane.credentialId,
  });
}
