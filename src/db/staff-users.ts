/**
 * The merchant console's staff: who may sign in, with which role, and their sign-in failures. Roles and what
 * they may do over HTTP are in src/admin/permissions.ts; this module only stores and checks.
 */
import { MerchantError } from '../core/errors.ts';
import type { Db } from './db.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.ts';

export const ROLES = ['owner', 'operator', 'store_staff', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Letters, digits, `.`, `_`, `-` and `@`, 1–64 characters: safe in a log line, a cookie-free audit row and a shell. */
const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/;
export const MIN_PASSWORD_LENGTH = 10;

export interface StaffUser {
  readonly username: string;
  readonly role: Role;
  /** The store a store_staff user works for; null for the other roles. */
  readonly store: string | null;
  readonly disabled: boolean;
  readonly createdAt: number;
}

/** Consecutive failed sign-ins that lock a user, and for how long. */
export interface UserLockout {
  readonly failures: number;
  readonly lockMs: number;
}
const DEFAULT_USER_LOCKOUT: UserLockout = { failures: 5, lockMs: 15 * 60_000 };

interface Row {
  username: string;
  role: Role;
  store: string | null;
  password_hash: string;
  disabled: number;
  failed_count: number;
  locked_until: number;
  created_at: number;
}

const toUser = (r: Row): StaffUser => ({ username: r.username, role: r.role, store: r.store, disabled: r.disabled === 1, createdAt: r.created_at });

export type SignIn =
  | { readonly ok: true; readonly user: StaffUser }
  | { readonly ok: false; readonly reason: 'bad_credentials' }
  | { readonly ok: false; readonly reason: 'locked'; readonly retryAfterMs: number };

export function createStaffUsers(db: Db, lockout: UserLockout = DEFAULT_USER_LOCKOUT) {
  const byName = db.prepare<[string], Row>('SELECT * FROM staff_users WHERE username = ?');
  const all = db.prepare<[], Row>('SELECT * FROM staff_users ORDER BY username');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM staff_users WHERE disabled = 0');
  const insert = db.prepare('INSERT INTO staff_users (username, role, store, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  const setHash = db.prepare('UPDATE staff_users SET password_hash = ?, failed_count = 0, locked_until = 0, updated_at = ? WHERE username = ?');
  const disable = db.prepare('UPDATE staff_users SET disabled = 1, updated_at = ? WHERE username = ?');
  const failed = db.prepare('UPDATE staff_users SET failed_count = ?, locked_until = ?, updated_at = ? WHERE username = ?');
  const succeeded = db.prepare('UPDATE staff_users SET failed_count = 0, locked_until = 0 WHERE username = ? AND failed_count > 0');
  const update = db.prepare('UPDATE staff_users SET role = ?, store = ?, disabled = ?, updated_at = ? WHERE username = ?');
  const owners = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM staff_users WHERE role = 'owner' AND disabled = 0");
  const endSessions = db.prepare('DELETE FROM staff_sessions WHERE username = ? AND id IS NOT ?');

  function check(username: string, role: Role, store: string | null): void {
    if (!USERNAME.test(username)) throw new MerchantError('validation', 'username: 1 to 64 letters, digits, ".", "_", "-" or "@"');
    if (role === 'store_staff' && !store) throw new MerchantError('validation', 'store: a store_staff user needs the store they work for (--store ID)');
    if (role !== 'store_staff' && store) throw new MerchantError('validation', 'store: only a store_staff user belongs to a store');
  }
  const checkPassword = (password: string) => {
    if (password.length < MIN_PASSWORD_LENGTH) throw new MerchantError('validation', `password: at least ${MIN_PASSWORD_LENGTH} characters`);
  };

  return {
    get(username: string): StaffUser | null {
      const r = byName.get(username);
      return r ? toUser(r) : null;
    },
    list(): StaffUser[] {
      return all.all().map(toUser);
    },
    /** Users who may sign in (not disabled). */
    activeCount(): number {
      return count.get()!.n;
    },
    async add(input: { username: string; role: Role; store?: string | null; password: string }, now: number): Promise<StaffUser> {
      const store = input.store ?? null;
      check(input.username, input.role, store);
      checkPassword(input.password);
      if (byName.get(input.username)) throw new MerchantError('conflict', `user ${input.username} exists already`);
      insert.run(input.username, input.role, store, await hashPassword(input.password), now, now);
      return toUser(byName.get(input.username)!);
    },
    /** Sets a new password, lifts a lock-out and signs the user out everywhere (but in session `keep`, the one changing it). */
    async setPassword(username: string, password: string, now: number, keep: string | null = null): Promise<void> {
      checkPassword(password);
      if (!byName.get(username)) throw new MerchantError('not_found', `no user ${username}`);
      const hash = await hashPassword(password);
      db.transaction(() => {
        setHash.run(hash, now, username);
        endSessions.run(username, keep);
      })();
    },
    /**
     * Changes a user's role, store or whether disabled (role and store take effect on their next request;
     * disabling ends their sessions). Refused when it would leave no owner who can sign in.
     */
    change(username: string, patch: { role?: Role; store?: string | null; disabled?: boolean }, now: number): StaffUser {
      const r = byName.get(username);
      if (!r) throw new MerchantError('not_found', `no user ${username}`);
      const role = patch.role ?? r.role;
      const store = patch.store !== undefined ? patch.store : role === 'store_staff' ? r.store : null;
      const disabled = patch.disabled ?? r.disabled === 1;
      check(username, role, store);
      db.transaction(() => {
        update.run(role, store, disabled ? 1 : 0, now, username);
        if (owners.get()!.n === 0) throw new MerchantError('conflict', 'this would leave no owner who can sign in: make another user owner first');
        if (disabled) endSessions.run(username, null);
      })();
      return toUser(byName.get(username)!);
    },
    /** Disabling also ends the user's sessions at once. */
    disable(username: string, now: number): void {
      if (!byName.get(username)) throw new MerchantError('not_found', `no user ${username}`);
      db.transaction(() => {
        disable.run(now, username);
        endSessions.run(username, null);
      })();
    },
    async verify(username: string, password: string): Promise<boolean> {
      const r = byName.get(username);
      return verifyPassword(password, r?.password_hash ?? DUMMY_HASH);
    },
    /**
     * A sign-in attempt. Unknown, disabled and wrong all answer bad_credentials, and an unknown name still
     * costs one scrypt, so neither the answer nor its time tells which names exist. The failure that reaches
     * the threshold locks the user; while locked even the right password is refused.
     */
    async signIn(username: string, password: string, now: number): Promise<SignIn> {
      const r = byName.get(username);
      if (r && r.locked_until > now) return { ok: false, reason: 'locked', retryAfterMs: r.locked_until - now };
      const right = await verifyPassword(password, r?.password_hash ?? DUMMY_HASH);
      if (!r || r.disabled === 1) return { ok: false, reason: 'bad_credentials' };
      if (right) {
        succeeded.run(username);
        return { ok: true, user: toUser(r) };
      }
      // Read again: another attempt may have counted while this one hashed.
      const failures = (byName.get(username)?.failed_count ?? 0) + 1;
      const locks = failures >= lockout.failures;
      failed.run(locks ? 0 : failures, locks ? now + lockout.lockMs : 0, now, username);
      return locks ? { ok: false, reason: 'locked', retryAfterMs: lockout.lockMs } : { ok: false, reason: 'bad_credentials' };
    },
  };
}
export type StaffUsers = ReturnType<typeof createStaffUsers>;

/**
 * Demo mode's owner: when no staff user exists, `admin` with a random password, kept (demo mode only) so every
 * demo start can print the same credentials. Null outside that case (users exist that demo mode did not make).
 * `current` is false once the password has been changed: the kept one no longer signs in.
 */
export async function ensureDemoOwner(db: Db, users: StaffUsers, now: number, password: () => string): Promise<{ username: string; password: string; current: boolean } | null> {
  const kept = db.prepare<[], { username: string; password: string }>('SELECT username, password FROM demo_owner WHERE id = 1').get();
  if (kept) return { ...kept, current: await users.verify(kept.username, kept.password) };
  if (users.list().length > 0) return null;
  const owner = { username: 'admin', password: password() };
  await users.add({ ...owner, role: 'owner' }, now);
  db.prepare('INSERT INTO demo_owner (id, username, password) VALUES (1, ?, ?)').run(owner.username, owner.password);
  return { ...owner, current: true };
}
