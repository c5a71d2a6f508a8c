import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { instances } from '../db/schema.js';
import { groupBy } from '../group-by.js';
import type { Tx } from '../db/open.js';
import { keptJson, KeptRow, type KeptVersion } from './known-rows.js';
import type { InstancePatch, ObservedRow } from './observe.js';

/**
 * Guarded updates of many instance rows, one statement for every set of rows that change the
 * same columns: each row is written only if its `updated_at` is still what was read, and the ids
 * written come back. A sync that sees a thousand state changes sends a handful of statements, not
 * a thousand; one UPDATE per row cost a round trip and a query build each.
 *
 * The rows travel as one JSON array unpacked by `json_to_recordset`, as the catalog's bulk
 * writes do, with each column's own SQL type, so PostgreSQL converts every value as an UPDATE
 * with parameters would.
 */

export interface GuardedChange {
  readonly row: Pick<ObservedRow, 'id' | 'updatedAt'>;
  readonly set: InstancePatch;
}

const COLUMNS: Record<string, PgColumn> = getTableColumns(instances);
const WrittenRows = z.object({ rows: z.array(z.object({ id: z.string(), kept: KeptRow })) });

/**
 * The rows written (those still as their `updatedAt` said), each as its new version holds the
 * kept columns, with its stamp (`keptJson`): what the syncer keeps of the row from now on,
 * without reading it again. Read from the version itself, so a column another writer changed
 * without touching `updated_at` comes back as stored, not as this patch assumed.
 */
export async function updateGuarded(
  tx: Tx,
  changes: readonly GuardedChange[],
  now: Date,
): Promise<Map<string, KeptVersion>> {
  const written = new Map<string, KeptVersion>();
  // One statement for the rows that set the same columns (`updatedAt` is always set, to `now`).
  const byShape = groupBy(changes, (change) => columnsSet(change.set).join(','));
  for (const [keys, group] of byShape) {
    const { rows } = WrittenRows.parse(await tx.execute(statement(keys, group, now)));
    for (const row of rows) written.set(row.id, row.kept);
  }
  return written;
}

/** The patch's keys that write a column: drizzle's `set` skips undefined values too. */
function columnsSet(set: InstancePatch): string[] {
  return (Object.keys(set) as (keyof InstancePatch)[])
    .filter((key) => key !== 'updatedAt' && set[key] !== undefined)
    .sort();
}

function statement(keyList: string, group: readonly GuardedChange[], now: Date): SQL {
  const keys = (keyList === '' ? [] : keyList.split(',')) as (keyof InstancePatch)[];
  const columns = keys.map((key) => {
    const column = COLUMNS[key];
    if (!column) throw new Error(`instances has no column for the patch key ${key}`);
    return { key, column };
  });
  const records = group.map(({ row, set }) => {
    const record: Record<string, unknown> = { id: row.id, expected: row.updatedAt.toISOString() };
    for (const { key, column } of columns) {
      record[column.name] = jsonValue(column, set[key]);
    }
    return record;
  });
  const assignments = [
    ...columns.map(
      ({ column }) => sql`${sql.identifier(column.name)} = v.${sql.identifier(column.name)}`,
    ),
    sql`updated_at = ${now.toISOString()}::timestamptz`,
  ];
  const definitions = [
    sql`id text`,
    sql`expected timestamptz`,
    ...columns.map(
      ({ column }) => sql`${sql.identifier(column.name)} ${sql.raw(column.getSQLType())}`,
    ),
  ];
  return sql`UPDATE ${instances} AS i SET ${sql.join(assignments, sql`, `)}
    FROM json_to_recordset(${JSON.stringify(records)}::json) AS v(${sql.join(definitions, sql`, `)})
    WHERE i.id = v.id AND i.updated_at = v.expected
    RETURNING i.id, ${keptJson(sql.raw('i'))} AS kept`;
}

/** A patch value as `json_to_recordset` reads it into the column's type. */
function jsonValue(column: PgColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  // jsonb columns take the value itself; every other column its driver form (text, numbers).
  return column.dataType === 'json' ? value : column.mapToDriverValue(value);
}
