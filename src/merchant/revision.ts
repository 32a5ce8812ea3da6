/**
 * The merchant revision: every write to rules, settings or stores takes the next one, inside its own
 * transaction. Every process polls it (one indexed read) and reloads what changed, so a change made by any
 * process — the API, `guang import rules`, a second server — takes effect everywhere within a poll.
 */
import type { Db } from '../db/db.ts';

export function createRevision(db: Db) {
  const bump = db.prepare<[], { rev: number }>('UPDATE merchant_rev SET rev = rev + 1 WHERE id = 1 RETURNING rev');
  const read = db.prepare<[], { rev: number }>('SELECT rev FROM merchant_rev WHERE id = 1');
  return {
    /** Takes the next revision; call inside the write's transaction. */
    next: (): number => bump.get()!.rev,
    current: (): number => read.get()!.rev,
  };
}
