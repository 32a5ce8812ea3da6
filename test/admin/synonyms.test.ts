/**
 * Per-account synonyms (/api/synonyms) and product tags (/api/products/tags) over the real server: CRUD,
 * validation (English for scripts, Chinese for the console), permissions, accounts kept apart, and what a
 * follower gets through the signed webhook before and after. On a SQLite file and, as the same suite, a PostgreSQL
 * database.
 */
import { describe, expect, it } from 'vitest';
import { createAccountStore } from '../../src/db/accounts.ts';
import { createWechatPlayer } from '../../src/channels/wechat/player.ts';
import { accountId } from '../../src/core/messages.ts';
import { openDatabase } from '../../src/db/open.ts';
import { createCatalogueSearch } from '../../src/search/catalogue-search.ts';
import { serverDatabases, type ServerDatabase } from '../helpers/databases.ts';
import { adminServer, WECHAT_TOKEN, within } from './harness.ts';
import { addUser, signIn } from './staff-client.ts';

const DRESS = { title: '法式黑色连衣裙', category: '女装/连衣裙', price: 299, tags: [] };
const JACKET = { title: '通勤西装外套', category: '女装/外套', price: 459, tags: ['通勤'] };

async function setUp(database: ServerDatabase) {
  const s = await adminServer({ dbPath: database.dbPath, env: database.env });
  const accounts = createAccountStore(s.server.sql);
  await accounts.save({ ...(await accounts.get('default'))!, id: accountId('shop2'), name: 'shop2' });
  await s.server.accounts.refresh();
  for (const account of ['default', 'shop2']) {
    expect((await s.api('PUT', `/products/D1?account=${account}`, DRESS)).status).toBe(200);
    expect((await s.api('PUT', `/products/J1?account=${account}`, JACKET)).status).toBe(200);
  }
  await s.server.search.refresh();
  const shop2 = createWechatPlayer({ url: `${s.server.url}/wechat/shop2`, token: WECHAT_TOKEN });
  const sayShop2 = async (user: string, text: string) => s.shown(await shop2.text(user, text));
  return { database, s, sayShop2 };
}

const suites = await Promise.all((await serverDatabases()).map(setUp));

