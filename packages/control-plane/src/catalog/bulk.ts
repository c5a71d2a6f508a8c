import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

/**
 * Many rows in one statement: the rows travel as one JSON array, which the database unpacks with
 * json_to_recordset on PGlite and PostgreSQL alike. Thousands of rows as bound parameters cost
 * far more to build (drizzle assembles such a statement slowly) and to send, and a row's jsonb
 * column can go in as the JSON text the caller already has, never encoded twice.
 *
 * The array is read as `json`, not `jsonb`: json_to_recordset walks the text once, where a
 * `jsonb` parameter would first be built into a binary tree of the whole array and then taken
 * apart again (10-20% less wall time for a first sync's insert, in two runs on a busy machine).
 */

interface Column {
  /** The property name in the drizzle table (camelCase). */
  readonly key: string;
  /** The SQL name, quoted. */
  readonly name: string;
  /** The SQL name as it is, the row's JSON key. */
  readonly field: string;
  /** The SQL type json_to_recordset reads the field as. */
  readonly type: string;
  /** What precedes the field's value in a row's JSON: `"field":`, after a comma but first. */
  readonly prefix: string;
}

export interface BulkTable<T extends PgTable> {
  readonly table: T;
  readonly columns: readonly Column[];
}

/** The columns of `table` a bulk write sets: all of them but `omit` (serial ids, mostly). */
export function bulkTable<T extends PgTable>(table: T, omit: readonly string[] = []): BulkTable<T> {
  const columns = Object.entries(getTableColumns(table) as Record<string, PgColumn>)
    .filter(([key]) => !omit.includes(key))
    .map(([key, column], i) => ({
      key,
      name: `"${column.name}"`,
      field: column.name,
      type: column.getSQLType(),
      prefix: `${i === 0 ? '' : ','}${JSON.stringify(column.name)}:`,
    }));
  return { table, columns };
}

/**
 * One row as a JSON object keyed by SQL column name. `encoded` holds columns whose JSON the
 * caller has already (a jsonb value), spliced in as they are.
 */
export function rowJson<T extends PgTable>(
  target: BulkTable<T>,
  row: T['$inferInsert'],
  encoded: Readonly<Record<string, string>> = {},
): string {
  const record = row as Record<string, unknown>;
  let json = '{';
  for (const column of target.columns) {
    json += column.prefix + (encoded[column.key] ?? jsonValue(record[column.key]));
  }
  return `${json}}`;
}

/**
 * One column's value as JSON. Written out by hand because a sync serialises every column of
 * thousands of rows: handing each row to JSON.stringify as an object cost several microseconds
 * a row, mostly in building the object and in each Date's toJSON.
 */
function jsonValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    default:
      return value instanceof Date ? dateJson(value) : JSON.stringify(value);
  }
}

/** A sync stamps every row with the same instant: encode it once, not once per row. */
let lastDate: { readonly ms: number; readonly json: string } | undefined;

function dateJson(date: Date): string {
  const ms = date.getTime();
  if (lastDate?.ms !== ms) lastDate = { ms, json: JSON.stringify(date) };
  return lastDate.json;
}

export interface BulkInsert {
  /** Key columns (SQL names) of a conflict to update in place. */
  readonly conflictOn?: readonly string[];
  /** Columns (property names) a conflict leaves as they were, besides the key. */
  readonly keepOnConflict?: readonly string[];
  /** Insert in the rows' order, so that serial ids follow it. */
  readonly inOrder?: boolean;
}

/** INSERT of `rows` (each from `rowJson`), updating rows whose key exists when asked. */
export function bulkInsert<T extends PgTable>(
  target: BulkTable<T>,
  rows: readonly string[],
  options: BulkInsert = {},
): SQL {
  const names = target.columns.map((c) => c.name).join(', ');
  const definition = target.columns.map((c) => `${c.name} ${c.type}`).join(', ');
  const json = `[${rows.join(',')}]`;
  const source = options.inOrder
    ? sql`ROWS FROM (json_to_recordset(${json}::json) AS (${sql.raw(definition)})) WITH ORDINALITY AS x(${sql.raw(names)}, "row_number") ORDER BY "row_number"`
    : sql`json_to_recordset(${json}::json) AS x(${sql.raw(definition)})`;
  const insert = sql`INSERT INTO ${sql.identifier(getTableName(target.table))} (${sql.raw(names)}) SELECT ${sql.raw(names)} FROM ${source}`;
  const key = options.conflictOn;
  if (key === undefined) return insert;
  const keep = new Set(options.keepOnConflict ?? []);
  const set = target.columns
    .filter((c) => !key.includes(c.field) && !keep.has(c.key))
    .map((c) => `${c.name} = excluded.${c.name}`)
    .join(', ');
  const conflict = key.map((name) => `"${name}"`).join(', ');
  return sql`${insert} ON CONFLICT (${sql.raw(conflict)}) DO UPDATE SET ${sql.raw(set)}`;
}

/** Rows per statement: a few MB of JSON, well within what either engine takes at once. */
export const BULK_CHUNK = 2_000;

export function* bulkChunks<T>(items: readonly T[], size = BULK_CHUNK): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
