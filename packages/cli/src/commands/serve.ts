import { accessSync, constants, existsSync, lstatSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import type { Devcloud } from '@cloudplane/devcloud';
import type { ControlPlane, StorageTarget } from '@cloudplane/control-plane';
import { DEFAULT_DIRECT_LAUNCHES } from '@cloudplane/control-plane/defaults';
import { z } from 'zod';
import { lockDataDir } from '../data-dir-lock.js';
import { writeSecretFile } from '../secret-file.js';
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

/**
 * A flag's whole number. Commander hands flags over as text, and `z.coerce.number()` would read
 * `''` (an unset variable in `--port "$PORT"`) as 0.
 */
const WholeNumber = z
  .string()
  .trim()
  .regex(/^\d+$/, 'expected a whole number (digits only)')
  .transform(Number);

const ServeOptions = z.object({
  port: WholeNumber.pipe(z.number().max(65_535)),
  host: z.string().min(1),
  dataDir: z.string().min(1),
  tokenOut: z.string().min(1).optional(),
  devcloud: z.boolean(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  databaseUrl: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  maxDirectLaunches: WholeNumber.optional(),
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
    .option(
      '--max-direct-launches <n>',
      `launches this node sends to providers itself at once; past it, launches wait for a create worker (default ${String(DEFAULT_DIRECT_LAUNCHES)}; 0: always a create worker)`,
    )
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
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.join('.') ?? '';
        const where = field === 'databaseUrl' ? 'DATABASE_URL' : `--${kebabCase(field)}`;
        return command.error(`cloudplane serve: ${where}: ${issue?.message ?? 'invalid'}`, {
          exitCode: 2,
        });
      }
      // Loaded here, not at the top of the file: every other command (keys, instances, users,
      // ...) starts in about a third of the time without the control plane's modules. Outside
      // the `try` below, so that a broken install is not reported as a data directory problem.
      const controlPlane = await import('@cloudplane/control-plane');
      const { MASTER_KEY_ENV } = controlPlane;
      if (parsed.data.databaseUrl && !process.env[MASTER_KEY_ENV]) {
        return command.error(
          `cloudplane serve: with DATABASE_URL, every node must open the same credentials: set ${MASTER_KEY_ENV} (generate one with: openssl rand -base64 32) on all of them`,
          { exitCode: 2 },
        );
      }
      try {
        await serve(parsed.data, controlPlane);
      } catch (err) {
        return command.error(
          `cloudplane serve: ${startFailure(err, resolve(parsed.data.dataDir), parsed.data.databaseUrl === undefined)}`,
          { exitCode: 1 },
        );
      }
    });
  return command;
}

async function serve(
  options: ServeOptions,
  { loadMasterKey, makeLogger, startControlPlane }: typeof import('@cloudplane/control-plane'),
): Promise<void> {
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
      ...(options.maxDirectLaunches === undefined
        ? {}
        : { maxDirectLaunches: options.maxDirectLaunches }),
    });
    // The token goes out before anything else can fail: it is shown only on this start.
    if (plane.firstToken) {
      process.stdout.write(`admin token (shown once; keep it): ${plane.firstToken.token}\n`);
    }
    if (options.tokenOut) {
      const token =
        plane.firstToken?.token ??
        (await plane.tokens.replaceNamed(TOKEN_OUT_NAME, plane.firstAdmin.id)).token;
      writeSecretFile(options.tokenOut, `${token}\n`);
    }
    if (options.devcloud) {
      const { startDevcloud } = await import('@cloudplane/devcloud');
      devcloud = await startDevcloud({ seed: BUILT_IN_SEED });
    }
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
 *
 * The control plane queues every credential's sync as it starts, before the credential can be
 * refreshed here, so on a restart the first sync may already be running against the previous
 * run's devcloud, which is gone. A sync that finishes degraded is therefore run once more: the
 * second one certainly started after the refresh (one sync per credential runs at a time), and
 * its outcome is the one the banner shows.
 */
export async function registerBuiltInDevcloud(
  plane: ControlPlane,
  cloud: Devcloud,
  waitMs: number = FIRST_SYNC_WAIT_MS,
): Promise<{ offers: number; outcome: string }> {
  const giveUpAt = Date.now() + waitMs;
  const { id } = await plane.credentials.upsertByName({
    provider: 'devcloud',
    name: BUILT_IN_CREDENTIAL,
    credential: { apiKey: cloud.apiKey, baseUrl: cloud.url },
  });
  let finishedAfter = Date.now() - 1;
  for (let round = 1; ; round++) {
    await plane.scheduler.syncNow(id);
    const sync = await nextSync(plane, id, finishedAfter, giveUpAt);
    if (sync === null) return { offers: await plane.offerCount(id), outcome: 'still syncing' };
    if (sync.state === 'ok' || round === 2) {
      return { offers: await plane.offerCount(id), outcome: sync.state };
    }
    finishedAfter = sync.at;
  }
}

