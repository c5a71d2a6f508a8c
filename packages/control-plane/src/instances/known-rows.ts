import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { LIFECYCLE_STATES } from '@cloudplane/sdk';
import { z } from 'zod';
import type { Db } from '../db/open.js';
import { ACTIONS, credentials, instances, orphans } from '../db/schema.js';
import { isLiveInstance, isLiveRow } from './live.js';
import { INSTANCE_NOT_VOUCHED } from './outcome.js';
import type { ObservedRow } from './observe.js';
import { bulkChunks } from '../catalog/bulk.js';

/**
 * What this node knows of each credential's live instance rows, so that a sync need not read
 * them all every tick. Rows are written by many paths (the syncer, launches, actions, the API,
 * other nodes), so unlike the catalog no single writer can vouch for them. What every write does
 * leave behind is a new row version, which PostgreSQL (on PGlite as on a server) puts at a new
 * place (`ctid`) and marks with the id of the transaction that wrote it (`xmin`), whichever node
 * wrote it and whatever its clock says. Each kept row remembers a 64-bit hash of the two for the
 * version it was read at (its stamp, computed by the database), and one indexed statement per
 * tick sums the stamps of the credential's live rows, with their count. Those equal the kept
 * rows' count and sum when no live row was written, added or ended since (a different set
 * summing alike is a 2^-64 chance); otherwise the stamps are listed and only the rows that moved
 * are read again. The place alone changes with every update (the old version still occupies its
 * own), so even a transaction id that came round again after wraparound changes the stamp.
 *
 * A timestamp would not do: `updated_at` comes from each node's clock (a node behind would hide
 * its writes under a newer maximum), and not every writer sets it.
 */

export interface LiveRows {
  readonly byId: ReadonlyMap<string, ObservedRow>;
  readonly byCloudId: ReadonlyMap<string, ObservedRow>;
  readonly byRefId: ReadonlyMap<string, ObservedRow>;
}

/** The credential's stored instance state, as one sync needs it. */
export interface CredentialInstances {
  readonly live: LiveRows;
  /** Orphans stored for the credential. */
  readonly storedOrphans: number;
  /** Whether the credential's last instance list failed (its error is still shown). */
  readonly listFailing: boolean;
  readonly orphanTerminateAfterMs: number | null;
  /** Live rows showing INSTANCE_NOT_VOUCHED, which a list that has their instance clears. */
  readonly unvouched: number;
}

interface Known extends LiveRows {
  readonly byId: Map<string, ObservedRow>;
  readonly byCloudId: Map<string, ObservedRow>;
  readonly byRefId: Map<string, ObservedRow>;
  readonly stamps: Map<string, bigint>;
  sum: bigint;
}

const Glance = z.object({
  rows: z.array(
    z.object({
      live: z.coerce.number(),
      sum: z.string(),
      unvouched: z.coerce.number(),
      orphans: z.coerce.number(),
      failing: z.boolean().nullable(),
      terminateAfter: z.coerce.number().nullable(),
    }),
  ),
});

const Stamps = z.object({ rows: z.array(z.object({ id: z.string(), stamp: z.string() })) });

/**
 * A row version's stamp: a hash of where it is, seeded with the transaction that wrote it.
 * `table` is how the statement names the instances table. In an UPDATE's RETURNING it is the
 * new version's, so a writer learns the stamp the next glance will see (`keptJson`).
 */
export function stampOf(table: SQL): SQL {
  return sql`hashtidextended(${table}.ctid, ${table}.xmin::text::bigint)`;
}
const STAMP_SQL = stampOf(sql`${instances}`);
const STAMP = sql<string>`${STAMP_SQL}::text`;

/** Rows fetched by id at a time when some of a credential's rows moved. */
const FETCH_CHUNK = 500;

/** The kept columns (ObservedRow's), by the name each has in a kept row. */
export const KEPT_COLUMNS: Readonly<Record<keyof ObservedRow, PgColumn>> = {
  id: instances.id,
  refId: instances.refId,
  userId: instances.userId,
  location: instances.location,
  cloudId: instances.cloudId,
  state: instances.state,
  nativeStatus: instances.nativeStatus,
  statusMessage: instances.statusMessage,
  publicIp: instances.publicIp,
  privateIp: instances.privateIp,
  hostname: instances.hostname,
  sshUser: instances.sshUser,
  sshPort: instances.sshPort,
  stoppable: instances.stoppable,
  rebootable: instances.rebootable,
  launchedAt: instances.launchedAt,
  pendingAction: instances.pendingAction,
  terminatedAt: instances.terminatedAt,
  updatedAt: instances.updatedAt,
};

/** Values in a kept row's array: the kept columns, then the stamp. */
const KEPT_VALUES = Object.keys(KEPT_COLUMNS).length + 1;

