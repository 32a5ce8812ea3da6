/**
 * The merchant revision: every write to accounts, rules, settings or stores takes the next one, inside its own
 * transaction. Every process polls it (one indexed read) and reloads what changed, so a change made by any
 * process — the API, `guang import rules`, a second server — takes effect everywhere within a poll; on
 * PostgreSQL at once, as taking it notifies every instance (change-notices.ts).
 *
 * Taking the next revision locks its row until the write commits (PostgreSQL's row lock; SQLite's write lock),
 * so revisions commit in order: a reader that sees revision N has every write up to N.
 */
import { takeNextRevision } from './change-notices.ts';
import type { Sql, Tx } from './sql/sql.ts';

/** Takes the next revision; call inside the write's transaction. */
export const nextRevision = (tx: Tx): Promise<number> => takeNextRevision(tx, 'merchant_rev');

/** The latest committed revision. */
export const currentRevision = async (on: Sql | Tx): Promise<number> => (await on.get<{ rev: number }>('SELECT rev FROM merchant_rev WHERE id = 1'))!.rev;