/** The credential's first sync to finish after `after` (epoch ms), or null at `giveUpAt`. */
async function nextSync(
  plane: ControlPlane,
  id: string,
  after: number,
  giveUpAt: number,
): Promise<{ state: string; at: number } | null> {
  while (Date.now() < giveUpAt) {
    const { sync } = await plane.credentials.require(id);
    const at = sync.lastSyncAt?.getTime() ?? 0;
    if (at > after) return { state: sync.state, at };
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

/** An option's flag spelling from its field name: `dataDir` is `data-dir`. */
function kebabCase(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** Errors of a file system that will not take a write. */
const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);
const SystemError = z.object({
  code: z.string(),
  path: z.string().optional(),
  syscall: z.string().optional(),
});

/**
 * Why serve could not start, in one line. A data directory it cannot write (permissions, or a
 * read-only file system) is named as such, with what to do; so is a full disk. The embedded
 * database reports an unwritable directory only as "failed to initialize", so an error that
 * carries no system error code has the directory checked for what cannot be written.
 */
export function startFailure(err: unknown, dataDir: string, embedded: boolean): string {
  const system = systemErrorOf(err);
  const unwritable =
    system === null
      ? embedded
        ? firstUnwritable(dataDir)
        : null
      : NOT_WRITABLE.has(system.code) || (system.code === 'ENOENT' && system.syscall === 'mkdir')
        ? refusedWrite(system.path ?? dataDir)
        : null;
  if (unwritable) {
    const { code, path } = unwritable;
    const problem =
      code === 'EROFS'
        ? 'is on a read-only file system (EROFS)'
        : `is not writable by user ${userName()} (${code})`;
    const what = !existsSync(dataDir)
      ? `the data directory ${dataDir} cannot be created: ${path} ${problem}`
      : path === dataDir
        ? `the data directory ${dataDir} ${problem}`
        : `the data directory ${dataDir} cannot be written: ${path} ${problem}`;
    return `${what}; serve keeps its lock, master key and embedded database there: make it writable, or pass another --data-dir`;
  }
  if (system?.code === 'ENOSPC') {
    return `the disk that holds ${dataDir} is full (ENOSPC): free some space and start again`;
  }
  return oneLine(err instanceof Error ? err.message : String(err));
}

/**
 * What refused a write to `path`: the file, or the nearest existing directory above it (a new
 * file, or a directory to be made). Node's recursive mkdir says ENOENT where the parent is on a
 * read-only file system, so the answer comes from access(2), not from the error's own code.
 */
function refusedWrite(path: string): { code: string; path: string } | null {
  let at = path;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  try {
    accessSync(at, constants.W_OK);
    return null;
  } catch (err) {
    const code = SystemError.safeParse(err).data?.code;
    return code !== undefined && NOT_WRITABLE.has(code) ? { code, path: at } : null;
  }
}

/** The first Node system error in `err` and its causes. */
function systemErrorOf(err: unknown): z.infer<typeof SystemError> | null {
  for (let e: unknown = err, n = 0; e instanceof Error && n < 10; e = e.cause, n++) {
    const parsed = SystemError.safeParse(e);
    if (parsed.success && /^E[A-Z]+$/.test(parsed.data.code)) return parsed.data;
  }
  return null;
}

/**
 * The first entry under `dir` (itself included) this process may not write, breadth first and
 * at most 20,000 entries; null when all of them are writable or `dir` does not exist.
 */
function firstUnwritable(dir: string): { code: string; path: string } | null {
  const queue = [dir];
  for (let seen = 0; queue.length > 0 && seen < 20_000; seen++) {
    const path = queue.shift() ?? dir;
    let isDirectory: boolean;
    try {
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) continue;
      isDirectory = stat.isDirectory();
      accessSync(path, constants.W_OK);
    } catch (err) {
      const code = SystemError.safeParse(err).data?.code;
      if (code !== undefined && NOT_WRITABLE.has(code)) return { code, path };
      continue;
    }
    if (isDirectory) {
      try {
        for (const name of readdirSync(path)) queue.push(join(path, name));
      } catch {
        // unreadable: the access check above names it if it matters
      }
    }
  }
  return null;
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
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
