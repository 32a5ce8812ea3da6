/**
 * `guang db copy`: every row of a SQLite database into an empty PostgreSQL one, in one transaction, then
 * verified — each table's row count and a checksum of its rows read back from PostgreSQL against the same
 * from SQLite. Values go as they are: secrets stay encrypted with the key the SQLite file used (the server on
 * PostgreSQL needs that key as GUANG_SECRET_KEY), ids keep their numbers (an order is still 订单 1234) and the
 * identity sequences continue after them.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Db } from '../db.ts';
import { migratePostgres } from './migrate.ts';
import type { PgPool } from './pool.ts';

export interface TableCopy {
  readonly table: string;
  readonly rows: number;
  /** sha256 of the table's rows in key order, the same on both sides. */
  readonly checksum: string;
}

export type CopyResult =
  | { readonly ok: true; readonly tables: readonly TableCopy[]; readonly ms: number }
  | { readonly ok: false; readonly reason: 'not_empty'; readonly tables: readonly string[] }
  | { readonly ok: false; readonly reason: 'mismatch'; readonly problems: readonly string[] }
  /** PostgreSQL refused a row (a value SQLite's loose typing let in): nothing was copied. */
  | { readonly ok: false; readonly reason: 'row_refused'; readonly message: string };

class RowRefused extends Error {}

interface TableInfo {
  readonly name: string;
  readonly columns: readonly string[];
  /** The columns rows are ordered by, for the checksum: the primary key, else every column. */
  readonly order: readonly string[];
  readonly textColumns: ReadonlySet<string>;
  readonly identity: string | null;
  readonly parents: readonly string[];
}

const quote = (id: string) => `"${id.replace(/"/g, '""')}"`;
/** At most this many parameters in one INSERT (PostgreSQL's limit is 65,535). */
const MAX_PARAMS = 30_000;
const READ_BATCH = 5_000;

/** The tables of the SQLite file, parents before children (foreign keys). */
function tablesOf(db: Db): TableInfo[] {
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const infos = new Map<string, TableInfo>();
  for (const name of names) {
    const cols = db.prepare(`PRAGMA table_info(${quote(name)})`).all() as { name: string; type: string; pk: number }[];
    const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    const rowidKey = pk.length === 1 && cols.find((c) => c.name === pk[0])!.type === 'INTEGER' ? pk[0]! : null;
    const parents = [...new Set((db.prepare(`PRAGMA foreign_key_list(${quote(name)})`).all() as { table: string }[]).map((f) => f.table))].filter((t) => t !== name);
    infos.set(name, {
      name, columns: cols.map((c) => c.name), order: pk.length > 0 ? pk : cols.map((c) => c.name),
      textColumns: new Set(cols.filter((c) => c.type === 'TEXT').map((c) => c.name)), identity: rowidKey, parents,
    });
  }
  const ordered: TableInfo[] = [];
  const seen = new Set<string>();
  const visit = (t: TableInfo) => {
    if (seen.has(t.name)) return;
    seen.add(t.name);
    for (const p of t.parents) if (infos.has(p)) visit(infos.get(p)!);
    ordered.push(t);
  };
  for (const t of infos.values()) visit(t);
  return ordered;
}

/** One row's bytes for the checksum: the same for SQLite's values and PostgreSQL's. */
function hashRow(hash: Hash, columns: readonly string[], row: Record<string, unknown>): void {
  hash.update(JSON.stringify(columns.map((c) => {
    const v = row[c];
    return Buffer.isBuffer(v) ? `\\x${v.toString('hex')}` : typeof v === 'bigint' ? Number(v) : v;
  })));
  hash.update('\n');
}

/** Rows a migration inserts itself (the revision counters): replaced by the copy, not a sign of an earlier one. */
async function seededByMigrations(pool: PgPool, tables: readonly TableInfo[]): Promise<{ seeded: Set<string>; used: string[] }> {
  const seeded = new Set<string>();
  const used: string[] = [];
  for (const t of tables) {
    const n = (await pool.query<{ n: number }>(`SELECT COUNT(*)::bigint AS n FROM ${quote(t.name)}`)).rows[0]!.n;
    if (n === 0) continue;
    // A counter still at 0 is the migration's own row.
    const fresh = t.columns.length === 2 && t.columns.includes('rev') && n === 1
      && (await pool.query<{ rev: number }>(`SELECT rev FROM ${quote(t.name)}`)).rows[0]!.rev === 0;
    if (fresh) seeded.add(t.name);
    else used.push(t.name);
  }
  return { seeded, used };
}

