/**
 * Signed-in staff sessions. The cookie carries 32 random bytes; the table keeps only their SHA-256, so a copy of
 * the database (a backup) signs no one in. A session ends after 12 hours without use or 7 days after sign-in,
 * whichever comes first, at sign-out, and when its user is disabled or changes password.
 *
 * Every instance reads the session from the table at each request, so a sign-out, a disabled user or an expiry
 * on one instance holds on all of them; last_seen_at only moves forward, whichever instance touches it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from './sql/sql.ts';
import type { Role } from './staff-users.ts';

export interface SessionLimits {
  readonly idleMs: number;
  readonly absoluteMs: number;
}
const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 12 * 3_600_000, absoluteMs: 7 * 86_400_000 };

/** last_seen_at is written at most this often: a console polling every few seconds need not write each time. */
const TOUCH_MS = 60_000;

export interface StaffSession {
  /** The hash of the cookie's value (the row's key). */
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly store: string | null;
  readonly csrf: string;
  readonly createdAt: number;
}

const hashOf = (cookie: string) => createHash('sha256').update(cookie, 'utf8').digest('hex');

interface Row {
  id: string;
  username: string;
  role: Role;
  store: string | null;
  csrf: string;
  created_at: number;
  last_seen_at: number;
}

/** @example const { cookie, csrf } = await createStaffSessions(sql).start('mei', clock.now()); */
export function createStaffSessions(sql: Sql, limits: SessionLimits = DEFAULT_SESSION_LIMITS) {
  const FIND = `
    SELECT s.id, s.username, u.role, u.store, s.csrf, s.created_at, s.last_seen_at
    FROM staff_sessions s JOIN staff_users u ON u.username = s.username AND u.disabled = 0
    WHERE s.id = ?`;
  const EXPIRED = '(last_seen_at <= ? OR created_at <= ?)';
  const expiredBefore = (now: number) => [now - limits.idleMs, now - limits.absoluteMs];

  return {
    limits,
    /** A new session; the cookie's value is returned once and stored only as a hash. */
    async start(username: string, now: number): Promise<{ cookie: string; csrf: string }> {
      const cookie = randomBytes(32).toString('base64url');
      const csrf = randomBytes(32).toString('base64url');
      await sql.run('INSERT INTO staff_sessions (id, username, csrf, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)', [hashOf(cookie), username, csrf, now, now]);
      return { cookie, csrf };
    },
    /** The live session a cookie value names, or null (unknown, expired, or its user disabled). */
    async find(cookie: string, now: number): Promise<StaffSession | null> {
      const r = await sql.get<Row>(FIND, [hashOf(cookie)]);
      if (!r) return null;
      if (now - r.last_seen_at >= limits.idleMs || now - r.created_at >= limits.absoluteMs) {
        // Only while still expired: another instance may have just used it (its clock a little ahead).
        await sql.run(`DELETE FROM staff_sessions WHERE id = ? AND ${EXPIRED}`, [r.id, ...expiredBefore(now)]);
        return null;
      }
      if (now - r.last_seen_at >= TOUCH_MS) await sql.run('UPDATE staff_sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?', [now, r.id, now]);
      return { id: r.id, username: r.username, role: r.role, store: r.store, csrf: r.csrf, createdAt: r.created_at };
    },
    async end(id: string): Promise<void> {
      await sql.run('DELETE FROM staff_sessions WHERE id = ?', [id]);
    },
    /** Removes expired sessions; returns how many. */
    prune: async (now: number): Promise<number> => (await sql.run(`DELETE FROM staff_sessions WHERE ${EXPIRED}`, expiredBefore(now))).changes,
  };
}
export type StaffSessions = ReturnType<typeof createStaffSessions>;
