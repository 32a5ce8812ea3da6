/**
 * The merchant revision: every write to accounts, rules, settings or stores takes the next one, inside its own
 * transaction. Every process polls it (one indexed read) and reloads what changed, so a change made by any
 * process — the API, `guang import rules`, a second server — takes effect everywhere within a poll.
 *
 * Taking the next revision locks its row until the write commits (PostgreSQL's row lock; SQLite's write lock),
 * so revisions commit in order: a reader that sees revision N has every write up to N.
 */
import type { Sql, Tx } from './sql/sql.ts';

/** Takes the next revision; call inside the write's transaction. */
export const nextRevision = async (tx: Tx): Promise<number> =>
  (await tx.get<{ rev: number }>('UPDATE merchant_rev SET rev = rev + 1 WHERE id = 1 RETURNING rev'))!.rev;

/** The latest committed revision. */
export const currentRevision = async (on: Sql | Tx): Promise<number> => (await on.get<{ rev: number }>('SELECT rev FROM merchant_rev WHERE id = 1'))!.rev;
