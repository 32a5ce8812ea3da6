/** Stores and QR codes over real HTTP and a real database (the run's): attribution, tags, welcomes, counts, QR creation. */
import { describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../src/db/open.ts';
import { createStoreRegistry } from '../../src/merchant/shops/registry.ts';
import { startStandaloneSimulator } from '../../src/wechat-api/simulator/simulator.ts';
import { adminServer, within } from '../admin/harness.ts';
import { guang } from '../helpers/process.ts';
import { runDatabase, type RunDatabase } from '../helpers/run-database.ts';

/** Another connection to `database`, as another process has (PostgreSQL: with its secret key); closed after the test. */
async function connect(database: RunDatabase) {
  const { sql } = await openDatabase(database.dbPath, { secretKey: database.env.GUANG_SECRET_KEY ?? null });
  onTestFinished(() => sql.close());
  return sql;
}

const database = await runDatabase();
const s = await adminServer({ dbPath: database.dbPath, env: database.env });
await s.api('POST', '/stores', { id: 'sh-jingan', name: '静安店', city: '上海', welcome: '欢迎来到静安店！到店出示此消息享95折' });
await s.api('POST', '/stores', { id: 'bj-sanlitun', name: '三里屯店', city: '北京' });
const store = async (openid: string) => (await s.api('GET', `/subscribers/${openid}`)).body;

describe('store attribution', () => {
  it('a follow through a store\'s code (EventKey qrscene_<id>) attributes and tags the follower, and answers with the store\'s welcome', async () => {
    expect(await s.event('o_f1', 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 't1' })).toBe('欢迎来到静安店！到店出示此消息享95折');
    expect(await store('o_f1')).toMatchObject({ openid: 'o_f1', subscribed: true, store: 'sh-jingan', tags: ['store:sh-jingan'], first_scene: 'sh-jingan' });
  });

  it('a scan by a follower (EventKey <id>, no prefix) attributes them too; a store without a welcome says nothing on scan', async () => {
    await s.event('o_s1', 'subscribe');
    expect(await s.event('o_s1', 'SCAN', { EventKey: 'bj-sanlitun', Ticket: 't2' })).toBe('success');
    expect(await store('o_s1')).toMatchObject({ store: 'bj-sanlitun', tags: ['store:bj-sanlitun'] });
  });

  it('a follow through a store without a welcome gets the usual welcome', async () => {
    expect(await s.event('o_f2', 'subscribe', { EventKey: 'qrscene_bj-sanlitun', Ticket: 't' })).toContain('谢谢关注');
    expect((await store('o_f2')).store).toBe('bj-sanlitun');
  });

  it('the first store wins: a later scan elsewhere does not move the follower', async () => {
    await s.event('o_first', 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 't' });
    expect(await s.event('o_first', 'SCAN', { EventKey: 'bj-sanlitun', Ticket: 't' })).toBe('success');
    expect(await store('o_first')).toMatchObject({ store: 'sh-jingan', tags: ['store:sh-jingan'], last_scene: 'bj-sanlitun' });
  });

  it('with store_attribution last, the latest store wins and the tag moves with it', async () => {
    const t = await adminServer();
    await t.api('POST', '/stores', { id: 'a', name: 'A' });
    await t.api('POST', '/stores', { id: 'b', name: 'B' });
    await t.api('PATCH', '/settings', { store_attribution: 'last' });
    await t.event('o_last', 'subscribe', { EventKey: 'qrscene_a', Ticket: 't' });
    await t.event('o_last', 'SCAN', { EventKey: 'b', Ticket: 't' });
    expect((await t.api('GET', '/subscribers/o_last')).body).toMatchObject({ store: 'b', tags: ['store:b'] });
  });

  it('a scene that is no store attributes nobody', async () => {
    await s.event('o_none', 'subscribe', { EventKey: 'qrscene_poster', Ticket: 't' });
    expect(await store('o_none')).toMatchObject({ store: null, tags: [], first_scene: 'poster' });
  });

  it('a scene rule for the same scene answers before the store\'s welcome', async () => {
    const t = await adminServer();
    await t.api('POST', '/stores', { id: 'c', name: 'C', welcome: '门店欢迎语' });
    expect(await t.event('o_sc1', 'subscribe', { EventKey: 'qrscene_c', Ticket: 't' })).toBe('门店欢迎语');
    await t.api('POST', '/rules', { name: '活动', event: 'scene', keys: ['c'], replies: [{ type: 'text', content: '活动欢迎语' }] });
    expect(await t.event('o_sc2', 'subscribe', { EventKey: 'qrscene_c', Ticket: 't' })).toBe('活动欢迎语');
    expect((await t.api('GET', '/subscribers/o_sc2')).body.store).toBe('c');
  });
});