for (const { database, s, sayShop2 } of suites) {
  describe(`/api/synonyms (${database.name})`, () => {
    it('creates, lists (newest first) and deletes, normalising the phrase as messages are', async () => {
      const a = await s.api('POST', '/synonyms', { phrase: ' 小黑裙！', meaning: '黑色连衣裙' });
      expect(a.status).toBe(201);
      expect(a.body).toMatchObject({ phrase: '小黑裙', meaning: '黑色连衣裙' });
      const b = await s.api('POST', '/synonyms', { phrase: 'LBD', meaning: '黑色 连衣裙' });
      expect(b.body.phrase).toBe('lbd');
      expect((await s.api('GET', '/synonyms')).body.items.map((x: { phrase: string }) => x.phrase)).toEqual(['lbd', '小黑裙']);
      expect((await s.api('DELETE', `/synonyms/${b.body.id}`)).status).toBe(204);
      expect((await s.api('DELETE', `/synonyms/${b.body.id}`)).status).toBe(404);
      expect((await s.api('GET', '/synonyms')).body.items.map((x: { phrase: string }) => x.phrase)).toEqual(['小黑裙']);
      await s.api('DELETE', `/synonyms/${a.body.id}`);
    });

    it('refuses bad input with the field named, in English or (Accept-Language: zh-CN) Chinese, and writes nothing', async () => {
      const bad = await s.api('POST', '/synonyms', { phrase: '裙', meaning: '' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('validation');
      expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['phrase', 'meaning']);
      expect(bad.body.error.message).toMatch(/at least 2 characters/);
      const zh = await s.api('POST', '/synonyms', { phrase: '裙', meaning: '连衣裙' }, { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
      expect(zh.body.error.message).toBe('粉丝说的词至少 2 个字（单个字会改写太多消息）');
      expect((await s.api('POST', '/synonyms', { phrase: '连衣裙', meaning: '連衣裙' })).body.error.message).toMatch(/same as the phrase/);
      expect((await s.api('POST', '/synonyms', { phrase: 42, meaning: 'x' })).status).toBe(400);
      expect((await s.api('POST', '/synonyms', { phrase: 'x'.repeat(31), meaning: '裙子' })).status).toBe(400);
      await s.api('POST', '/synonyms', { phrase: '战袍', meaning: '连衣裙' });
      const taken = await s.api('POST', '/synonyms', { phrase: '战袍', meaning: '外套' }, { headers: { 'accept-language': 'zh-CN' } });
      expect([taken.status, taken.body.error.code, taken.body.error.message]).toEqual([409, 'conflict', '「战袍」已设为「连衣裙」的同义词，请先删除那一条']);
      expect((await s.api('GET', '/synonyms')).body.items.map((x: { phrase: string }) => x.phrase)).toEqual(['战袍']);
      await s.api('DELETE', `/synonyms/${(await s.api('GET', '/synonyms')).body.items[0].id}`);
    });

    it('lets owners and operators write, viewers only read, store staff nothing', async () => {
      await addUser(s.server.sql, 'syn-op', 'operator', 'operator-password-1');
      await addUser(s.server.sql, 'syn-viewer', 'viewer', 'viewer-password-1');
      await addUser(s.server.sql, 'syn-staff', 'store_staff', 'staff-password-12', 'S1');
      const op = await signIn(s.server.url, 'syn-op', 'operator-password-1');
      const created = await op.call('POST', '/synonyms', { phrase: '打底衫', meaning: 'T恤' });
      expect(created.status).toBe(201);
      const viewer = await signIn(s.server.url, 'syn-viewer', 'viewer-password-1');
      expect((await viewer.call('GET', '/synonyms')).status).toBe(200);
      expect((await viewer.call('POST', '/synonyms', { phrase: '小白鞋', meaning: '板鞋' })).status).toBe(403);
      expect((await viewer.call('DELETE', `/synonyms/${created.body.id}`)).status).toBe(403);
      expect((await viewer.call('POST', '/products/tags', { skus: ['D1'], tag: 'x' })).status).toBe(403);
      const staff = await signIn(s.server.url, 'syn-staff', 'staff-password-12');
      expect((await staff.call('GET', '/synonyms')).status).toBe(403);
      expect((await op.call('DELETE', `/synonyms/${created.body.id}`)).status).toBe(204);
    });

    it('keeps accounts apart (?account=)', async () => {
      const mine = await s.api('POST', '/synonyms?account=shop2', { phrase: '二店词', meaning: '外套' });
      expect(mine.status).toBe(201);
      expect((await s.api('GET', '/synonyms')).body.items).toEqual([]);
      expect((await s.api('DELETE', `/synonyms/${mine.body.id}`)).status).toBe(404);
      expect((await s.api('GET', '/synonyms?account=shop2')).body.items.map((x: { phrase: string }) => x.phrase)).toEqual(['二店词']);
      // The same phrase may mean something else on another account.
      expect((await s.api('POST', '/synonyms', { phrase: '二店词', meaning: '连衣裙' })).status).toBe(201);
      for (const account of ['default', 'shop2']) {
        for (const x of (await s.api('GET', `/synonyms?account=${account}`)).body.items) await s.api('DELETE', `/synonyms/${x.id}?account=${account}`);
      }
    });
  });

  describe(`what followers get (${database.name})`, () => {
    it('a synonym changes what a follower gets on its account only, at once, and deleting it undoes that', async () => {
      const before = await s.say('syn-u1', '小黑裙');
      expect(before).not.toContain('法式黑色连衣裙');
      const made = await s.api('POST', '/synonyms', { phrase: '小黑裙', meaning: '黑色连衣裙' });
      expect(await s.say('syn-u1', '有小黑裙吗')).toContain('法式黑色连衣裙');
      expect(await sayShop2('syn-u2', '有小黑裙吗')).not.toContain('法式黑色连衣裙');
      await s.api('DELETE', `/synonyms/${made.body.id}`);
      expect(await s.say('syn-u3', '小黑裙')).toBe(before);
    });

    it('reaches another process over the same database within its poll, without a restart', async () => {
      const { sql } = await openDatabase(database.dbPath, { secretKey: database.env.GUANG_SECRET_KEY ?? null });
      const other = createCatalogueSearch({ db: sql, pollMs: 100 });
      await other.ready;
      try {
        expect(other.understand('小黑裙', accountId('default')).slots.categories).toEqual([]);
        const made = await s.api('POST', '/synonyms', { phrase: '小黑裙', meaning: '黑色连衣裙' });
        const ms = await within(2000, async () => other.understand('小黑裙', accountId('default')).slots.categories.includes('女装/连衣裙'));
        expect(ms).toBeLessThan(2000);
        expect(other.understand('小黑裙', accountId('shop2')).slots.categories).toEqual([]);
        await s.api('DELETE', `/synonyms/${made.body.id}`);
        await within(2000, async () => other.understand('小黑裙', accountId('default')).slots.categories.length === 0);
      } finally {
        other.stop();
        await sql.close();
      }
    });

    it('a tag added through /api/products/tags makes the products findable by that word', async () => {
      const before = await s.say('tag-u1', '上班战袍');
      expect(before).not.toContain('通勤西装外套');
      const r = await s.api('POST', '/products/tags', { skus: ['J1'], tag: ' 上班战袍 ' });
      expect(r).toEqual({ status: 200, body: { tag: '上班战袍', tagged: ['J1'], unchanged: [] } });
      expect((await s.api('GET', '/products/J1')).body.tags).toEqual(['通勤', '上班战袍']);
      expect((await s.api('POST', '/products/tags', { skus: ['J1'], tag: '上班战袍' })).body).toEqual({ tag: '上班战袍', tagged: [], unchanged: ['J1'] });
      await s.server.search.refresh();
      expect(await s.say('tag-u2', '上班战袍')).toContain('通勤西装外套');
      expect(await sayShop2('tag-u3', '上班战袍')).not.toContain('通勤西装外套');
    });

    it('refuses a tag for a product that does not exist, writing nothing', async () => {
      const r = await s.api('POST', '/products/tags', { skus: ['D1', 'NOPE'], tag: '新标签' }, { headers: { 'accept-language': 'zh-CN' } });
      expect([r.status, r.body.error.message]).toEqual([404, '找不到商品：NOPE']);
      expect((await s.api('GET', '/products/D1')).body.tags).toEqual([]);
      expect((await s.api('POST', '/products/tags', { skus: [], tag: 'x' })).status).toBe(400);
      expect((await s.api('POST', '/products/tags', { skus: ['D1'], tag: '  ' })).status).toBe(400);
    });

    it('finds products for the list API\'s q (the picker\'s search as you type)', async () => {
      const r = await s.api('GET', '/products?q=西装');
      expect(r.body.items.map((p: { sku: string }) => p.sku)).toEqual(['J1']);
      expect((await s.api('GET', '/products?q=d1')).body.items.map((p: { sku: string }) => p.sku)).toEqual(['D1']);
      expect((await s.api('GET', '/products')).body.items).toHaveLength(2);
    });
  });
}
