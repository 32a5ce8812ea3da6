/**
 * The merchant console's staff: who may sign in, with which role, and their sign-in failures. Roles and what
 * they may do over HTTP are in src/admin/permissions.ts; this module only stores and checks.
 *
 * Several instances share the table (issue 18): a failed sign-in is counted by one UPDATE that adds to the
 * stored count, so failures on two instances at once both count; changes that must leave an owner take a lock.
 */
import { MerchantError } from '../core/errors.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.ts';
import type { Sql, Tx } from './sql/sql.ts';

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

/** Units that change roles or disable users take turns on every instance, so the last owner cannot go twice at once. */
const STAFF_LOCK = 'staff-users';

const BY_NAME = 'SELECT * FROM staff_users WHERE username = ?';
const INSERT = 'INSERT INTO staff_users (username, role, store, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING RETURNING *';

/** Ends a user's sessions, but `keep` (the session changing its own password). */
const endSessions = (tx: Tx, username: string, keep: string | null) =>
  keep === null
    ? tx.run('DELETE FROM staff_sessions WHERE username = ?', [username])
    : tx.run('DELETE FROM staff_sessions WHERE username = ? AND id <> ?', [username, keep]);

const exists = (username: string) => new MerchantError('conflict', `user ${username} exists already`);

/**
 * @example
 * const users = createStaffUsers(sql);
 * const r = await users.signIn('mei', password, clock.now()); // { ok: false, reason: 'locked', retryAfterMs } after 5 failures
 */
