import { z } from 'zod';

/**
 * Database failures, told in a few words. drizzle's query errors carry the whole statement and
 * its parameters in their message (a catalog write is megabytes of offer JSON, and parameters
 * may hold anything), so nothing here ever passes that message on: only the database's own
 * message and its SQLSTATE.
 */

/**
 * Node's errors for a database server that could not be connected to at all: nothing of the
 * attempt reached it.
 */
export const CONNECT_FAILED_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** pg-pool's words when no connection came free, or could be made, within its checkout limit. */
export const POOL_CHECKOUT_TIMED_OUT = /timeout exceeded when trying to connect/i;

/** The longest database message kept; long ones are the database quoting a value back. */
const MAX_MESSAGE = 200;

/** Fields pg's and PGlite's errors and Node's system errors carry; all optional. */
const ErrorFields = z.looseObject({
  code: z.unknown().optional(),
  severity: z.unknown().optional(),
  query: z.unknown().optional(),
  params: z.unknown().optional(),
});

/** PostgreSQL's disk_full, raised when a file cannot be extended. */
const DISK_FULL_SQLSTATE = '53100';
const SQLSTATE = /^[0-9A-Z]{5}$/;
const NO_SPACE = /no space left on device|\bENOSPC\b/i;

export interface StorageFailure {
  /** The metric and log code: `storage/disk-full` or `storage/failed`. */
  readonly code: 'storage/disk-full' | 'storage/failed';
  /** The SQLSTATE or errno code, when the error had one. */
  readonly dbCode: string | undefined;
  /** Short and free of SQL and parameters. */
  readonly message: string;
}

/** What went wrong in the database, or null when `err` did not come from it. */
export function storageFailure(err: unknown): StorageFailure | null {
  let fromDatabase = false;
  let dbCode: string | undefined;
  let dbMessage: string | undefined;
  let diskFull = false;
  for (const e of causes(err)) {
    const fields = ErrorFields.safeParse(e);
    if (!fields.success) continue;
    const { code, severity, query } = fields.data;
    const isQueryError = typeof query === 'string';
    const isDatabaseError =
      typeof severity === 'string' && typeof code === 'string' && SQLSTATE.test(code);
    if (isQueryError || isDatabaseError) fromDatabase = true;
    if (typeof code === 'string') {
      if (code === 'ENOSPC' || code === DISK_FULL_SQLSTATE) diskFull = true;
      if (isDatabaseError || code === 'ENOSPC') dbCode ??= code;
    }
    if (!isQueryError) {
      if (NO_SPACE.test(e.message)) diskFull = true;
      if (isDatabaseError) dbMessage ??= e.message;
    }
  }
  if (!fromDatabase && !diskFull) return null;
  if (diskFull) return { code: 'storage/disk-full', dbCode: dbCode ?? 'ENOSPC', message: '' };
  const said = dbMessage === undefined ? 'no message' : shorten(dbMessage);
  return {
    code: 'storage/failed',
    dbCode,
    message: `the database refused a write${dbCode === undefined ? '' : ` (${dbCode})`}: ${said}`,
  };
}

/**
 * The reason a credential shows when storing its sync failed. `where` names the storage (the
 * data directory, or the PostgreSQL server).
 */
export function storageReason(failure: StorageFailure, where: string): string {
  return failure.code === 'storage/disk-full'
    ? `the database disk is full (ENOSPC): free space on ${where} and the next sync retries`
    : `${failure.message}; the next sync retries`;
}

/** An error's message for a log line: never a query or its parameters, never megabytes. */
export function loggableMessage(err: unknown): string {
  const failure = storageFailure(err);
  if (failure) {
    return failure.code === 'storage/disk-full'
      ? `the database disk is full (${failure.dbCode ?? 'ENOSPC'})`
      : failure.message;
  }
  return shorten(err instanceof Error ? err.message : String(err), 500);
}

function shorten(text: string, max = MAX_MESSAGE): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max)}…`;
}

/** `err` and its causes, outermost first (bounded: a cause chain may loop). */
function causes(err: unknown): Error[] {
  const chain: Error[] = [];
  for (let e: unknown = err; e instanceof Error && chain.length < 10; e = e.cause) {
    if (chain.includes(e)) break;
    chain.push(e);
  }
  return chain;
}
