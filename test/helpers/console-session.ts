/**
 * Stand-ins, in the browser, for the staff sessions another branch is building (POST/GET/DELETE
 * /api/session, per the agreed contract), and the report calls sent on to the real server with the admin
 * token the stand-in session cannot give. Used by the console's browser test and the screenshots; when
 * the real sessions land, these go and the callers sign in as a real user.
 */
import type { Page } from 'playwright-core';

export const STAND_IN_USER = { username: 'owner', role: 'owner', store: null };
export const STAND_IN_PASSWORD = 'correct horse';
export const STAND_IN_CSRF = 'csrf-token-from-the-session';

/** Installs the stand-ins on `page`; `csrfSeen` records the X-CSRF-Token of each sign-out. */
export async function standInSessions(page: Page, adminToken: string): Promise<{ csrfSeen: (string | undefined)[] }> {
  let signedIn = false;
  const csrfSeen: (string | undefined)[] = [];
  await page.route('**/api/stats/**', (route) => route.continue({ headers: { ...route.request().headers(), authorization: `Bearer ${adminToken}` } }));
  await page.route('**/api/session', async (route) => {
    const req = route.request();
    const json = (status: number, body: unknown) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
    if (req.method() === 'GET') {
      return signedIn ? json(200, { user: STAND_IN_USER, csrf: STAND_IN_CSRF }) : json(401, { error: { code: 'unauthorized', message: '请先登录' } });
    }
    if (req.method() === 'POST') {
      const { username, password } = req.postDataJSON() as { username: string; password: string };
      if (username !== STAND_IN_USER.username || password !== STAND_IN_PASSWORD) return json(401, { error: { code: 'bad_credentials', message: '用户名或密码错误' } });
      signedIn = true;
      return json(200, { user: STAND_IN_USER, csrf: STAND_IN_CSRF });
    }
    csrfSeen.push(req.headers()['x-csrf-token']);
    signedIn = false;
    return route.fulfill({ status: 204 });
  });
  return { csrfSeen };
}

/** Signs in through the console's form. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}
