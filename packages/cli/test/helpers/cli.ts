import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { makeLogger, startControlPlane, type ControlPlane } from '@cloudplane/control-plane';
import { startDevcloud, type Devcloud, type DevcloudOptions } from '@cloudplane/devcloud';
import { memoryTarget } from '../../../control-plane/test/helpers/storage.js';
import { fastProviders } from './fast-providers.js';
import { MAIN } from './serve-process.js';

/** The CLI as child processes, and a real control plane in this process for it to talk to. */

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Running {
  readonly child: ChildProcess;
  readonly done: Promise<Ran>;
}

/**
 * Starts `cloudplane ARGS` with ENV over this process's environment. Its stdin is INPUT, or
 * /dev/null when there is none.
 */
export function startCli(env: NodeJS.ProcessEnv, args: string[], input?: string): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  if (input !== undefined) child.stdin?.end(input);
  const done = new Promise<Ran>((resolve) => {
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
  return { child, done };
}

/** Runs `cloudplane ARGS` to its end: its exit code and all it wrote. */
export function runCli(env: NodeJS.ProcessEnv, args: string[], input?: string): Promise<Ran> {
  return startCli(env, args, input).done;
}

/** `cloudplane keys add --name NAME FILE`, asserted to succeed. */
export async function addKey(env: NodeJS.ProcessEnv, name: string, file: string): Promise<void> {
  const added = await runCli(env, ['keys', 'add', '--name', name, file]);
  assert.equal(added.code, 0, added.stderr);
}

/**
 * Adds a devcloud credential NAME for CLOUD to the control plane at URL (with any more fields of
 * the credential in EXTRA), asserts it was created and answers its id.
 */
export async function addDevcloudCredential(
  url: string,
  token: string,
  cloud: Devcloud,
  name = 'dev',
  extra: Record<string, unknown> = {},
): Promise<string> {
  const added = await fetch(`${url}/v1/credentials`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      provider: 'devcloud',
      name,
      credential: { apiKey: cloud.apiKey, baseUrl: cloud.url, ...extra },
    }),
  });
  const text = await added.text();
  assert.equal(added.status, 201, text);
  return z.object({ id: z.string() }).parse(JSON.parse(text)).id;
}

const OfferPage = z.object({ offers: z.array(z.object({ id: z.string() })) });

/** Polls the control plane at URL until its catalog has an available offer, and answers its id. */
export async function waitForOffer(url: string, token: string, ms = 30_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const response = await fetch(`${url}/v1/offers?available=true&limit=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const offer = OfferPage.parse(await response.json()).offers[0];
    if (offer) return offer.id;
    if (Date.now() > deadline) throw new Error('the catalog did not sync');
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface TestPlane {
  readonly plane: ControlPlane;
  /** The first admin's token. */
  readonly token: string;
  /** CLOUDPLANE_URL and CLOUDPLANE_TOKEN (the admin's) for the CLI. */
  readonly env: NodeJS.ProcessEnv;
  /** Closes the control plane, then the devcloud if there is one. */
  close(): Promise<void>;
}

export interface TestPlaneOnDevcloud extends TestPlane {
  readonly cloud: Devcloud;
}

/**
 * A control plane in this process on in-memory PGlite with a random master key, no logs, jobs
 * polled every half second and fastProviders(). With `devcloud`, a devcloud started with those
 * options first, added to the plane as the credential "dev".
 */
export async function startTestPlane(): Promise<TestPlane>;
export async function startTestPlane(options: {
  devcloud: DevcloudOptions;
}): Promise<TestPlaneOnDevcloud>;
export async function startTestPlane(
  options: { devcloud?: DevcloudOptions } = {},
): Promise<TestPlane & { readonly cloud?: Devcloud }> {
  const cloud = options.devcloud === undefined ? undefined : await startDevcloud(options.devcloud);
  let plane: ControlPlane | undefined;
  const close = async () => {
    await plane?.close();
    await cloud?.close();
  };
  try {
    plane = await startControlPlane({
      storage: await memoryTarget(),
      masterKey: randomBytes(32),
      logger: makeLogger({ level: 'silent' }),
      jobPollingIntervalSeconds: 0.5,
      providers: fastProviders(),
    });
    const token = plane.firstToken?.token ?? '';
    if (cloud) await addDevcloudCredential(plane.url, token, cloud);
    const env = { CLOUDPLANE_URL: plane.url, CLOUDPLANE_TOKEN: token };
    return { plane, token, env, close, ...(cloud && { cloud }) };
  } catch (err) {
    await close();
    throw err;
  }
}
