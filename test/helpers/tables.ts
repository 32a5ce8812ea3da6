/**
 * Every table of a database as `rows:checksum` (its rows sorted, hashed): two snapshots differ when any row was
 * inserted, updated or deleted. For proving a dry run left nothing behind, on either database.
 */
import { createHash } from 'node:crypto';
import type { Sql } from '../../src/db/sql/sql.ts';

export async function everyTable(sql: Sql, options: { except?: readonly string[] } = {}): Promise<Record<string, string>> {
  const tables = sql.dialect === 'sqlite'
    ? await sql.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    : await sql.all<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
  const out: Record<string, string> = {};
  for (const { name } of tables.sort((a, b) => a.name.localeCompare(b.name))) {
    if (options.except?.includes(name)) continue;
    const rows = (await sql.all<Record<string, unknown>>(`SELECT * FROM "${name}"`)).map((r) =>
      JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)),
    );
    out[name] = `${rows.length}:${createHash('sha256').update(rows.sort().join('\n')).digest('hex').slice(0, 16)}`;
  }
  return out;
}
