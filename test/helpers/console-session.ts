/**
 * Real staff users for the console's browser tests and screenshots: created through the admin API with the
 * bearer token (as `guang users add` would), then signed in through the console's own form, so every call
 * the page makes carries a real session cookie and CSRF token.
 */
import type { Page } from 'playwright-core';

export type StaffRole = 'owner' | 'operator' | 'store_staff' | 'viewer';

export interface StaffLogin {
  readonly username: string;
  readonly password: string;
  readonly role: StaffRole;
  readonly store: string | null;
}

/** Creates a staff user on the server at `baseUrl` (idempotent per name: an existing one gets this password). */
export async function addStaff(
  baseUrl: string,
  adminToken: string,
  user: { username: string; role: StaffRole; store?: string | null; password?: string },
): Promise<StaffLogin> {
  const password = user.password ?? `pw-${user.username}-0123456789`;
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const res = await fetch(`${baseUrl}/api/staff`, {
    method: 'POST', headers, body: JSON.stringify({ username: user.username, role: user.role, store: user.store ?? null, password }),
  });
  if (res.status === 409) {
    const again = await fetch(`${baseUrl}/api/staff/${encodeURIComponent(user.username)}/password`, { method: 'POST', headers, body: JSON.stringify({ password }) });
    if (!again.ok) throw new Error(`resetting ${user.username}'s password: ${again.status} ${await again.text()}`);
  } else if (!res.ok) throw new Error(`adding ${user.username}: ${res.status} ${await res.text()}`);
  return { username: user.username, password, role: user.role, store: user.store ?? null };
}

/** Signs in through the console's form. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

/** Signs in as `login` and waits for the layout (its user menu). */
export async function signInAs(page: Page, login: Pick<StaffLogin, 'username' | 'password'>): Promise<void> {
  await signIn(page, login.username, login.password);
  await page.getByTestId('user-menu').waitFor();
}