describe('per-store counts and lists', () => {
  it('counts follows, scans, followers and active followers per store', async () => {
    const t = await adminServer();
    await t.api('POST', '/stores', { id: 'x', name: 'X店', city: '杭州' });
    await t.api('POST', '/stores', { id: 'y', name: 'Y店' });
    await t.event('o_1', 'subscribe', { EventKey: 'qrscene_x', Ticket: 't' });
    await t.event('o_2', 'subscribe', { EventKey: 'qrscene_x', Ticket: 't' });
    await t.event('o_3', 'subscribe');
    await t.event('o_3', 'SCAN', { EventKey: 'x', Ticket: 't' });
    await t.event('o_1', 'SCAN', { EventKey: 'y', Ticket: 't' }); // counted as a scan of y; o_1 stays with x
    await t.say('o_1', '你好'); // active
    await t.event('o_2', 'unsubscribe');
    const r = await t.api('GET', '/stats/stores');
    expect(r.body.items).toEqual([
      { store: 'x', name: 'X店', city: '杭州', follows: 2, scans: 1, followers: 2, active_followers: 1 },
      { store: 'y', name: 'Y店', city: null, follows: 0, scans: 1, followers: 0, active_followers: 0 },
    ]);
    const ofX = await t.api('GET', '/subscribers?store=x');
    expect(ofX.body.items.map((f: { openid: string }) => f.openid)).toEqual(['o_1', 'o_2', 'o_3']);
    const tagged = await t.api('GET', '/subscribers?tag=store:x&subscribed=true');
    expect(tagged.body.items.map((f: { openid: string }) => f.openid)).toEqual(['o_1', 'o_3']);
  });

  it('validates stores: id, name, welcome size; a taken id is a conflict', async () => {
    const bad = await s.api('POST', '/stores', { id: '静安', name: '' });
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['id', 'name']);
    expect((await s.api('POST', '/stores', { id: 'sh-jingan', name: 'again' })).status).toBe(409);
    const big = await s.api('PATCH', '/stores/sh-jingan', { welcome: '优'.repeat(700) });
    expect(big.body.error.message).toMatch(/welcome: reply over 2048 bytes/);
  });

  it('a store changed by another connection welcomes with its new text within 1 s', async () => {
    await createStoreRegistry(await connect(database)).update('default', 'sh-jingan', { welcome: '静安店新欢迎语' });
    let n = 0;
    await within(1000, async () => (await s.event(`o_live_${n++}`, 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 't' })) === '静安店新欢迎语');
  });
});

describe('QR codes', () => {
  it('creates a permanent and a temporary code through the API client (the embedded simulator), and records them', async () => {
    const permanent = await s.api('POST', '/stores/sh-jingan/qrcodes', {});
    expect(permanent.status).toBe(201);
    expect(permanent.body).toMatchObject({ store: 'sh-jingan', scene: 'sh-jingan', permanent: true, expires_at: null, ticket: expect.stringMatching(/^gQ/), url: expect.stringMatching(/^http:\/\/weixin\.qq\.com\/q\//) });
    expect(permanent.body.show_url).toBe(`https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=${encodeURIComponent(permanent.body.ticket)}`);
    const temporary = await s.api('POST', '/stores/sh-jingan/qrcodes', { temporary: true, expire_seconds: 3600 });
    expect(temporary.body).toMatchObject({ permanent: false, expires_at: expect.any(String) });
    expect(Date.parse(temporary.body.expires_at) - Date.now()).toBeGreaterThan(3500_000);
    expect(s.server.simulator!.stats().requests['/cgi-bin/qrcode/create']).toBe(2);
    const listed = await s.api('GET', '/stores/sh-jingan/qrcodes');
    expect(listed.body.items.map((q: { ticket: string }) => q.ticket)).toEqual([permanent.body.ticket, temporary.body.ticket]);
    expect((await s.api('POST', '/stores/nowhere/qrcodes', {})).status).toBe(404);
    expect((await s.api('POST', '/stores/sh-jingan/qrcodes', { temporary: true, expire_seconds: 31 * 86400 })).status).toBe(400);
  });

  it('`guang qr create --store ID` creates one against WECHAT_API_BASE and records the ticket and URL', async () => {
    const sim = await startStandaloneSimulator({ port: 0, accountType: 'service' });
    onTestFinished(() => sim.close());
    const db = await runDatabase();
    const env = { GUANG_DB: db.dbPath, ...db.env, WECHAT_TOKEN: 'tok12345', WECHAT_APPID: 'wx1234567890abcdef', WECHAT_APPSECRET: 'secret-for-the-sim', WECHAT_API_BASE: sim.url };
    const add = guang(['stores', 'add', 'gz-01', '--name', '天河店', '--city', '广州'], env);
    expect(await add.exited()).toBe(0);
    const p = guang(['qr', 'create', '--store', 'gz-01', '--temporary', '--expire-seconds', '600'], env);
    expect(await p.exited(), p.stderr()).toBe(0);
    expect(p.stdout()).toMatch(/QR code for store gz-01 「天河店」 created through http:\/\/127\.0\.0\.1:\d+\/sim/);
    expect(p.stdout()).toContain('A follow through it arrives as EventKey qrscene_gz-01, a follower\'s scan as gz-01.');
    expect(sim.simulator.stats().requests['/cgi-bin/qrcode/create']).toBe(1);
    const codes = await createStoreRegistry(await connect(db)).qrCodes('default', 'gz-01');
    expect(codes).toHaveLength(1);
    expect(codes[0]).toMatchObject({ permanent: false, scene: 'gz-01', ticket: expect.stringMatching(/^gQ/) });
    expect(p.stdout()).toContain(codes[0]!.ticket);

    const unknown = guang(['qr', 'create', '--store', 'nope'], env);
    expect(await unknown.exited()).toBe(1);
    expect(unknown.stderr()).toMatch(/no store with id nope/);
  });
});
