/**
 * SQL expressions the two databases write differently, for stores written once against `Sql`. Pure: each
 * takes the dialect and returns the text to splice into a statement (never a value: values are parameters).
 */
import type { Sql } from './sql.ts';

type Dialect = Sql['dialect'];

/**
 * The calendar day (YYYY-MM-DD) of a time column in ms since the epoch, at a fixed offset from UTC.
 * @example dayOf('postgres', 'created_at', 8 * 3600_000) // to_char(…, 'YYYY-MM-DD')
 */
export function dayOf(dialect: Dialect, column: string, offsetMs: number): string {
  const ms = `(${column} + ${Math.trunc(offsetMs)})`;
  return dialect === 'postgres'
    ? `to_char(to_timestamp(${ms} / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
    : `date(${ms} / 1000, 'unixepoch')`;
}

/**
 * A top-level field of a JSON object kept in a TEXT column, as text (NULL when absent). `key` is a constant
 * of the code: letters, digits and _ only.
 */
export function jsonField(dialect: Dialect, column: string, key: string): string {
  if (!/^\w+$/.test(key)) throw new TypeError(`jsonField: ${key} is not a plain key`);
  return dialect === 'postgres' ? `(${column}::jsonb ->> '${key}')` : `json_extract(${column}, '$.${key}')`;
}

/** 1 where `condition` holds, else 0, summable on both (PostgreSQL has no integer booleans). */
export const countIf = (condition: string): string => `CASE WHEN ${condition} THEN 1 ELSE 0 END`;

/**
 * The texts of a JSON array bound as one parameter, as a one-column table named `value`: a list of any length
 * in one statement shape. @example `x IN (${jsonTexts(sql.dialect)})` with `JSON.stringify(['a', 'b'])` bound
 */
export function jsonTexts(dialect: Dialect): string {
  return dialect === 'postgres' ? 'SELECT value FROM jsonb_array_elements_text(CAST(? AS jsonb)) AS value' : 'SELECT value FROM json_each(?)';
}