export function createStaffUsers(sql: Sql, lockout: UserLockout = DEFAULT_USER_LOCKOUT) {
  const byName = (username: string) => sql.get<Row>(BY_NAME, [username]);

  function check(username: string, role: Role, store: string | null): void {
    if (!USERNAME.test(username)) throw new MerchantError('validation', 'username: 1 to 64 letters, digits, ".", "_", "-" or "@"');
    if (role === 'store_staff' && !store) throw new MerchantError('validation', 'store: a store_staff user needs the store they work for (--store ID)');
    if (role !== 'store_staff' && store) throw new MerchantError('validation', 'store: only a store_staff user belongs to a store');
  }
  const checkPassword = (password: string) => {
    if (password.length < MIN_PASSWORD_LENGTH) throw new MerchantError('validation', `password: at least ${MIN_PASSWORD_LENGTH} characters`);
  };
  const noSuchUser = (username: string) => new MerchantError('not_found', `no user ${username}`);

  return {
    async get(username: string): Promise<StaffUser | null> {
      const r = await byName(username);
      return r ? toUser(r) : null;
    },
    list: async (): Promise<StaffUser[]> => (await sql.all<Row>('SELECT * FROM staff_users ORDER BY username')).map(toUser),
    /** Users who may sign in (not disabled). */
    activeCount: async (): Promise<number> => (await sql.get<{ n: number }>('SELECT count(*) AS n FROM staff_users WHERE disabled = 0'))!.n,
    async add(input: { username: string; role: Role; store?: string | null; password: string }, now: number): Promise<StaffUser> {
      const store = input.store ?? null;
      check(input.username, input.role, store);
      checkPassword(input.password);
      // Before the hash (~70 ms): a taken name is refused at once. The insert settles a race for the name.
      if (await byName(input.username)) throw exists(input.username);
      const hash = await hashPassword(input.password);
      const row = await sql.transaction((tx) => tx.get<Row>(INSERT, [input.username, input.role, store, hash, now, now]));
      if (!row) throw exists(input.username);
      return toUser(row);
    },
    /** Sets a new password, lifts a lock-out and signs the user out everywhere (but in session `keep`, the one changing it). */
    async setPassword(username: string, password: string, now: number, keep: string | null = null): Promise<void> {
      checkPassword(password);
      if (!(await byName(username))) throw noSuchUser(username);
      const hash = await hashPassword(password);
      await sql.transaction(async (tx) => {
        const set = await tx.run('UPDATE staff_users SET password_hash = ?, failed_count = 0, locked_until = 0, updated_at = ? WHERE username = ?', [hash, now, username]);
        if (set.changes === 0) throw noSuchUser(username);
        await endSessions(tx, username, keep);
      });
    },
    /**
     * Changes a user's role, store or whether disabled (role and store take effect on their next request;
     * disabling ends their sessions). Refused when it would leave no owner who can sign in.
     */
    change(username: string, patch: { role?: Role; store?: string | null; disabled?: boolean }, now: number): Promise<StaffUser> {
      // Read, check, write under the lock: two owners demoted on two instances at once cannot both see the other stay.
      return sql.transaction(async (tx) => {
        const r = await tx.get<Row>(BY_NAME, [username]);
        if (!r) throw noSuchUser(username);
        const role = patch.role ?? r.role;
        const store = patch.store !== undefined ? patch.store : role === 'store_staff' ? r.store : null;
        const disabled = patch.disabled ?? r.disabled === 1;
        check(username, role, store);
        const row = await tx.get<Row>('UPDATE staff_users SET role = ?, store = ?, disabled = ?, updated_at = ? WHERE username = ? RETURNING *', [role, store, disabled ? 1 : 0, now, username]);
        const owners = await tx.get<{ n: number }>("SELECT count(*) AS n FROM staff_users WHERE role = 'owner' AND disabled = 0");
        if (owners!.n === 0) throw new MerchantError('conflict', 'this would leave no owner who can sign in: make another user owner first');
        if (disabled) await endSessions(tx, username, null);
        return toUser(row!);
      }, { lock: STAFF_LOCK });
    },
    /** Disabling also ends the user's sessions at once. */
    async disable(username: string, now: number): Promise<void> {
      await sql.transaction(async (tx) => {
        if ((await tx.run('UPDATE staff_users SET disabled = 1, updated_at = ? WHERE username = ?', [now, username])).changes === 0) throw noSuchUser(username);
        await endSessions(tx, username, null);
      }, { lock: STAFF_LOCK });
    },
    async verify(username: string, password: string): Promise<boolean> {
      const r = await byName(username);
      return verifyPassword(password, r?.password_hash ?? DUMMY_HASH);
    },
    /**
     * A sign-in attempt. Unknown, disabled and wrong all answer bad_credentials, and an unknown name still
     * costs one scrypt, so neither the answer nor its time tells which names exist. The failure that reaches
     * the threshold locks the user; while locked even the right password is refused.
     */
    async signIn(username: string, password: string, now: number): Promise<SignIn> {
      const r = await byName(username);
      if (r && r.locked_until > now) return { ok: false, reason: 'locked', retryAfterMs: r.locked_until - now };
      const right = await verifyPassword(password, r?.password_hash ?? DUMMY_HASH);
      if (!r || r.disabled === 1) return { ok: false, reason: 'bad_credentials' };
      if (right) {
        // Another attempt (here or on another instance) may have locked the user while this one hashed.
        const cleared = await sql.transaction((tx) =>
          tx.get<{ locked_until: number }>('UPDATE staff_users SET failed_count = 0 WHERE username = ? RETURNING locked_until', [username]),
        );
        const lockedUntil = cleared?.locked_until ?? 0;
        if (lockedUntil > now) return { ok: false, reason: 'locked', retryAfterMs: lockedUntil - now };
        return { ok: true, user: toUser(r) };
      }
      // Counted where it is stored, in one statement: attempts on several instances at once each add one. A lock
      // set meanwhile by another attempt stays as it is (no row). (The CAST: PostgreSQL would type the time as
      // the ELSE's integer.)
      const counted = await sql.transaction((tx) => tx.get<{ locked_until: number }>(
        `UPDATE staff_users SET
          failed_count = CASE WHEN failed_count + 1 >= ? THEN 0 ELSE failed_count + 1 END,
          locked_until = CASE WHEN failed_count + 1 >= ? THEN CAST(? AS BIGINT) ELSE 0 END,
          updated_at = ?
        WHERE username = ? AND locked_until <= ?
        RETURNING locked_until`,
        [lockout.failures, lockout.failures, now + lockout.lockMs, now, username, now],
      ));
      const lockedUntil = counted?.locked_until ?? (await byName(username))?.locked_until ?? 0;
      return lockedUntil > now ? { ok: false, reason: 'locked', retryAfterMs: lockedUntil - now } : { ok: false, reason: 'bad_credentials' };
    },
  };
}
export type StaffUsers = ReturnType<typeof createStaffUsers>;

/**
 * Demo mode's owner: when no staff user exists, `admin` with a random password, kept (demo mode only) so every
 * demo start can print the same credentials. Null outside that case (users exist that demo mode did not make).
 * `current` is false once the password has been changed: the kept one no longer signs in. Two instances starting
 * at once make one owner: the other finds it kept.
 */
export async function ensureDemoOwner(sql: Sql, users: StaffUsers, now: number, password: () => string): Promise<{ username: string; password: string; current: boolean } | null> {
  const KEPT = 'SELECT username, password FROM demo_owner WHERE id = 1';
  for (;;) {
    const kept = await sql.get<{ username: string; password: string }>(KEPT);
    if (kept) return { ...kept, current: await users.verify(kept.username, kept.password) };
    if ((await users.list()).length > 0) return null;
    const owner = { username: 'admin', password: password() };
    const hash = await hashPassword(owner.password);
    const made = await sql.transaction(async (tx) => {
      if ((await tx.get(KEPT)) || (await tx.get('SELECT username FROM staff_users LIMIT 1'))) return false;
      await tx.run(INSERT, [owner.username, 'owner', null, hash, now, now]);
      await tx.run('INSERT INTO demo_owner (id, username, password) VALUES (1, ?, ?)', [owner.username, owner.password]);
      return true;
    }, { lock: 'demo-owner' });
    if (made) return { ...owner, current: true };
    // Another instance made it (or a user) first: read what it kept.
  }
}
