/**
 * Signed-in staff sessions. The cookie carries 32 random bytes; the table keeps only their SHA-256, so a copy of
 * the database (a backup) signs no one in. A session ends after 12 hours without use or 7 days after sign-in,
 * whichever comes first, at sign-out, and when its user is disabled or changes password.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './db.ts';
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

export function createStaffSessions(db: Db, limits: SessionLimits = DEFAULT_SESSION_LIMITS) {
  const insert = db.prepare('INSERT INTO staff_sessions (id, username, csrf, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)');
  const find = db.prepare<[string], Row>(`
    SELECT s.id, s.username, u.role, u.store, s.csrf, s.created_at, s.last_seen_at
    FROM staff_sessions s JOIN staff_users u ON u.username = s.username AND u.disabled = 0
    WHERE s.id = ?`);
  const touch = db.prepare('UPDATE staff_sessions SET last_seen_at = ? WHERE id = ?');
  const remove = db.prepare('DELETE FROM staff_sessions WHERE id = ?');
  const prune = db.prepare('DELETE FROM staff_sessions WHERE last_seen_at <= ? OR created_at <= ?');

  return {
    limits,
    /** A new session; the cookie's value is returned once and stored only as a hash. */
    start(username: string, now: number): { cookie: string; csrf: string } {
      const cookie = randomBytes(32).toString('base64url');
      const csrf = randomBytes(32).toString('base64url');
      insert.run(hashOf(cookie), username, csrf, now, now);
      return { cookie, csrf };
    },
    /** The live session a cookie value names, or null (unknown, expired, or its user disabled). */
    find(cookie: string, now: number): StaffSession | null {
      const r = find.get(hashOf(cookie));
      if (!r) return null;
      if (now - r.last_seen_at >= limits.idleMs || now - r.created_at >= limits.absoluteMs) {
        remove.run(r.id);
        return null;
      }
      if (now - r.last_seen_at >= TOUCH_MS) touch.run(now, r.id);
      return { id: r.id, username: r.username, role: r.role, store: r.store, csrf: r.csrf, createdAt: r.created_at };
    },
    end(id: string): void {
      remove.run(id);
    },
    /** Removes expired sessions; returns how many. */
    prune(now: number): number {
      return prune.run(now - limits.idleMs, now - limits.absoluteMs).changes;
    },
  };
}
export type StaffSessions = ReturnType<typeof createStaffSessions>;
