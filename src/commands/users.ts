/**
 * `guang users add|list|passwd|disable`: the merchant console's staff accounts, from the shell. A password is
 * read from stdin with --password-stdin (its first line), or generated and printed once; it is never taken as
 * an argument (it would stay in the shell's history and the process list).
 * GUANG_DB may be a SQLite file or a PostgreSQL URL (the staff table is shared by every instance on it).
 * Exit code: 0; 1 when refused (the user exists, is unknown, the password is too short); 2 on a usage error.
 */
import { MerchantError } from '../core/errors.ts';
import { openDatabase } from '../db/open.ts';
import { randomPassword } from '../db/passwords.ts';
import { createStaffUsers, type Role, type StaffUsers } from '../db/staff-users.ts';
import { databasePath } from './db-path.ts';

export interface UsersAddOptions {
  readonly role: Role;
  readonly store?: string;
  readonly passwordStdin?: boolean;
}

export interface UsersPasswdOptions {
  readonly passwordStdin?: boolean;
}

export interface UsersListOptions {
  readonly json?: boolean;
}

export async function add(name: string, o: UsersAddOptions): Promise<number> {
  const password = o.passwordStdin ? await firstLineOfStdin() : randomPassword();
  return withUsers(async (users) => {
    const user = await users.add({ username: name, role: o.role, store: o.store ?? null, password }, Date.now());
    console.log(`User ${user.username} added (${user.role}${user.store ? `, store ${user.store}` : ''}).`);
    if (!o.passwordStdin) console.log(`password: ${password}  (shown once; change it in the console or with guang users passwd ${user.username})`);
    return 0;
  });
}

export async function passwd(name: string, o: UsersPasswdOptions): Promise<number> {
  const password = o.passwordStdin ? await firstLineOfStdin() : randomPassword();
  return withUsers(async (users) => {
    await users.setPassword(name, password, Date.now());
    console.log(`Password of ${name} changed; their sessions have ended.`);
    if (!o.passwordStdin) console.log(`password: ${password}  (shown once)`);
    return 0;
  });
}

export async function disable(name: string): Promise<number> {
  return withUsers(async (users) => {
    await users.disable(name, Date.now());
    console.log(`User ${name} disabled; their sessions have ended.`);
    return 0;
  });
}

export async function list(o: UsersListOptions): Promise<number> {
  return withUsers(async (users) => {
    const rows = (await users.list()).map((u) => ({ username: u.username, role: u.role, store: u.store, disabled: u.disabled, created_at: new Date(u.createdAt).toISOString() }));
    if (o.json) {
      console.log(JSON.stringify(rows, null, 2));
      return 0;
    }
    if (rows.length === 0) console.log('No staff users: guang users add NAME --role owner');
    for (const u of rows) console.log(`${u.username}  ${u.role}${u.store ? ` (store ${u.store})` : ''}${u.disabled ? '  disabled' : ''}  since ${u.created_at.slice(0, 10)}`);
    return 0;
  });
}

async function withUsers(use: (users: StaffUsers) => number | Promise<number>): Promise<number> {
  const { sql } = await openDatabase(databasePath());
  try {
    return await use(createStaffUsers(sql));
  } catch (err) {
    if (err instanceof MerchantError) {
      console.error(`guang users: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await sql.close();
  }
}

/** The first line of stdin, without its line break (a password manager's pipe, or `echo … |`). */
async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0]!;
}
