/**
 * Conversation memory per follower (what was last asked and shown), with an expiry.
 *
 * A save that changes nothing (the same 「女装」 again: the same list shown) leaves the row alone unless it was
 * last written REFRESH_MS ago or more: an unchanged row dirties no page and costs the group commit nothing. So a
 * session expires between `ttlMs - REFRESH_MS` and `ttlMs` after the follower's last message. Told the state the
 * turn read (`save`'s `read`), the store decides that without a statement at all.
 */
import type { AccountId, UserId } from '../core/messages.ts';
import type { Sql } from './sql/sql.ts';

/** How stale an unchanged session's expiry may get before a save writes it anyway. */
const REFRESH_MS = 60_000;

// `IS DISTINCT FROM` is PostgreSQL's and SQLite's (3.39+) spelling of a NULL-safe "differs".
const PUT = `
  INSERT INTO sessions (account, user_id, state, expires_at, updated_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (account, user_id) DO UPDATE SET state = excluded.state, expires_at = excluded.expires_at,
    updated_at = excluded.updated_at
  WHERE sessions.state IS DISTINCT FROM excluded.state OR sessions.updated_at <= excluded.updated_at - ${REFRESH_MS}
    OR sessions.expires_at <= excluded.updated_at`;

/**
 * PostgreSQL's PUT: the same upsert, attempted only when the row is not already there unchanged. PostgreSQL locks
 * the conflicting row of an ON CONFLICT DO UPDATE even when its WHERE leaves it alone, and a lock is a write: a
 * transaction id, a WAL record and a flush at commit, for a save that changes nothing.
 */
const PUT_CHANGED = `
  INSERT INTO sessions (account, user_id, state, expires_at, updated_at)
  SELECT CAST(? AS text), CAST(? AS text), CAST(? AS text), CAST(? AS bigint), CAST(? AS bigint)
  WHERE NOT EXISTS (
    SELECT 1 FROM sessions WHERE account = ? AND user_id = ? AND state = ? AND updated_at > CAST(? AS bigint) - ${REFRESH_MS}
      AND expires_at > CAST(? AS bigint))
  ON CONFLICT (account, user_id) DO UPDATE SET state = excluded.state, expires_at = excluded.expires_at,
    updated_at = excluded.updated_at
  WHERE sessions.state IS DISTINCT FROM excluded.state OR sessions.updated_at <= excluded.updated_at - ${REFRESH_MS}
    OR sessions.expires_at <= excluded.updated_at`;

/** A row as `get` read it. */
interface Read {
  readonly state: string;
  readonly updatedAt: number;
  readonly expiresAt: number;
}

export function createSessionStore<S>(sql: Sql, ttlMs: number) {
  // The rows behind the states `get` returned (states are objects: see ConversationState), for `save`.
  const rows = new WeakMap<object, Read>();
  return {
    /** The follower's state, or null when there is none or it has expired. */
    async get(account: AccountId, user: UserId, now: number): Promise<S | null> {
      const row = await sql.get<{ state: string; updated_at: number; expires_at: number }>(
        'SELECT state, updated_at, expires_at FROM sessions WHERE account = ? AND user_id = ? AND expires_at > ?', [account, user, now],
      );
      if (!row) return null;
      const state = JSON.parse(row.state) as S;
      if (typeof state === 'object' && state !== null) rows.set(state, { state: row.state, updatedAt: row.updated_at, expiresAt: row.expires_at });
      return state;
    },
    /**
     * Stores the follower's state. `read`: what `get` returned in the same turn; a state equal to it, read from a row
     * written less than REFRESH_MS ago, is not written (PUT would leave the row alone too).
     */
    async save(account: AccountId, user: UserId, state: S, now: number, read?: S | null): Promise<void> {
      const json = JSON.stringify(state);
      const was = typeof read === 'object' && read !== null ? rows.get(read) : undefined;
      if (was && was.state === json && was.updatedAt > now - REFRESH_MS && was.expiresAt > now) return;
      if (sql.dialect === 'postgres') await sql.run(PUT_CHANGED, [account, user, json, now + ttlMs, now, account, user, json, now, now]);
      else await sql.run(PUT, [account, user, json, now + ttlMs, now]);
    },
    /** Drops the follower's state: their next message starts a new conversation. */
    async forget(account: AccountId, user: UserId): Promise<void> {
      await sql.run('DELETE FROM sessions WHERE account = ? AND user_id = ?', [account, user]);
    },
    async prune(now: number): Promise<number> {
      return (await sql.run('DELETE FROM sessions WHERE expires_at <= ?', [now])).changes;
    },
  };
}
export type SessionStore<S> = ReturnType<typeof createSessionStore<S>>;
