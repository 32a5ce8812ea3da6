/** A browser's view of the admin API for the staff tests: sign in, keep the cookie, send the CSRF token. */
import { expect } from 'vitest';
import { createStaffUsers, type Role } from '../../src/db/staff-users.ts';
import type { Db } from '../../src/db/db.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { asSql } from '../../src/db/sql/sqlite.ts';

export interface Answer<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** Calls `base`/api`path` with JSON; `cookie` and `csrf` when given (the bearer token never). */
export async function call<T = any>(base: string, method: string, path: string, o: { body?: unknown; cookie?: string | null; csrf?: string | null; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.cookie) headers.cookie = o.cookie;
  if (o.csrf) headers['x-csrf-token'] = o.csrf;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}/api${path}`, { method, headers, ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** A signed-in browser: its cookie and CSRF token, and `call` that sends both. */
export async function signIn(base: string, username: string, password: string) {
  const r = await call(base, 'POST', '/session', { body: { username, password } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
  const csrf: string = r.body.csrf;
  return {
    cookie,
    csrf,
    answer: r,
    call: <T = any>(method: string, path: string, body?: unknown, o: { csrf?: string | null } = {}) =>
      call<T>(base, method, path, { body, cookie, csrf: o.csrf === undefined ? csrf : o.csrf }),
  };
}

/** Adds a staff user straight into the server's database (as `guang users add` does). */
export async function addUser(db: Db | Sql, username: string, role: Role, password: string, store: string | null = null): Promise<void> {
  await createStaffUsers(asSql(db)).add({ username, role, store, password }, Date.now());
}