/**
 * The kept columns and the version's stamp as one JSON array per row, in KEPT_COLUMNS' order
 * with the stamp last (`table`: how the statement names the instances table). A read aggregates
 * them into one JSON array, so the driver hands back one value, parsed natively, instead of
 * decoding every field of every row (PGlite spends most of a 1,000-row read there); a guarded
 * UPDATE returns them for the new versions it wrote (`updateGuarded`). An array, not an object:
 * naming every field of every row made the database's work twice as dear (a cold node's read of
 * 100,000 rows on PGlite: about 1.1 s of CPU as objects, 0.55 s as arrays).
 */
export function keptJson(table: SQL): SQL {
  const fields = Object.values(KEPT_COLUMNS).map(
    (column) => sql`${table}.${sql.identifier(column.name)}`,
  );
  return sql`json_build_array(${sql.join(fields, sql`, `)}, ${stampOf(table)}::text)`;
}
const KEPT_JSON = keptJson(sql`${instances}`);

const At = z.coerce.date();

const KeptObject = z.object({
  id: z.string(),
  refId: z.string(),
  userId: z.string(),
  location: z.string(),
  cloudId: z.string().nullable(),
  state: z.enum(LIFECYCLE_STATES),
  nativeStatus: z.string().nullable(),
  statusMessage: z.string().nullable(),
  publicIp: z.string().nullable(),
  privateIp: z.string().nullable(),
  hostname: z.string().nullable(),
  sshUser: z.string().nullable(),
  sshPort: z.number().int().nullable(),
  stoppable: z.boolean(),
  rebootable: z.boolean(),
  launchedAt: At.nullable(),
  pendingAction: z.enum(ACTIONS).nullable(),
  terminatedAt: At.nullable(),
  updatedAt: At,
  stamp: z.string(),
}) satisfies z.ZodType<ObservedRow & { stamp: string }>;

/**
 * One row version as `keptJson` sends it, named field by field and checked. Named in one object
 * literal, in KEPT_COLUMNS' order, so that every kept row shares one shape.
 */
export const KeptRow = z
  .array(z.unknown())
  .length(KEPT_VALUES)
  .transform(
    ([
      id,
      refId,
      userId,
      location,
      cloudId,
      state,
      nativeStatus,
      statusMessage,
      publicIp,
      privateIp,
      hostname,
      sshUser,
      sshPort,
      stoppable,
      rebootable,
      launchedAt,
      pendingAction,
      terminatedAt,
      updatedAt,
      stamp,
    ]) => ({
      id,
      refId,
      userId,
      location,
      cloudId,
      state,
      nativeStatus,
      statusMessage,
      publicIp,
      privateIp,
      hostname,
      sshUser,
      sshPort,
      stoppable,
      rebootable,
      launchedAt,
      pendingAction,
      terminatedAt,
      updatedAt,
      stamp,
    }),
  )
  .pipe(KeptObject);

const KeptRows = z.object({
  rows: z.array(z.object({ kept: z.array(KeptRow).nullable() })),
});

/** A row version as kept: the kept columns and the version's stamp. */
export type KeptVersion = z.infer<typeof KeptRow>;

export class KnownInstanceRows {
  private readonly known = new Map<string, Known>();

  constructor(private readonly db: Db) {}

  /** The credential's live rows, from memory while none moved, plus its orphan and list state. */
  async load(credentialId: string): Promise<CredentialInstances> {
    const glance = await this.glance(credentialId);
    let known = this.known.get(credentialId);
    if (known === undefined) {
      known = await this.readAll(credentialId);
    } else if (known.byId.size !== glance.live || known.sum.toString() !== glance.sum) {
      await this.catchUp(credentialId, known);
    }
    return {
      live: known,
      storedOrphans: glance.orphans,
      listFailing: glance.failing === true,
      orphanTerminateAfterMs: glance.terminateAfter,
      unvouched: glance.unvouched,
    };
  }

  /**
   * Takes the row versions this node's own writes made (as their UPDATE returned them, once
   * committed) into the kept rows, without reading them again: the next glance then sums what is
   * kept, unless another writer moves a row after this node's write. A version no longer live is
   * let go.
   */
  written(credentialId: string, versions: Iterable<KeptVersion>): void {
    const known = this.known.get(credentialId);
    if (known === undefined) return;
    for (const version of versions) {
      if (isLiveRow(version)) put(known, version, BigInt(version.stamp));
      else drop(known, version.id);
    }
  }

  /**
   * Reads these rows again after this node tried to write them (the guard left them alone, or
   * a write whose version it did not get back), so the next load finds them as stored. Rows no
   * longer live are let go.
   */
  async refresh(credentialId: string, ids: readonly string[]): Promise<void> {
    const known = this.known.get(credentialId);
    if (known === undefined || ids.length === 0) return;
    const fresh = await this.fetch(credentialId, ids);
    for (const id of ids) {
      const row = fresh.get(id);
      if (row) put(known, row.row, row.stamp);
      else drop(known, id);
    }
  }

