/**
 * 粉丝 over real HTTP: the list's filters (store, tag, subscribed, opted out, active within N days, has ordered)
 * with its total and pages; a follower's page computed from what really happened to them — messages through
 * the webhook, an order through the order desk, a broadcast run against the simulator into the send ledger —
 * and tags added and removed (validated, audited); store staff confined to their store's followers.
 */
import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/core/clock.ts';
import type { AccountId, UserId } from '../../src/core/messages.ts';
import { createSubscriberStore } from '../../src/db/subscribers.ts';
import { adminServer, within } from './harness.ts';
import { CATALOGUE_CSV, place } from './order-seed.ts';
import { addUser, signIn } from './staff-client.ts';

const s = await adminServer();
const db = s.server.sql;
const PW = 'long-enough-pw';
const DAY = 86_400_000;
const HOURS_48 = 48 * 3_600_000;

for (const [id, name] of [['sh-jingan', '静安店'], ['bj-chaoyang', '朝阳店']]) expect((await s.api('POST', '/stores', { id, name })).status).toBe(201);
const imported = await s.api('POST', '/products/import?filename=products.csv', CATALOGUE_CSV, { headers: { 'content-type': 'text/csv' } });
expect(imported.body.imported).toBe(2);
expect((await s.api('POST', '/rules', { name: '优惠券', match: 'contains', keywords: ['优惠'], replies: [{ type: 'text', content: '本周满199减20' }] })).status).toBe(201);
// Quiet hours off: the broadcast below goes out at any hour of the test.
expect((await s.api('PUT', '/broadcasts/settings', { weekly_cap: 2, quiet_start: '00:00', quiet_end: '00:00' })).status).toBe(200);
await addUser(db, 'clerk', 'store_staff', PW, 'sh-jingan');
await addUser(db, 'guest', 'viewer', PW);

// o_a: 静安, talks, orders, is tagged vip and receives a broadcast. o_b: 静安, replies TD. o_c: 朝阳, unfollows.
// o_n: no store, quiet. o_old: followed and last wrote 40 days ago (the subscriber store, at that time).
await s.event('o_a', 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 't' });
await s.event('o_b', 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 't' });
await s.event('o_c', 'subscribe', { EventKey: 'qrscene_bj-chaoyang', Ticket: 't' });
await s.event('o_n', 'subscribe');
// The search index picks the import up within a poll: ask as a console test follower (never listed) until it does.
await within(15_000, async () => (await s.say('console-probe', '连衣裙')).includes('法式连衣裙'));
for (const text of ['你好', '连衣裙', '有优惠吗']) await s.say('o_a', text);
await s.say('o_b', 'TD');
await s.event('o_c', 'unsubscribe');
const oldWho = { account: 'default' as AccountId, user: 'o_old' as UserId };
const subscribers = createSubscriberStore(db);
await subscribers.followed(oldWho, null, Date.now() - 60 * DAY);
await subscribers.messaged(oldWho, Date.now() - 40 * DAY);
const order = await place(db, { user: 'o_a', at: Date.now() - 1000, items: [{ sku: 'P1', variant: 'M', quantity: 2 }] });