/**
 * Copies `db` into the database behind `pool` (migrated first), refusing one that already holds data.
 * @example const r = await copyToPostgres(openDb('data/guang.db'), createPgPool(url)); if (r.ok) console.log(r.tables)
 */
export async function copyToPostgres(db: Db, pool: PgPool, onTable: (t: TableCopy) => void = () => {}): Promise<CopyResult> {
  const started = Date.now();
  await migratePostgres(pool);
  const tables = tablesOf(db);
  const { seeded, used } = await seededByMigrations(pool, tables);
  if (used.length > 0) return { ok: false, reason: 'not_empty', tables: used };

  const copied: TableCopy[] = [];
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const t of tables) {
      if (seeded.has(t.name)) await client.query(`DELETE FROM ${quote(t.name)}`);
      const hash = createHash('sha256');
      let rows = 0;
      const perInsert = Math.max(1, Math.floor(MAX_PARAMS / t.columns.length));
      let batch: unknown[][] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        const params = batch.flat();
        const values = batch.map((_, r) => `(${t.columns.map((__, c) => `$${r * t.columns.length + c + 1}`).join(', ')})`).join(', ');
        try {
          await client.query(`INSERT INTO ${quote(t.name)} (${t.columns.map(quote).join(', ')}) OVERRIDING SYSTEM VALUE VALUES ${values}`, params);
        } catch (err) {
          throw new RowRefused(`${t.name}, rows ${rows - batch.length + 1}–${rows} in key order: ${(err as Error).message}`, { cause: err });
        }
        batch = [];
      };
      const select = `SELECT ${t.columns.map(quote).join(', ')} FROM ${quote(t.name)} ORDER BY ${t.order.map(quote).join(', ')}`;
      for (const row of db.prepare(select).iterate() as IterableIterator<Record<string, unknown>>) {
        hashRow(hash, t.columns, row);
        batch.push(t.columns.map((c) => row[c]));
        rows++;
        if (batch.length >= perInsert) await flush();
      }
      await flush();
      if (t.identity !== null) {
        await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), GREATEST(COALESCE(MAX(${quote(t.identity)}), 0), 1), MAX(${quote(t.identity)}) IS NOT NULL) FROM ${quote(t.name)}`, [t.name, t.identity]);
      }
      const entry = { table: t.name, rows, checksum: hash.digest('hex') };
      copied.push(entry);
      onTable(entry);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    if (err instanceof RowRefused) return { ok: false, reason: 'row_refused', message: err.message };
    throw err;
  } finally {
    client.release();
  }
  const problems = await verify(pool, tables, copied);
  return problems.length > 0 ? { ok: false, reason: 'mismatch', problems } : { ok: true, tables: copied, ms: Date.now() - started };
}

/** Each table read back from PostgreSQL in the same order: its count and checksum against the copy's. */
async function verify(pool: PgPool, tables: readonly TableInfo[], copied: readonly TableCopy[]): Promise<string[]> {
  const problems: string[] = [];
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    for (const t of tables) {
      const want = copied.find((c) => c.table === t.name)!;
      // Text in byte order, as SQLite sorts it, whatever the server's collation.
      const order = t.order.map((c) => (t.textColumns.has(c) ? `${quote(c)} COLLATE "C"` : quote(c))).join(', ');
      await client.query(`DECLARE rows_back NO SCROLL CURSOR FOR SELECT ${t.columns.map(quote).join(', ')} FROM ${quote(t.name)} ORDER BY ${order}`);
      const hash = createHash('sha256');
      let rows = 0;
      for (;;) {
        const got = await client.query<Record<string, unknown>>(`FETCH ${READ_BATCH} FROM rows_back`);
        for (const row of got.rows) hashRow(hash, t.columns, row);
        rows += got.rows.length;
        if (got.rows.length < READ_BATCH) break;
      }
      await client.query('CLOSE rows_back');
      const checksum = hash.digest('hex');
      if (rows !== want.rows) problems.push(`${t.name}: ${want.rows} rows in SQLite, ${rows} in PostgreSQL`);
      else if (checksum !== want.checksum) problems.push(`${t.name}: the rows differ (checksum ${want.checksum.slice(0, 12)} in SQLite, ${checksum.slice(0, 12)} in PostgreSQL)`);
    }
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  return problems;
}
