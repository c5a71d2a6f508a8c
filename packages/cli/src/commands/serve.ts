import { chmodSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import { startDevcloud, type Devcloud } from '@cloudplane/devcloud';
import {
  MASTER_KEY_ENV,
  loadMasterKey,
  makeLogger,
  startControlPlane,
  type ControlPlane,
  type StorageTarget,
} from '@cloudplane/control-plane';
import { z } from 'zod';
import { lockDataDir } from '../data-dir-lock.js';
import { defaultDataDir } from '../state-dir.js';

/**
 * `cloudplane serve`: the control plane on one machine. With no flags: the embedded database in
 * the state directory, a built-in devcloud with a credential for it, its catalog synced, the API
 * on localhost, and (on first start) an admin token printed once.
 */

export const DEFAULT_PORT = 8430;
const BUILT_IN_CREDENTIAL = 'devcloud-builtin';
/** The built-in devcloud's catalog is the same on every start, so re-syncs find no change. */
const BUILT_IN_SEED = 1;
const FIRST_SYNC_WAIT_MS = 30_000;
/** `--token-out` on a later start replaces the token it wrote last time. */
const TOKEN_OUT_NAME = 'serve --token-out';

const ServeOptions = z.object({
  port: z.coerce.number().int().min(0).max(65_535),
  host: z.string().min(1),
  dataDir: z.string().min(1),
  tokenOut: z.string().min(1).optional(),
  devcloud: z.boolean(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  databaseUrl: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
});
type ServeOptions = z.infer<typeof ServeOptions>;

export function serveCommand(): Command {
  const command = new Command('serve')
    .description('run the control plane: storage, catalog sync, REST API')
    .option('--port <n>', 'port of the API', String(DEFAULT_PORT))
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--data-dir <dir>', 'embedded database, master key and lock', defaultDataDir())
    .option('--token-out <file>', 'write an admin token to this file (mode 0600) for scripts')
    .option('--no-devcloud', 'do not start the built-in devcloud')
    .addOption(
      new Option('--log-level <level>', 'log level (logs go to stderr)')
        .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const)
        .default('info' as const),
    )
    .action(async (raw) => {
      // An empty DATABASE_URL (`DATABASE_URL= cloudplane serve`, a blank line in an env file)
      // means unset, as it does for most tools, rather than an invalid URL.
      const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
      const parsed = ServeOptions.safeParse({ ...raw, databaseUrl });
      if (parsed.success && parsed.data.databaseUrl && !process.env[MASTER_KEY_ENV]) {
        return command.error(
          `cloudplane serve: with DATABASE_URL, every node must open the same credentials: set ${MASTER_KEY_ENV} (generate one with: openssl rand -base64 32) on all of them`,
          { exitCode: 2 },
        );
      }
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return command.error(
          `cloudplane serve: ${issue?.path.join('.') === 'databaseUrl' ? 'DATABASE_URL' : `--${issue?.path.join('.') ?? ''}`}: ${issue?.message ?? 'invalid'}`,
          { exitCode: 2 },
        );
      }
      try {
        await serve(parsed.data);
      } catch (err) {
        return command.error(
          `cloudplane serve: ${err instanceof Error ? err.message : String(err)}`,
          {
            exitCode: 1,
          },
        );
      }
    });
  return command;
}

async function serve(options: ServeOptions): Promise<void> {
  const dataDir = resolve(options.dataDir);
  const unlock = lockDataDir(dataDir);
  const logger = makeLogger({ level: options.logLevel, destination: 'stderr' });
  const storage: StorageTarget = options.databaseUrl
    ? { kind: 'postgres', url: options.databaseUrl }
    : { kind: 'pglite', dataDir: join(dataDir, 'pglite') };
  let devcloud: Devcloud | undefined;
  let plane: ControlPlane | undefined;
  let signalled: Promise<void>;
  const stop = async () => {
    await plane?.close();
    await devcloud?.close();
    unlock();
  };
  try {
    const masterKey = loadMasterKey({ keyFile: join(dataDir, 'master.key') });
    plane = await startControlPlane({
      storage,
      masterKey,
      logger,
      host: options.host,
      port: options.port,
    });
    // The token goes out before anything else can fail: it is shown only on this start.
    if (plane.firstToken) {
      process.stdout.write(`admin token (shown once; keep it): ${plane.firstToken.token}\n`);
    }
    if (options.tokenOut) {
      const token =
        plane.firstToken?.token ??
        (await plane.tokens.replaceNamed(TOKEN_OUT_NAME, plane.firstAdmin.id)).token;
      writeFileSync(options.tokenOut, `${token}\n`, { mode: 0o600 });
      chmodSync(options.tokenOut, 0o600); // the mode above applies only to a new file
    }
    if (options.devcloud) devcloud = await startDevcloud({ seed: BUILT_IN_SEED });
    const synced = devcloud ? await registerBuiltInDevcloud(plane, devcloud) : undefined;
    // Listening before the banner says "Ctrl-C stops it": a signal sent on seeing the banner
    // must find the handler, or it kills the process without a shutdown (and leaves the lock).
    signalled = untilSignalled();
    process.stdout.write(banner(plane, storage, dataDir, plane.firstToken?.token, synced));
  } catch (err) {
    await stop();
    throw err;
  }
  await signalled;
  process.stdout.write('cloudplane: shutting down\n');
  await stop();
}

/**
 * Adds (or refreshes: its port changes every start) the built-in devcloud's credential, queues a
 * sync now and waits for it, so the banner is printed over a synced catalog.
 */
async function registerBuiltInDevcloud(
  plane: ControlPlane,
  cloud: Devcloud,
): Promise<{ offers: number; outcome: string }> {
  const since = Date.now();
  const { id } = await plane.credentials.upsertByName({
    provider: 'devcloud',
    name: BUILT_IN_CREDENTIAL,
    credential: { apiKey: cloud.apiKey, baseUrl: cloud.url },
  });
  await plane.scheduler.syncNow(id);
  for (let waited = 0; waited < FIRST_SYNC_WAIT_MS; waited += 100) {
    const summary = await plane.credentials.require(id);
    if ((summary.sync.lastSyncAt?.getTime() ?? 0) >= since) {
      return { offers: await plane.offerCount(id), outcome: summary.sync.state };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { offers: await plane.offerCount(id), outcome: 'still syncing' };
}

function banner(
  plane: ControlPlane,
  storage: StorageTarget,
  dataDir: string,
  token: string | undefined,
  synced: { offers: number; outcome: string } | undefined,
): string {
  const where = storage.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `embedded, ${dataDir}`;
  return [
    `cloudplane control plane listening on ${plane.url}`,
    `  storage:   ${where}`,
    `  API docs:  ${plane.url}/docs   (OpenAPI: ${plane.url}/openapi.json)`,
    ...(synced
      ? [`  devcloud:  built-in, ${synced.offers} offers in the catalog (sync: ${synced.outcome})`]
      : []),
    ...(token
      ? [
          `  try: curl -H "Authorization: Bearer ${token}" '${plane.url}/v1/offers?gpu=H100&limit=3'`,
        ]
      : [
          '  tokens: use the one printed on first start, or: cloudplane tokens create --name <name>',
        ]),
    'Ctrl-C stops it; the data stays for the next start.',
    '',
  ].join('\n');
}

function untilSignalled(): Promise<void> {
  return new Promise((resolveSignal) => {
    const onSignal = () => {
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolveSignal();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}
