/**
 * A PostgreSQL connection pool for a `postgres://` URL (the `pg` driver). 64-bit integers and numerics (SUM,
 * AVG) come back as numbers, as SQLite gives them: every one this project stores (ms times, ids, fen) is far below 2^53.
 */
import pg from 'pg';

export type PgPool = pg.Pool;

/** True for a PostgreSQL URL (GUANG_DB=postgres://…), false for a file path. */
export const isPostgresUrl = (s: string): boolean => /^postgres(?:ql)?:\/\//i.test(s.trim());

/** The URL with its password hidden, for messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

const INT8 = 20;
/** numeric: what SUM and AVG of integers give; Guang's sums (fen, counts) fit a double exactly. */
const NUMERIC = 1700;
const asNumber = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`a 64-bit integer beyond 2^53 (${v}): Guang stores none such`);
  return n;
};

/**
 * A pool of at most `max` connections to `url` (nothing connects until the first query). Its connections are in
 * the driver's pipeline mode: queries made without awaiting the one before leave at once instead of one per round
 * trip, which the adapter's groups of lone statements rely on (src/db/sql/postgres.ts); awaited one by one, as
 * everything else sends them, they behave as without it.
 */
export function createPgPool(url: string, max = 10): PgPool {
  const types = { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 ? asNumber : oid === NUMERIC ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser };
  const pool = new pg.Pool({ connectionString: url, max, types, connectionTimeoutMillis: 10_000, pipeline: true });
  // An idle connection the server ends (a restart, a failover, an administrator's pg_terminate_backend) is an
  // 'error' on the pool, which would crash the process with no listener. The pool has already dropped it; the
  // next query opens a new one, and a query under way fails on its own promise.
  pool.on('error', () => {});
  // A connection that ends while checked out (mid-unit, or between two statements of one) is an 'error' on the
  // client itself, and the pool listens only to idle ones: with no listener it would crash the process. The
  // statements under way fail on their own promises, and the client, no longer queryable, is destroyed on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