const openids = (body: { items: { openid: string }[] }) => body.items.map((f) => f.openid);
const list = async (q: string) => {
  const r = await s.api('GET', `/subscribers${q}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { items: { openid: string; orders: number; tags: string[] }[]; total: number; next_cursor: string | null };
};

describe('tags', () => {
  it('adds and removes a tag (idempotent), answering the follower\'s tags; the list and the audit log show it', async () => {
    const added = await s.api('PUT', '/subscribers/o_a/tags/vip');
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ openid: 'o_a', tags: ['store:sh-jingan', 'vip'] });
    expect((await s.api('PUT', '/subscribers/o_a/tags/vip')).body.tags).toEqual(['store:sh-jingan', 'vip']);
    expect((await s.api('PUT', `/subscribers/o_a/tags/${encodeURIComponent('老客户')}`)).body.tags).toEqual(['store:sh-jingan', 'vip', '老客户']);
    const removed = await s.api('DELETE', `/subscribers/o_a/tags/${encodeURIComponent('老客户')}`);
    expect(removed.body).toEqual({ openid: 'o_a', tags: ['store:sh-jingan', 'vip'] });
    expect((await s.api('GET', '/subscribers/o_a')).body.tags).toEqual(['store:sh-jingan', 'vip']);
    const audit = await s.api('GET', '/audit');
    const rows = audit.body.items.filter((a: { route: string }) => a.route.endsWith('agSubscriber'));
    expect(rows.map((a: { route: string; target: string }) => [a.route, a.target])).toEqual(expect.arrayContaining([
      ['tagSubscriber', 'openid=o_a,tag=vip'], ['untagSubscriber', 'openid=o_a,tag=老客户'],
    ]));
  });

  it('refuses names that are not tags, and store:<id> tags (the store attribution keeps those), with a field problem', async () => {
    for (const bad of ['store:bj-chaoyang', 'two words', 'x'.repeat(31), 'a,b']) {
      const r = await s.api('PUT', `/subscribers/o_a/tags/${encodeURIComponent(bad)}`);
      expect([r.status, r.body.error.code, r.body.error.details[0].path], bad).toEqual([400, 'validation', 'tag']);
    }
    expect((await s.api('DELETE', '/subscribers/o_a/tags/store:sh-jingan')).status).toBe(400);
    expect((await s.api('GET', '/subscribers/o_a')).body.tags).toEqual(['store:sh-jingan', 'vip']);
    expect((await s.api('PUT', '/subscribers/o_nobody/tags/vip')).status).toBe(404);
  });
});

describe('the list\'s filters', () => {
  it('filters by store, tag, subscribed, opted out, has ordered and active within N days, with the total', async () => {
    expect(openids(await list(''))).toEqual(['o_a', 'o_b', 'o_c', 'o_n', 'o_old']);
    expect(openids(await list('?store=sh-jingan'))).toEqual(['o_a', 'o_b']);
    expect(openids(await list('?tag=vip'))).toEqual(['o_a']);
    expect(openids(await list('?subscribed=false'))).toEqual(['o_c']);
    expect(openids(await list('?opted_out=true'))).toEqual(['o_b']);
    expect(openids(await list('?opted_out=false&store=sh-jingan'))).toEqual(['o_a']);
    expect(openids(await list('?has_ordered=true'))).toEqual(['o_a']);
    expect(openids(await list('?has_ordered=false'))).toEqual(['o_b', 'o_c', 'o_n', 'o_old']);
    expect(openids(await list('?active_days=7'))).not.toContain('o_old');
    expect(openids(await list('?active_days=7'))).toEqual(expect.arrayContaining(['o_a', 'o_b']));
    expect(openids(await list('?active_days=41'))).toContain('o_old');
    const a = (await list('?has_ordered=true')).items[0]!;
    expect(a.orders).toBe(1);
  });

  it('pages by openid with the same total on every page', async () => {
    const first = await list('?limit=2&subscribed=true');
    expect([openids(first), first.total]).toEqual([['o_a', 'o_b'], 4]);
    const second = await list(`?limit=2&subscribed=true&cursor=${first.next_cursor}`);
    expect([openids(second), second.total, second.next_cursor]).toEqual([['o_n', 'o_old'], 4, null]);
  });

  it('refuses a filter it cannot read, naming it', async () => {
    for (const q of ['?active_days=0', '?active_days=abc', '?opted_out=yes', '?has_ordered=1']) {
      const r = await s.api('GET', `/subscribers${q}`);
      expect([r.status, r.body.error.code], q).toEqual([400, 'validation']);
      expect(r.body.error.message, q).toContain(q.slice(1, q.indexOf('=')));
    }
  });
});

describe('a follower\'s page', () => {
  it('shows their messages with the answers, their order, the broadcast they received and what is left of their window', async () => {
    const created = await s.api('POST', '/broadcasts', { name: '会员日', message: { type: 'text', content: '会员日：全场八折，回复「女装」看看' }, audience: { tags: ['vip'] }, channel: 'custom' });
    expect(created.status).toBe(201);
    expect((await s.api('POST', `/broadcasts/${created.body.id}/send`)).status).toBe(202);
    for (let i = 0; i < 100 && (await s.api('GET', `/broadcasts/${created.body.id}`)).body.status !== 'done'; i++) await sleep(50);

    const r = await s.api('GET', '/subscribers/o_a/activity');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const p = r.body;
    expect(p.subscriber).toMatchObject({ openid: 'o_a', store: 'sh-jingan', first_scene: 'sh-jingan', subscribed: true, opted_out: false, orders: 1 });
    // Newest first; each with what answered it: the rule by name, the product search with what it showed.
    const texts = p.messages.map((m: { text: string }) => m.text);
    expect(texts.slice(0, 3)).toEqual(['有优惠吗', '连衣裙', '你好']);
    expect(p.messages[0]).toMatchObject({ answered_by: expect.stringMatching(/^rule:\d+$/), rule: { name: '优惠券' } });
    expect(p.messages[1].answered_by).toMatch(/^products/);
    expect(p.messages[1].shown).toContainEqual({ id: 'P1', title: '法式连衣裙' });
    expect(p.orders).toEqual([{ id: order.id, status: 'placed', total_fen: order.totalFen, items: '法式连衣裙（M） ×2', store: order.storeId, created_at: new Date(order.createdAt).toISOString() }]);
    expect(p.orders_total).toBe(1);
    expect(p.pushes).toHaveLength(1);
    expect(p.pushes[0]).toMatchObject({ kind: 'push', channel: 'custom', outcome: 'sent', broadcast: { id: created.body.id, name: '会员日' }, what: '会员日：全场八折，回复「女装」看看' });
    const deliveries = s.server.simulator!.deliveries().filter((d) => d.touser === 'o_a');
    expect(deliveries).toHaveLength(1);
    // The window: 48 hours after their last message; the broadcast took one of its 5 customer-service messages.
    const last = Date.parse(p.subscriber.last_message_at);
    expect(p.window).toEqual({ ends_at: new Date(last + HOURS_48).toISOString(), open: true, customer_service_used: 1, customer_service_left: 4, customer_service_quota: 5 });
    expect(p.week).toEqual({ pushes: 1, cap: 2 });
  });

  it('a follower who never wrote has no window; one who wrote 40 days ago has a closed one', async () => {
    const n = (await s.api('GET', '/subscribers/o_n/activity')).body;
    expect(n).toMatchObject({ messages: [], orders: [], orders_total: 0, pushes: [], subscriber: { last_message_at: null } });
    expect(n.window).toEqual({ ends_at: null, open: false, customer_service_used: 0, customer_service_left: 0, customer_service_quota: 5 });
    const old = (await s.api('GET', '/subscribers/o_old/activity')).body;
    expect(old.window).toMatchObject({ open: false, customer_service_left: 0 });
    expect(Date.parse(old.window.ends_at)).toBeLessThan(Date.now() - 30 * DAY);
    expect(old.messages).toEqual([]);
    expect((await s.api('GET', '/subscribers/o_nobody/activity')).status).toBe(404);
  });
});

describe('store staff', () => {
  it('see and tag their own store\'s followers only; another store\'s are not found, another store\'s list is refused', async () => {
    const clerk = await signIn(s.server.url, 'clerk', PW);
    expect(openids((await clerk.call('GET', '/subscribers')).body)).toEqual(['o_a', 'o_b']);
    expect((await clerk.call('GET', '/subscribers?store=bj-chaoyang')).status).toBe(403);
    expect((await clerk.call('GET', '/subscribers/o_a/activity')).body.subscriber.openid).toBe('o_a');
    for (const who of ['o_c', 'o_n']) {
      expect((await clerk.call('GET', `/subscribers/${who}/activity`)).status, who).toBe(404);
      expect((await clerk.call('PUT', `/subscribers/${who}/tags/vip`)).status, who).toBe(404);
    }
    expect((await s.api('GET', '/subscribers/o_c')).body.tags).not.toContain('vip');
    const tagged = await clerk.call('PUT', '/subscribers/o_b/tags/vip');
    expect([tagged.status, tagged.body.tags]).toEqual([200, ['store:sh-jingan', 'vip']]);
    expect((await clerk.call('DELETE', '/subscribers/o_b/tags/vip')).body.tags).toEqual(['store:sh-jingan']);
  });

  it('a viewer reads followers but may not tag them', async () => {
    const guest = await signIn(s.server.url, 'guest', PW);
    expect((await guest.call('GET', '/subscribers/o_c/activity')).status).toBe(200);
    expect((await guest.call('PUT', '/subscribers/o_c/tags/vip')).status).toBe(403);
  });
});
