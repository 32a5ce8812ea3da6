/**
 * `/api/session`: staff sign-in (a session cookie and its CSRF token), who is signed in, sign-out, and a
 * password change. The cookie is HttpOnly (no script reads it), SameSite=Strict (no other site's page sends
 * it), Path=/, and Secure when the console is reached over https.
 */
import { z } from 'zod';
import { MerchantError } from '../../core/errors.ts';
import { createStaffSessions, type StaffSessions } from '../../db/staff-sessions.ts';
import { createStaffUsers, MIN_PASSWORD_LENGTH, ROLES, type StaffUser } from '../../db/staff-users.ts';
import { SESSION_COOKIE } from '../auth.ts';
import { ApiError, noBody, noContent, route, withHeaders, type ApiRequest, type Caller, type Route } from '../http.ts';
import type { AdminApiOptions } from '../options.ts';

const sessionJson = z.strictObject({
  user: z.strictObject({
    username: z.string(),
    role: z.enum(ROLES),
    store: z.string().nullable().describe('the store of a store_staff user; null for the other roles'),
  }),
  csrf: z.string().describe('send it as X-CSRF-Token with every POST, PUT, PATCH and DELETE made with the cookie'),
});

const signInBody = z.strictObject({
  username: z.string({ error: 'username: the user name' }).min(1, 'username: the user name').max(64, 'username: at most 64 characters'),
  password: z.string({ error: 'password: the password' }).min(1, 'password: the password').max(1024, 'password: at most 1024 characters'),
}, { error: 'a JSON object with username and password' });

const passwordBody = z.strictObject({
  current: z.string({ error: 'current: the password in use' }).max(1024, 'current: at most 1024 characters'),
  next: z.string({ error: `next: the new password, at least ${MIN_PASSWORD_LENGTH} characters` })
    .min(MIN_PASSWORD_LENGTH, `next: at least ${MIN_PASSWORD_LENGTH} characters`).max(1024, 'next: at most 1024 characters'),
}, { error: 'a JSON object with current and next' });

/** What the session routes need beyond the API's options: counting a failed sign-in toward the client's lock-out. */
export interface SessionHooks {
  readonly failedSignIn: (ip: string) => void;
}

export function sessionRoutes(deps: AdminApiOptions, hooks: SessionHooks): Route[] {
  const sql = deps.sql;
  const users = createStaffUsers(sql, deps.userLockout);
  const sessions: StaffSessions = createStaffSessions(sql, deps.sessionLimits);
  const tag = 'session';
  const secure = (req: ApiRequest<unknown, unknown>) => req.client.secure || deps.baseUrl().startsWith('https:');
  const cookie = (req: ApiRequest<unknown, unknown>, value: string, maxAgeS: number) =>
    `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure(req) ? '; Secure' : ''}`;
  const signedIn = (caller: Caller) => {
    if (caller.kind !== 'session') throw new ApiError(401, 'no_session', 'this route is for a signed-in staff user (the session cookie), not the bearer token');
    return caller.session;
  };
  const toJson = (user: Pick<StaffUser, 'username' | 'role' | 'store'>, csrf: string) => ({ user: { username: user.username, role: user.role, store: user.store }, csrf });

  return [
    route({
      method: 'post', path: '/session', id: 'signIn', tag, body: signInBody, response: sessionJson,
      summary: 'Sign in with a user name and password: sets the session cookie (guang_session) and answers the CSRF token',
      returns: 'signed in; the cookie is set. 401 bad_credentials (the same for an unknown user and a wrong password); 429 locked after 5 failures (Retry-After)',
      handler: async (req) => {
        const now = deps.clock.now();
        const r = await users.signIn(req.body.username, req.body.password, now);
        if (!r.ok) {
          hooks.failedSignIn(req.client.ip);
          // The name is logged (an operator needs to see a guessing run against one user); the password never.
          deps.logger.warn({ ip: req.client.ip, username: req.body.username, reason: r.reason }, 'admin API: failed sign-in');
          if (r.reason === 'locked') {
            const seconds = Math.max(1, Math.ceil(r.retryAfterMs / 1000));
            throw new ApiError(429, 'locked', `登录失败次数过多，请 ${Math.ceil(seconds / 60)} 分钟后再试`, undefined, { 'Retry-After': String(seconds) });
          }
          throw new ApiError(401, 'bad_credentials', '用户名或密码错误');
        }
        if (req.caller.kind === 'session') await sessions.end(req.caller.session.id);
        const s = await sessions.start(r.user.username, now);
        deps.logger.info({ ip: req.client.ip, username: r.user.username }, 'admin API: signed in');
        return withHeaders(toJson(r.user, s.csrf), { 'Set-Cookie': cookie(req, s.cookie, Math.floor(sessions.limits.absoluteMs / 1000)) });
      },
    }),
    route({
      method: 'get', path: '/session', id: 'getSession', tag, response: sessionJson,
      summary: 'Who is signed in, and the session\'s CSRF token (401 when not signed in)',
      handler: ({ caller }) => {
        const s = signedIn(caller);
        return toJson(s, s.csrf);
      },
    }),
    route({
      method: 'delete', path: '/session', id: 'signOut', tag, response: noBody,
      summary: 'Sign out: ends the session and clears the cookie',
      handler: async (req) => {
        await sessions.end(signedIn(req.caller).id);
        return withHeaders(noContent, { 'Set-Cookie': cookie(req, '', 0) });
      },
    }),
    route({
      method: 'post', path: '/session/password', id: 'changePassword', tag, body: passwordBody, response: noBody,
      summary: `Change one's own password (next: at least ${MIN_PASSWORD_LENGTH} characters); the user's other sessions end, this one goes on`,
      handler: async (req) => {
        const s = signedIn(req.caller);
        if (!(await users.verify(s.username, req.body.current))) {
          hooks.failedSignIn(req.client.ip);
          throw new MerchantError('validation', '当前密码不正确', [{ path: 'current', message: '当前密码不正确' }]);
        }
        await users.setPassword(s.username, req.body.next, deps.clock.now(), s.id);
        return noContent;
      },
    }),
  ];
}
