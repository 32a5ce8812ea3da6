/**
 * Staff sign-in over real HTTP, on a SQLite file and, as the same suite, a PostgreSQL database: the session cookie
 * and its flags, the CSRF token, sign-out, expiry (idle and absolute, on an injected clock), the per-user lock-out,
 * password change, and no password in the logs.
 */
import { Writable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/core/log.ts';
import { serverDatabases, type ServerDatabase } from '../helpers/databases.ts';
import { adminServer } from './harness.ts';
import { addUser, call, signIn } from './staff-client.ts';

const PASSWORD = 'correct-horse-9';

async function setUp(database: ServerDatabase) {
  const clock = manualClock(Date.UTC(2026, 10, 2, 2, 0));
  const log = { text: '' };
  const logs = new Writable({ write: (chunk, _enc, done) => ((log.text += String(chunk)), done()) });
  const s = await adminServer({ dbPath: database.dbPath, env: database.env, clock, logger: createLogger('debug', logs) });
  await addUser(s.server.sql, 'mei', 'owner', PASSWORD);
  return { database, clock, log, s, base: s.server.url };
}

const suites = await Promise.all((await serverDatabases()).map(setUp));

for (const { database, clock, log, s, base } of suites) {
  describe(`staff sign-in (${database.name})`, () => {
    // Past the client lock-out's 60-second window, so failures counted by one test do not add up with the next's.
    beforeEach(() => clock.advance(61_000));

    describe('signing in', () => {
      it('sets an HttpOnly, SameSite=Strict session cookie for the whole site and answers the user and the CSRF token', async () => {
        const { answer, cookie } = await signIn(base, 'mei', PASSWORD);
        expect(answer.body).toEqual({ user: { username: 'mei', role: 'owner', store: null }, csrf: expect.stringMatching(/^[\w-]{43}$/) });
        const set = answer.headers.get('set-cookie')!;
        expect(cookie).toMatch(/^guang_session=[\w-]{43}$/);
        expect(set).toMatch(/; HttpOnly/);
        expect(set).toMatch(/; SameSite=Strict/);
        expect(set).toMatch(/; Path=\//);
        expect(set, 'plain http here: no Secure').not.toMatch(/Secure/);
      });

      it('answers a wrong password and an unknown user the same way', async () => {
        const wrong = await call(base, 'POST', '/session', { body: { username: 'mei', password: 'wrong-password' } });
        const unknown = await call(base, 'POST', '/session', { body: { username: 'nobody', password: PASSWORD } });
        expect([wrong.status, unknown.status]).toEqual([401, 401]);
        expect(wrong.body).toEqual({ error: { code: 'bad_credentials', message: '用户名或密码错误' } });
        expect(unknown.body).toEqual(wrong.body);
        expect(wrong.headers.get('set-cookie')).toBeNull();
      });

      it('GET /api/session answers the signed-in user with the same CSRF token; without a session, 401', async () => {
        const b = await signIn(base, 'mei', PASSWORD);
        const r = await b.call('GET', '/session');
        expect(r).toMatchObject({ status: 200, body: b.answer.body });
        expect((await call(base, 'GET', '/session')).status).toBe(401);
        expect((await call(base, 'GET', '/session', { cookie: 'guang_session=forged' })).status).toBe(401);
      });

      it('signing out ends the session on the server and clears the cookie', async () => {
        const b = await signIn(base, 'mei', PASSWORD);
        const out = await b.call('DELETE', '/session');
        expect(out.status).toBe(204);
        expect(out.headers.get('set-cookie')).toMatch(/^guang_session=; .*Max-Age=0/);
        // The old cookie, replayed, no longer works.
        expect((await b.call('GET', '/session')).status).toBe(401);
        expect((await b.call('GET', '/rules')).status).toBe(401);
      });
    });

    describe('CSRF', () => {
      const rule = { name: '营业时间', match: 'contains', keywords: ['几点'], replies: [{ type: 'text', content: '9 点到 21 点' }] };

      it('refuses a state change made with the cookie without the session\'s X-CSRF-Token, or with another one', async () => {
        const b = await signIn(base, 'mei', PASSWORD);
        const other = await signIn(base, 'mei', PASSWORD);
        for (const csrf of [null, 'guess', other.csrf]) {
          const r = await b.call('POST', '/rules', rule, { csrf });
          expect(r.status, String(csrf)).toBe(403);
          expect(r.body.error.code).toBe('csrf');
        }
        expect((await s.api('GET', '/rules')).body.items).toEqual([]);
      });

      it('accepts it with the token, and reads need none', async () => {
        const b = await signIn(base, 'mei', PASSWORD);
        const created = await b.call('POST', '/rules', rule);
        expect(created.status).toBe(201);
        expect((await b.call('GET', '/rules', undefined, { csrf: null })).status).toBe(200);
        expect((await b.call('DELETE', `/rules/${created.body.id}`)).status).toBe(204);
      });
    });

    describe('expiry', () => {
      it('ends a session unused for 12 hours', async () => {
        const b = await signIn(base, 'mei', PASSWORD);
        clock.advance(11 * 3_600_000);
        expect((await b.call('GET', '/session')).status).toBe(200);
        clock.advance(11 * 3_600_000); // 22 hours after sign-in, but 11 after the last use: still on
        expect((await b.call('GET', '/session')).status).toBe(200);
        clock.advance(12 * 3_600_000);
        expect((await b.call('GET', '/session')).status).toBe(401);
      });

      it('ends a session 7 days after sign-in however much it is used', async () => {
        const b = await signIn(base, 'mei', PASSWORD);
        for (let h = 0; h < 7 * 24 - 11; h += 11) {
          clock.advance(11 * 3_600_000);
          expect((await b.call('GET', '/session')).status, `${h + 11} h`).toBe(200);
        }
        clock.advance(11 * 3_600_000);
        expect((await b.call('GET', '/session')).status).toBe(401);
      });
    });

    describe('lock-out', () => {
      it('locks a user for 15 minutes after 5 failed sign-ins, even against the right password; then lets them in', async () => {
        await addUser(s.server.sql, 'lan', 'operator', PASSWORD);
        for (let i = 1; i <= 4; i++) expect((await call(base, 'POST', '/session', { body: { username: 'lan', password: `wrong-${i}` } })).status).toBe(401);
        const fifth = await call(base, 'POST', '/session', { body: { username: 'lan', password: 'wrong-5' } });
        expect(fifth.status).toBe(429);
        expect(fifth.body.error.code).toBe('locked');
        expect(Number(fifth.headers.get('retry-after'))).toBe(900);
        const right = await call(base, 'POST', '/session', { body: { username: 'lan', password: PASSWORD } });
        expect([right.status, right.body.error.code]).toEqual([429, 'locked']);
        // Another user is not locked by it.
        await signIn(base, 'mei', PASSWORD);
        clock.advance(15 * 60_000);
        await signIn(base, 'lan', PASSWORD);
      });
    });

    describe('password change', () => {
      it('needs the current password and 10 characters; then the old password fails, the new one works, other sessions end', async () => {
        await addUser(s.server.sql, 'zhu', 'viewer', PASSWORD);
        const b = await signIn(base, 'zhu', PASSWORD);
        const elsewhere = await signIn(base, 'zhu', PASSWORD);
        const wrong = await b.call('POST', '/session/password', { current: 'not-it-at-all', next: 'new-password-1' });
        expect([wrong.status, wrong.body.error.code]).toEqual([400, 'validation']);
        const short = await b.call('POST', '/session/password', { current: PASSWORD, next: 'short' });
        expect([short.status, short.body.error.message]).toEqual([400, expect.stringContaining('next: at least 10 characters')]);
        expect((await b.call('POST', '/session/password', { current: PASSWORD, next: 'new-password-1' }, { csrf: null })).status).toBe(403);
        expect((await b.call('POST', '/session/password', { current: PASSWORD, next: 'new-password-1' })).status).toBe(204);
        expect((await b.call('GET', '/session')).status, 'this session goes on').toBe(200);
        expect((await elsewhere.call('GET', '/session')).status, 'the other one ends').toBe(401);
        expect((await call(base, 'POST', '/session', { body: { username: 'zhu', password: PASSWORD } })).status).toBe(401);
        await signIn(base, 'zhu', 'new-password-1');
      });
    });

    describe('the logs', () => {
      it('never hold a password, a session cookie or a CSRF token, but do record failed sign-ins', async () => {
        const b = await signIn(base, 'mei', PASSWORD);
        await call(base, 'POST', '/session', { body: { username: 'mei', password: 'Secret-Guess-42' } });
        await b.call('POST', '/session/password', { current: PASSWORD, next: PASSWORD });
        expect(log.text).toContain('failed sign-in');
        for (const secret of [PASSWORD, 'Secret-Guess-42', b.cookie.split('=')[1]!, b.csrf]) expect(log.text).not.toContain(secret);
      });
    });

    describe('the client lock-out', () => {
      it('counts failed sign-ins, whatever the user name: after 10 within a minute the address is refused for a while', async () => {
        const tries = [];
        for (let i = 0; i < 10; i++) tries.push((await call(base, 'POST', '/session', { body: { username: `guess-${i}`, password: 'nope-nope-nope' } })).status);
        expect(tries).toEqual(Array(10).fill(401));
        const next = await call(base, 'POST', '/session', { body: { username: 'mei', password: PASSWORD } });
        expect([next.status, next.body.error.code]).toEqual([429, 'rate_limited']);
        clock.advance(10 * 60_000);
        await signIn(base, 'mei', PASSWORD);
      });
    });
  });
}
