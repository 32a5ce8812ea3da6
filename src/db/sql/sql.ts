/**
 * The asynchronous data-access contract both databases implement: SQLite (the embedded default, src/db/sql/sqlite.ts)
 * and PostgreSQL (src/db/sql/postgres.ts). A store is written once against `Sql` with `?` placeholders and SQL both
 * databases accept (ON CONFLICT, RETURNING, CTEs); where they differ it branches on `dialect`.
 *
 * A write runs in a transaction: `transaction(fn)` is one all-or-nothing unit, committed before its promise
 * resolves. On SQLite the units of one turn of the event loop share a commit (group commit: a commit costs more
 * than the statements in it); on PostgreSQL each unit has its own connection and transaction, and the lone writes
 * (`run` and friends outside a unit) of one turn share one, sent in one round trip. Either way a unit's
 * body may run more than once (after a neighbour's failure on SQLite, after a deadlock or serialization failure on
 * PostgreSQL), so it must only touch the database.
 */

type Dialect = 'sqlite' | 'postgres';

/** A bound value. Booleans are stored as 0/1 and times as ms since the epoch, as in SQLite. */
export type Param = string | number | bigint | null | Uint8Array;

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  readonly changes: number;
}

/** Statements; inside a transaction they see its own writes. */
interface Statements {
  readonly dialect: Dialect;
  all<R>(text: string, params?: readonly Param[]): Promise<R[]>;
  /** The first row, or undefined. */
  get<R>(text: string, params?: readonly Param[]): Promise<R | undefined>;
  run(text: string, params?: readonly Param[]): Promise<RunResult>;
}

export interface TransactionOptions {
  /**
   * Units with the same lock key never overlap, across every instance on the database (PostgreSQL: a transaction-
   * scoped advisory lock; SQLite: already true, its write lock serialises every unit).
   */
  readonly lock?: string;
}

/** A transaction's statements; `transaction` nests as a savepoint. */
export interface Tx extends Statements {
  transaction<T>(fn: (tx: Tx) => Promise<T> | T): Promise<T>;
}

export interface Sql extends Statements {
  /** A read outside any transaction sees committed data; `run` is a one-statement transaction. */
  transaction<T>(fn: (tx: Tx) => Promise<T> | T, options?: TransactionOptions): Promise<T>;
  /** Closes the connection or pool (after the pending units have committed). */
  close(): Promise<void>;
}
