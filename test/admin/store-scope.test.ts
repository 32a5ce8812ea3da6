/**
 * Store staff over real HTTP: they list exactly their own store's followers and follower counts (the API
 * narrows the query to the session's store; naming another store is refused), and nothing else of the account.
 * The followers report (new and lost per Beijing day) for everyone. The console's copy of the permission table
 * agrees with the server's, and every console screen is offered only to roles the API lets read it. The API's
 * part on a SQLite file and, as the same suite, a PostgreSQL database.
 */
import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/admin/permissions.ts';
import { createSubscriberStore } from '../../src/db/subscribers.ts';
import { ROLES } from '../../src/db/staff-users.ts';
import type { AccountId, UserId } from '../../src/core/messages.ts';
import { ACCESS, canWrite } from '../../web/console/src/permissions.ts';
import { SCREENS } from '../../web/console/src/routes.ts';
import { serverDatabases, type ServerDatabase } from '../helpers/databases.ts';
import { adminServer } from './harness.ts';
import { addUser, signIn } from './staff-client.ts';

const PW = 'long-enough-pw';

async function setUp(database: ServerDatabase) {
  const s = await adminServer({ dbPath: database.dbPath, env: database.env });
  await s.api('POST', '/stores', { id: 'sh-jingan', name: '静安店' });
  await s.api('POST', '/stores', { id: 'bj-chaoyang', name: '朝阳店' });
  await addUser(s.server.sql, 'clerk', 'store_staff', PW, 'sh-jingan');
  await addUser(s.server.sql, 'ops', 'operator', PW);
  await addUser(s.server.sql, 'guest', 'viewer', PW);
  // Followers through each store's code (the webhook, as WeChat sends them), one who scanned in, one with no store.
  await s.event('o_j1', 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 't' });
  await s.event('o_j2', 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 't' });
  await s.event('o_c1', 'subscribe', { EventKey: 'qrscene_bj-chaoyang', Ticket: 't' });
  await s.event('o_n1', 'subscribe');
  await s.event('o_j3', 'subscribe');
  await s.event('o_j3', 'SCAN', { EventKey: 'sh-jingan', Ticket: 't' });
  await s.event('o_j2', 'unsubscribe');
  return { database, s, base: s.server.url };
}

const openids = (body: { items: { openid: string }[] }) => body.items.map((f) => f.openid).sort();

const suites = await Promise.all((await serverDatabases()).map(setUp));

