/**
 * What each staff role may do over real HTTP, the bearer token beside sessions, the audit log of every change,
 * the cookie's Secure flag behind https, and an API turned on by a staff user alone (no token).
 */
import { describe, expect, it } from 'vitest';
import { adminServer } from './harness.ts';
import { addUser, call, signIn } from './staff-client.ts';

const s = await adminServer();
const base = s.server.url;
const PW = 'long-enough-pw';
await s.api('POST', '/stores', { id: 'sh-jingan', name: '静安店' });
await s.api('POST', '/stores', { id: 'bj-chaoyang', name: '朝阳店' });
await addUser(s.server.sql, 'boss', 'owner', PW);
await addUser(s.server.sql, 'ops', 'operator', PW);
await addUser(s.server.sql, 'clerk', 'store_staff', PW, 'sh-jingan');
await addUser(s.server.sql, 'guest', 'viewer', PW);
const rule = { name: '优惠', match: 'contains', keywords: ['优惠'], replies: [{ type: 'text', content: '满 199 减 20' }] };

describe('roles', () => {
  it('store staff cannot create a rule, read the rules or change settings: 403 forbidden', async () => {
    const clerk = await signIn(base, 'clerk', PW);
    const r = await clerk.call('POST', '/rules', rule);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('forbidden');
    expect((await clerk.call('GET', '/rules')).status).toBe(403);
    expect((await clerk.call('PATCH', '/settings', { bot_name: '小美' })).status).toBe(403);
    expect((await s.api('GET', '/rules')).body.items).toEqual([]);
  });

  it('store staff read their own store and its QR codes, not another store', async () => {
    const clerk = await signIn(base, 'clerk', PW);
    expect((await clerk.call('GET', '/stores/sh-jingan')).status).toBe(200);
    expect((await clerk.call('GET', '/stores/sh-jingan/qrcodes')).status).toBe(200);
    expect((await clerk.call('GET', '/stores/bj-chaoyang')).status).toBe(403);
    expect((await clerk.call('GET', '/stores')).status).toBe(403);
    expect((await clerk.call('DELETE', '/stores/sh-jingan')).status).toBe(403);
  });

  it('a viewer reads everything but the audit log and changes nothing', async () => {
    const guest = await signIn(base, 'guest', PW);
    for (const path of ['/rules', '/products?limit=1', '/stores', '/stats/top-queries', '/settings', '/broadcasts']) {
      expect((await guest.call('GET', path)).status, path).toBe(200);
    }
    expect((await guest.call('POST', '/rules', rule)).status).toBe(403);
    expect((await guest.call('GET', '/audit')).status).toBe(403);
  });

  it('an operator changes rules and settings but may not read the audit log; the owner may', async () => {
    const ops = await signIn(base, 'ops', PW);
    const created = await ops.call('POST', '/rules', rule);
    expect(created.status).toBe(201);
    expect((await ops.call('PATCH', '/settings', { bot_name: '小美' })).status).toBe(200);
    expect((await ops.call('GET', '/audit')).status).toBe(403);
    const boss = await signIn(base, 'boss', PW);
    expect((await boss.call('GET', '/audit')).status).toBe(200);
    expect((await boss.call('DELETE', `/rules/${created.body.id}`)).status).toBe(204);
  });

  it('every role may read and end its own session', async () => {
    for (const name of ['boss', 'ops', 'clerk', 'guest']) {
      const b = await signIn(base, name, PW);
      expect((await b.call('GET', '/session')).body.user.username).toBe(name);
      expect((await b.call('DELETE', '/session')).status).toBe(204);
    }
  });
});

describe('staff management', () => {
  it('is the owner\'s: an operator is refused; the owner adds a user, changes their role (at once), disables them (their sessions end)', async () => {
    const ops = await signIn(base, 'ops', PW);
    expect((await ops.call('GET', '/staff')).status).toBe(403);
    const boss = await signIn(base, 'boss', PW);
    const added = await boss.call('POST', '/staff', { username: 'temp', role: 'viewer', password: 'temp-password-1' });
    expect(added.body).toMatchObject({ username: 'temp', role: 'viewer', store: null, disabled: false });
    const temp = await signIn(base, 'temp', 'temp-password-1');
    expect((await temp.call('POST', '/rules', { ...rule, name: '临时' })).status).toBe(403);
    expect((await boss.call('PATCH', '/staff/temp', { role: 'operator' })).body.role).toBe('operator');
    const made = await temp.call('POST', '/rules', { ...rule, name: '临时' });
    expect(made.status, 'the new role applies to the session already open').toBe(201);
    await s.api('DELETE', `/rules/${made.body.id}`);
    expect((await boss.call('PATCH', '/staff/temp', { disabled: true })).body.disabled).toBe(true);
    expect((await temp.call('GET', '/session')).status).toBe(401);
    expect((await call(base, 'POST', '/session', { body: { username: 'temp', password: 'temp-password-1' } })).status).toBe(401);
  });

  it('keeps one owner who can sign in, and refuses a store_staff user without a store', async () => {
    const boss = await signIn(base, 'boss', PW);
    const last = await boss.call('PATCH', '/staff/boss', { disabled: true });
    expect([last.status, last.body.error.code]).toEqual([409, 'conflict']);
    expect((await boss.call('PATCH', '/staff/boss', { role: 'viewer' })).status).toBe(409);
    const noStore = await boss.call('POST', '/staff', { username: 'clerk2', role: 'store_staff', password: 'clerk-password' });
    expect([noStore.status, noStore.body.error.message]).toEqual([400, expect.stringContaining('store')]);
    expect((await boss.call('GET', '/session')).status).toBe(200);
  });
});