  forget(credentialId: string): void {
    this.known.delete(credentialId);
  }

  /** One statement: the live rows' count and stamp sum, and the credential's other state. */
  private async glance(credentialId: string): Promise<z.infer<typeof Glance>['rows'][number]> {
    const [row] = Glance.parse(
      await this.db.execute(sql`
        SELECT count(*) AS live,
          coalesce(sum(${STAMP_SQL}), 0)::text AS sum,
          count(*) FILTER (WHERE ${instances.lastErrorCode} = ${INSTANCE_NOT_VOUCHED}) AS unvouched,
          (SELECT count(*) FROM ${orphans} WHERE ${orphans.credentialId} = ${credentialId}) AS orphans,
          (SELECT ${credentials.instancesSyncError} IS NOT NULL FROM ${credentials} WHERE ${credentials.id} = ${credentialId}) AS failing,
          (SELECT ${credentials.orphanTerminateAfterMs} FROM ${credentials} WHERE ${credentials.id} = ${credentialId}) AS "terminateAfter"
        FROM ${instances}
        WHERE ${instances.credentialId} = ${credentialId} AND ${isLiveInstance()}`),
    ).rows;
    if (!row) throw new Error('an aggregate query returned no row');
    return row;
  }

  private async readAll(credentialId: string): Promise<Known> {
    const rows = await this.read(sql`${instances.credentialId} = ${credentialId}`);
    const known: Known = {
      byId: new Map(),
      byCloudId: new Map(),
      byRefId: new Map(),
      stamps: new Map(),
      sum: 0n,
    };
    // Each row keeps its `stamp` field: copying 1,000s of rows without it would cost more.
    for (const row of rows) put(known, row, BigInt(row.stamp));
    this.known.set(credentialId, known);
    return known;
  }

  /** Lists the live rows' stamps, lets go of rows that left, and reads those that moved. */
  private async catchUp(credentialId: string, known: Known): Promise<void> {
    const { rows } = Stamps.parse(
      await this.db.execute(sql`
        SELECT ${instances.id} AS id, ${STAMP} AS stamp FROM ${instances}
        WHERE ${instances.credentialId} = ${credentialId} AND ${isLiveInstance()}`),
    );
    const listed = new Set<string>();
    const moved: string[] = [];
    for (const { id, stamp } of rows) {
      listed.add(id);
      if (known.stamps.get(id) !== BigInt(stamp)) moved.push(id);
    }
    for (const id of [...known.byId.keys()]) if (!listed.has(id)) drop(known, id);
    const fresh = await this.fetch(credentialId, moved);
    for (const id of moved) {
      const row = fresh.get(id);
      if (row) put(known, row.row, row.stamp);
      else drop(known, id); // ended (or moved again and ended) since the versions were listed
    }
  }

  private async fetch(
    credentialId: string,
    ids: readonly string[],
  ): Promise<Map<string, { row: ObservedRow; stamp: bigint }>> {
    const found = new Map<string, { row: ObservedRow; stamp: bigint }>();
    for (const chunk of bulkChunks(ids, FETCH_CHUNK)) {
      const rows = await this.read(
        and(eq(instances.credentialId, credentialId), inArray(instances.id, chunk)) ?? sql`false`,
      );
      for (const row of rows) found.set(row.id, { row, stamp: BigInt(row.stamp) });
    }
    return found;
  }

  /** The live rows that also match `where`, each with its stamp. */
  private async read(where: SQL): Promise<z.infer<typeof KeptRow>[]> {
    const { rows } = KeptRows.parse(
      await this.db.execute(sql`
        SELECT json_agg(${KEPT_JSON}) AS kept FROM ${instances}
        WHERE ${where} AND ${isLiveInstance()}`),
    );
    return rows[0]?.kept ?? [];
  }
}

function put(known: Known, row: ObservedRow, stamp: bigint): void {
  drop(known, row.id);
  known.byId.set(row.id, row);
  known.byRefId.set(row.refId, row);
  if (row.cloudId !== null) known.byCloudId.set(row.cloudId, row);
  known.stamps.set(row.id, stamp);
  known.sum += stamp;
}

function drop(known: Known, id: string): void {
  const row = known.byId.get(id);
  const stamp = known.stamps.get(id);
  if (row === undefined || stamp === undefined) return;
  known.byId.delete(id);
  known.stamps.delete(id);
  known.sum -= stamp;
  if (known.byRefId.get(row.refId) === row) known.byRefId.delete(row.refId);
  if (row.cloudId !== null && known.byCloudId.get(row.cloudId) === row) {
    known.byCloudId.delete(row.cloudId);
  }
}
