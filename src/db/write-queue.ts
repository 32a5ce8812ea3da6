/**
 * The group commit for synchronous writes (better-sqlite3 calls of code not yet written against `Sql`): they
 * share the batches of the connection's `Sql` adapter (src/db/sql/sqlite.ts), so a message's claim, answer log
 * and session still cost one commit between them, whichever API wrote them.
 */
import type { Db } from './db.ts';
import { sqliteSql, type WriteQueue } from './sql/sqlite.ts';
import type { WriteHealth } from './write-health.ts';

export type { WriteQueue } from './sql/sqlite.ts';

/**
 * The write queue of `db` (one per connection).
 * @param health told of every batch's outcome, so a failing disk shows in /readyz and the log (once per burst).
 */
export function createWriteQueue(db: Db, health?: WriteHealth): WriteQueue {
  return sqliteSql(db, health).writes;
}