describe('the bearer token', () => {
  it('still works for everything, without a CSRF token, and acts as the owner', async () => {
    const created = await s.api('POST', '/rules', { ...rule, name: '脚本' });
    expect(created.status).toBe(201);
    expect((await s.api('GET', '/audit')).status).toBe(200);
    expect((await s.api('DELETE', `/rules/${created.body.id}`)).status).toBe(204);
    // GET /api/session is for a person: the token has no session to show.
    const r = await s.api('GET', '/session');
    expect([r.status, r.body.error.code]).toEqual([401, 'no_session']);
  });

  it('a wrong token is 401 even with a valid session cookie beside it', async () => {
    const boss = await signIn(base, 'boss', PW);
    const r = await call(base, 'GET', '/rules', { cookie: boss.cookie, headers: { authorization: 'Bearer wrong-token-0123456789' } });
    expect(r.status).toBe(401);
  });
});

describe('the audit log', () => {
  it('records who changed what (method, route, target) for sessions and the token, newest first, in pages; reads are not recorded', async () => {
    const ops = await signIn(base, 'ops', PW);
    const created = await ops.call('POST', '/rules', { ...rule, name: '审计' });
    await ops.call('PATCH', `/rules/${created.body.id}`, { enabled: false });
    await ops.call('GET', '/rules');
    await s.api('DELETE', `/rules/${created.body.id}`);
    const first = await s.api('GET', '/audit?limit=3');
    expect(first.body.items.map((e: any) => [e.who, e.method, e.route, e.target])).toEqual([
      ['token', 'DELETE', 'deleteRule', `id=${created.body.id}`],
      ['ops', 'PATCH', 'updateRule', `id=${created.body.id}`],
      ['ops', 'POST', 'createRule', `id=${created.body.id}`],
    ]);
    expect(first.body.items[0]).toMatchObject({ account: 'default', at: expect.stringMatching(/Z$/) });
    const next = await s.api('GET', `/audit?limit=3&cursor=${first.body.next_cursor}`);
    expect(next.body.items[0]).toMatchObject({ who: 'ops', route: 'signIn' });
    expect(next.body.items[0].id).toBeLessThan(first.body.items[2].id);
  });

  it('records nothing for a refused change', async () => {
    const before = (await s.api('GET', '/audit?limit=1')).body.items[0].id;
    const clerk = await signIn(base, 'clerk', PW);
    await clerk.call('POST', '/rules', rule);
    await clerk.call('POST', '/rules', rule, { csrf: null });
    const after = (await s.api('GET', '/audit?limit=5')).body.items;
    expect(after.filter((e: any) => e.id > before).map((e: any) => e.route)).toEqual(['signIn']);
  });
});

describe('https', () => {
  it('marks the cookie Secure when the public URL is https', async () => {
    const h = await adminServer({ env: { GUANG_PUBLIC_URL: 'https://shop.example.com' } });
    await addUser(h.server.sql, 'boss', 'owner', PW);
    const r = await call(h.server.url, 'POST', '/session', { body: { username: 'boss', password: PW } });
    expect(r.headers.get('set-cookie')).toMatch(/; Secure/);
  });
});

describe('no token', () => {
  it('the API is off until a staff user exists; then the user signs in and the bearer route stays closed', async () => {
    const n = await adminServer({ token: null });
    expect((await call(n.server.url, 'POST', '/session', { body: { username: 'boss', password: PW } })).body.error.code).toBe('api_disabled');
    await addUser(n.server.sql, 'boss', 'owner', PW);
    const boss = await signIn(n.server.url, 'boss', PW);
    expect((await boss.call('GET', '/rules')).status).toBe(200);
    expect((await call(n.server.url, 'GET', '/rules', { headers: { authorization: 'Bearer ' } })).status).toBe(401);
  });
});