for (const { database, s, base } of suites) {
  describe(`store staff see their own store's followers only (${database.name})`, () => {
    it('GET /subscribers answers a store_staff user with their store\'s followers, whatever else the query says', async () => {
      const clerk = await signIn(base, 'clerk', PW);
      const all = await clerk.call('GET', '/subscribers');
      expect(all.status).toBe(200);
      expect(openids(all.body)).toEqual(['o_j1', 'o_j2', 'o_j3']);
      expect(all.body.items.every((f: { store: string }) => f.store === 'sh-jingan')).toBe(true);
      expect(openids((await clerk.call('GET', '/subscribers?store=sh-jingan&subscribed=true')).body)).toEqual(['o_j1', 'o_j3']);
      // Pages stay inside the store.
      const first = await clerk.call('GET', '/subscribers?limit=2');
      const next = await clerk.call('GET', `/subscribers?limit=2&cursor=${first.body.next_cursor}`);
      expect([...openids(first.body), ...openids(next.body)]).toEqual(['o_j1', 'o_j2', 'o_j3']);
    });

    it('refuses another store\'s followers: 403 for the list, 404 for one of them (their existence is not told)', async () => {
      const clerk = await signIn(base, 'clerk', PW);
      const other = await clerk.call('GET', '/subscribers?store=bj-chaoyang');
      expect([other.status, other.body.error.code]).toEqual([403, 'forbidden']);
      expect((await clerk.call('GET', '/subscribers/o_c1')).status).toBe(404);
      expect((await clerk.call('GET', '/subscribers/o_n1')).status).toBe(404);
      expect((await clerk.call('GET', '/subscribers/o_j1')).body).toMatchObject({ openid: 'o_j1', store: 'sh-jingan' });
    });

    it('the same question from the token, an operator or a viewer answers every store', async () => {
      expect(openids((await s.api('GET', '/subscribers')).body)).toEqual(['o_c1', 'o_j1', 'o_j2', 'o_j3', 'o_n1']);
      for (const name of ['ops', 'guest']) {
        const b = await signIn(base, name, PW);
        expect(openids((await b.call('GET', '/subscribers?store=bj-chaoyang')).body), name).toEqual(['o_c1']);
        expect((await b.call('GET', '/subscribers/o_c1')).status, name).toBe(200);
      }
    });

    it('the other reports and the store list stay closed to store staff', async () => {
      const clerk = await signIn(base, 'clerk', PW);
      for (const path of ['/stats/top-queries', '/stats/intents', '/stats/stores', '/stores', '/rules']) {
        expect((await clerk.call('GET', path)).status, path).toBe(403);
      }
    });
  });

  describe(`GET /stats/followers (reportFollowers) (${database.name})`, () => {
    it('counts today\'s new and lost followers of the account, and how many follow now', async () => {
      const r = await s.api('GET', '/stats/followers');
      expect(r.status).toBe(200);
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      expect(r.body).toMatchObject({ store: null, following: 4, days: [{ day: today, follows: 5, unfollows: 1 }] });
    });

    it('for a store_staff user, counts their store only, and refuses another store', async () => {
      const clerk = await signIn(base, 'clerk', PW);
      const mine = await clerk.call('GET', '/stats/followers');
      expect(mine.body).toMatchObject({ store: 'sh-jingan', following: 2 });
      expect(mine.body.days.map((d: { follows: number; unfollows: number }) => [d.follows, d.unfollows])).toEqual([[3, 1]]);
      expect((await clerk.call('GET', '/stats/followers?store=bj-chaoyang')).status).toBe(403);
      const ops = await signIn(base, 'ops', PW);
      expect((await ops.call('GET', '/stats/followers?store=bj-chaoyang')).body).toMatchObject({ store: 'bj-chaoyang', following: 1 });
    });

    it('puts each follow and unfollow on its Beijing day (a follow at 23:59 and one at 00:01 fall on two days), a period\'s days only', async () => {
      const subscribers = createSubscriberStore(s.server.sql);
      const at = (iso: string) => Date.parse(iso);
      const who = (user: string) => ({ account: 'default' as AccountId, user: user as UserId });
      await subscribers.followed(who('u1'), null, at('2026-11-01T15:59:00Z')); // 11-01 23:59 in Beijing
      await subscribers.followed(who('u2'), null, at('2026-11-01T16:01:00Z')); // 11-02 00:01
      await subscribers.followed(who('u3'), null, at('2026-11-02T03:00:00Z'));
      await subscribers.unfollowed(who('u1'), at('2026-11-03T01:00:00Z'));
      await subscribers.followed(who('u4'), null, at('2026-11-05T01:00:00Z'));
      const r = await s.api('GET', '/stats/followers?from=2026-11-01&to=2026-11-03');
      expect(r.body).toEqual({
        // Following now: the four from the webhook above and u2, u3, u4.
        from: '2026-10-31T16:00:00.000Z', to: '2026-11-03T16:00:00.000Z', store: null, following: 7,
        days: [{ day: '2026-11-01', follows: 1, unfollows: 0 }, { day: '2026-11-02', follows: 2, unfollows: 0 }, { day: '2026-11-03', follows: 0, unfollows: 1 }],
      });
      // None of them came through a store: 静安店's November is empty, its followers today unchanged.
      expect((await s.api('GET', '/stats/followers?store=sh-jingan&from=2026-11-01&to=2026-11-03')).body).toMatchObject({ store: 'sh-jingan', following: 2, days: [] });
      const bad = await s.api('GET', '/stats/followers?from=2026-11-03&to=2026-11-01');
      expect([bad.status, bad.body.error.code]).toEqual([400, 'validation']);
    });
  });
}

describe('the console\'s permission table', () => {
  it('is the server\'s, tag by tag and role by role', () => {
    expect(ACCESS).toEqual(PERMISSIONS);
  });

  it('lets a role write where the API lets it change something, and nowhere else', () => {
    const user = (role: string) => ({ username: 'x', role, store: role === 'store_staff' ? 'sh-jingan' : null });
    expect(canWrite(user('owner'), 'rules')).toBe(true);
    expect(canWrite(user('operator'), 'catalogue')).toBe(true);
    expect(canWrite(user('operator'), 'staff')).toBe(false);
    expect(canWrite(user('viewer'), 'rules')).toBe(false);
    expect(canWrite(user('viewer'), 'settings')).toBe(false);
    expect(canWrite(user('store_staff'), 'stores')).toBe(true);
    expect(canWrite(user('store_staff'), 'rules')).toBe(false);
    expect(canWrite(user('someone-new'), 'rules')).toBe(false);
  });

  it('offers each screen only to roles the API lets read its area', () => {
    for (const screen of SCREENS) {
      for (const role of screen.roles) {
        expect(ROLES, screen.path).toContain(role);
        if (screen.area) expect(PERMISSIONS[screen.area][role], `${screen.path} for ${role}`).not.toBe('none');
      }
    }
    expect(SCREENS.filter((x) => x.roles.includes('store_staff')).map((x) => x.path)).toEqual(['/store', '/orders', '/followers']);
  });
});
