/**
 * Conversation memory per follower (what was last asked and shown), with an expiry.
 *
 * A save that changes nothing (the same 「女装」 again: the same list shown) leaves the row alone unless it was
 * last written REFRESH_MS ago or more: an unchanged row dirties no page and costs the group commit nothing. So a
 * session expires between `ttlMs - REFRESH_MS` and `ttlMs` after the follower's last message.
 */
import type { AccountId, UserId } from '../core/messages.ts';
import type { Db } from './db.ts';

/** How stale an unchanged session's expiry may get before a save writes it anyway. */
const REFRESH_MS = 60_000;

export function createSessionStore<S>(db: Db, ttlMs: number) {
  const get = db.prepare<[string, string, number], { state: string }>(
    'SELECT state FROM sessions WHERE account = ? AND user_id = ? AND expires_at > ?',
  );
  const put = db.prepare(`
    INSERT INTO sessions (account, user_id, state, expires_at, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (account, user_id) DO UPDATE SET state = excluded.state, expires_at = excluded.expires_at,
      updated_at = excluded.updated_at
    WHERE sessions.state IS NOT excluded.state OR sessions.updated_at <= excluded.updated_at - ${REFRESH_MS}
      OR sessions.expires_at <= excluded.updated_at`);
  const prune = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  const forget = db.prepare('DELETE FROM sessions WHERE account = ? AND user_id = ?');
  return {
    /** The follower's state, or null when there is none or it has expired. */
    get(account: AccountId, user: UserId, now: number): S | null {
      const row = get.get(account, user, now);
      return row ? (JSON.parse(row.state) as S) : null;
    },
    save(account: AccountId, user: UserId, state: S, now: number): void {
      put.run(account, user, JSON.stringify(state), now + ttlMs, now);
    },
    /** Drops the follower's state: their next message starts a new conversation. */
    forget(account: AccountId, user: UserId): void {
      forget.run(account, user);
    },
    prune(now: number): number {
      return prune.run(now).changes;
    },
  };
}
export type SessionStore<S> = ReturnType<typeof createSessionStore<S>>;
