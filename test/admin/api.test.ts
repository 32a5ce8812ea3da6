/** The admin API over real HTTP on a real SQLite file and, as the same suite, a PostgreSQL database: auth, validation, pagination, uploads, reports, settings, OpenAPI. */
import { describe, expect, it, onTestFinished } from 'vitest';
import { adminApi } from '../../src/admin/api.ts';
import { tokenMatcher } from '../../src/admin/auth.ts';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/log.ts';
import { accountId } from '../../src/core/messages.ts';
import { createAccountStore } from '../../src/db/accounts.ts';
import { createBroadcastService } from '../../src/push/service.ts';
import { anotherServerDatabase, serverDatabases, type ServerDatabase } from '../helpers/databases.ts';
import { adminServer, ADMIN_TOKEN } from './harness.ts';

type Api = Awaited<ReturnType<typeof adminServer>>['api'];

async function setUp(database: ServerDatabase) {
  return { database, s: await adminServer({ dbPath: database.dbPath, env: database.env }) };
}

const suites = await Promise.all((await serverDatabases()).map(setUp));
const text = (content: string) => ({ type: 'text', content });

/** Walks a list two items a page, following next_cursor: how many pages, and `keyOf` of every item seen. */
async function walk<K>(api: Api, path: string, keyOf: (item: any) => K): Promise<{ pages: number; seen: K[] }> {
  const seen: K[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const r: { body: { items: unknown[]; next_cursor: string | null } } = await api('GET', `${path}?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    seen.push(...r.body.items.map(keyOf));
    cursor = r.body.next_cursor;
    pages++;
  } while (cursor);
  return { pages, seen };
}

for (const { database, s } of suites) {
  /** Inside a test: a server of its own on a new database of the same kind, closed when the test finishes. */
  const ownServer = async (options: Parameters<typeof adminServer>[0] = {}) => {
    const own = await anotherServerDatabase(database);
    const t = await adminServer({ ...options, dbPath: own.dbPath, env: { ...own.env, ...options.env } });
    onTestFinished(() => t.server.close());
    return t;
  };

  describe(`authentication (${database.name})`, () => {
    it('answers 401 with a JSON error without the bearer token, or with a wrong one', async () => {
      for (const token of [null, 'wrong-token-but-long-enough', ADMIN_TOKEN.slice(0, -1), ADMIN_TOKEN + 'x']) {
        const r = await s.api('GET', '/rules', undefined, { token });
        expect(r.status, String(token)).toBe(401);
        expect(r.body).toEqual({ error: { code: 'unauthorized', message: 'sign in (POST /api/session) or send Authorization: Bearer <GUANG_ADMIN_TOKEN>' } });
      }
      const raw = await fetch(`${s.server.url}/api/rules`, { headers: { authorization: `Basic ${ADMIN_TOKEN}` } });
      expect(raw.status).toBe(401);
      expect(raw.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await s.api('GET', '/rules')).status).toBe(200);
    });

    it('compares tokens whatever their length (both sides hashed, then compared in constant time)', () => {
      const matches = tokenMatcher(ADMIN_TOKEN);
      expect(matches(`Bearer ${ADMIN_TOKEN}`)).toBe(true);
      expect(matches(`bearer  ${ADMIN_TOKEN} `)).toBe(true);
      for (const h of [undefined, '', 'Bearer', `Bearer ${ADMIN_TOKEN}x`, `Bearer ${ADMIN_TOKEN.slice(1)}`, `Token ${ADMIN_TOKEN}`, `Bearer ${ADMIN_TOKEN} extra`]) {
        expect(matches(h), String(h)).toBe(false);
      }
    });

    it('refuses a short token outside demo mode, and accepts the demo one in demo mode', async () => {
      const broadcasts = { service: createBroadcastService({ sql: s.server.sql, accountType: 'service', client: () => null }) };
      const deps = { sql: s.server.sql, clock: systemClock, logger: silentLogger, accounts: { get: () => null }, qrClient: () => null, baseUrl: () => '', broadcasts };
      expect(await adminApi({ ...deps, token: 'short-token', demo: false }).enabled).toBe(false);
      expect(await adminApi({ ...deps, token: '', demo: true }).enabled).toBe(false);
      expect(await adminApi({ ...deps, token: 'short-token', demo: true }).enabled).toBe(true);
      expect(await adminApi({ ...deps, token: ADMIN_TOKEN, demo: false }).enabled).toBe(true);
    });

    it('keeps the API off (503, saying how to turn it on) without a token outside demo mode; the webhook still answers', async () => {
      const off = await ownServer({ token: null });
      expect(off.server.adminApi).toBe(false);
      const r = await off.api('GET', '/rules');
      expect(r.status).toBe(503);
      expect(r.body.error).toMatchObject({ code: 'api_disabled', message: expect.stringMatching(/set GUANG_ADMIN_TOKEN .* at least 16 characters/) });
      expect(await off.say('o_off', '帮助')).toContain('找商品');
    });
  });

  describe(`validation and errors (${database.name})`, () => {
    it('answers 400 with every problem, each with its path', async () => {
      const r = await s.api('POST', '/rules', { name: '坏', match: 'regex', keywords: ['(?=x)'], replies: [text(''), { type: 'gif' }] });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('validation');
      expect(r.body.error.details).toEqual([
        { path: 'replies[0].content', message: 'empty reply: a text reply needs some text' },
        { path: 'replies[1].type', message: 'unknown reply type "gif": use text, news or image' },
      ]);
    });

    it('answers 400 for a body that is not JSON, 404 for an unknown account or route, 409 for a taken name', async () => {
      const bad = await s.api('POST', '/rules', '{"name":', { headers: { 'content-type': 'application/json' } });
      expect([bad.status, bad.body.error.code]).toEqual([400, 'bad_json']);
      const account = await s.api('GET', '/rules?account=nobody');
      expect([account.status, account.body.error.code]).toEqual([404, 'unknown_account']);
      const route = await s.api('GET', '/nothing-here');
      expect([route.status, route.body.error.code]).toEqual([404, 'no_such_route']);
      const rule = { name: '同名', match: 'exact', keywords: ['x1'], replies: [text('a')] };
      expect((await s.api('POST', '/rules', rule)).status).toBe(201);
      const twice = await s.api('POST', '/rules', rule);
      expect([twice.status, twice.body.error.code]).toEqual([409, 'conflict']);
      expect(twice.body.error.message).toMatch(/a rule named 「同名」 already exists/);
    });

    it('reads, replaces, patches and deletes a rule', async () => {
      const { body: rule } = await s.api('POST', '/rules', { name: '改我', match: 'exact', keywords: ['改'], replies: [text('v1')] });
      expect((await s.api('GET', `/rules/${rule.id}`)).body).toMatchObject({ id: rule.id, name: '改我', match: 'exact', keywords: ['改'], reply_mode: 'all', enabled: true });
      const put = await s.api('PUT', `/rules/${rule.id}`, { name: '改我', match: 'contains', keywords: ['改'], replies: [text('v2')] });
      expect(put.body).toMatchObject({ match: 'contains', replies: [text('v2')] });
      const patch = await s.api('PATCH', `/rules/${rule.id}`, { priority: 7, active_hours: { from: '09:00', to: '18:00' } });
      expect(patch.body).toMatchObject({ match: 'contains', priority: 7, active_hours: { from: '09:00', to: '18:00' } });
      const badPatch = await s.api('PATCH', `/rules/${rule.id}`, { keywords: Array.from({ length: 11 }, (_, i) => `${i}`) });
      expect(badPatch.body.error.message).toMatch(/too many keywords/);
      expect((await s.api('DELETE', `/rules/${rule.id}`)).status).toBe(204);
      expect((await s.api('GET', `/rules/${rule.id}`)).status).toBe(404);
    });

    it('keeps accounts apart (?account=)', async () => {
      const accounts = createAccountStore(s.server.sql);
      await accounts.save({ ...(await accounts.get('default'))!, id: accountId('shop2'), name: 'shop2' });
      await s.server.accounts.refresh();
      await s.api('POST', '/rules?account=shop2', { name: 'shop2 only', match: 'exact', keywords: ['二店'], replies: [text('二店')] });
      const names = async (account: string) => (await s.api('GET', `/rules?account=${account}&limit=200`)).body.items.map((r: { name: string }) => r.name);
      expect(await names('shop2')).toEqual(['shop2 only']);
      expect(await names('default')).not.toContain('shop2 only');
    });
  });

  describe(`pagination (${database.name})`, () => {
    it('walks a list with limit and next_cursor, and refuses a bad cursor or limit', async () => {
      const p = await ownServer();
      for (let i = 0; i < 5; i++) await p.api('POST', '/rules', { name: `r${i}`, match: 'exact', keywords: [`k${i}`], replies: [text('x')] });
      const { pages, seen } = await walk(p.api, '/rules', (x) => x.name);
      expect([pages, seen]).toEqual([3, ['r0', 'r1', 'r2', 'r3', 'r4']]);
      expect((await p.api('GET', '/rules?cursor=nonsense')).body.error.code).toBe('bad_cursor');
      expect((await p.api('GET', '/rules?limit=0')).body.error.message).toMatch(/limit: a number from 1 to 200/);
    });
  });

  describe(`catalogue (${database.name})`, () => {
    it('creates, reads and deletes a product, validated like an imported row', async () => {
      const put = await s.api('PUT', '/products/A1', { title: '碎花连衣裙', category: '女装/连衣裙', price: '199.00', tags: ['夏季'] });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ sku: 'A1', title: '碎花连衣裙', category: '女装/连衣裙', price: 199, tags: ['夏季'] });
      const bad = await s.api('PUT', '/products/A2', { title: 'x', category: '女装', price: 'abc' });
      expect([bad.status, bad.body.error.message]).toEqual([400, 'price "abc" is not a number']);
      expect((await s.api('GET', '/products/A1')).body.title).toBe('碎花连衣裙');
      expect((await s.api('DELETE', '/products/A1')).status).toBe(204);
      expect((await s.api('GET', '/products/A1')).status).toBe(404);
    });

    it('imports an uploaded file (multipart), reporting the failed rows by line', async () => {
      const csv = ['sku,title,category,price', 'P1,衬衫,男装/衬衫,99', 'P2,坏价格,男装/衬衫,abc', 'P3,T恤,男装/T恤,59'].join('\n');
      const form = new FormData();
      form.append('file', new Blob([csv], { type: 'text/csv' }), 'products.csv');
      const r = await s.api('POST', '/products/import', form);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ imported: 2, updated: 0, total: 3, format: 'csv', failed: [{ line: 3, reason: 'price "abc" is not a number' }] });
      const list = await s.api('GET', '/products?limit=1');
      expect(list.body.items).toHaveLength(1);
      expect(list.body.next_cursor).not.toBeNull();
    });

    it('imports a raw body named by ?filename=, and hotels and deals alike', async () => {
      const jsonl = ['{"id":"H1","name":"如家","city":"上海","lat":31.23,"lng":121.47,"price":199}', '{"id":"H2","name":"坏","city":"上海","lat":131,"lng":121}'].join('\n');
      const r = await s.api('POST', '/hotels/import?filename=hotels.jsonl', jsonl, { headers: { 'content-type': 'application/octet-stream' } });
      expect(r.body).toMatchObject({ imported: 1, format: 'jsonl', failed: [{ line: 2, reason: expect.stringMatching(/lat "?131"? is outside/) }] });
      const deals = await s.api('POST', '/deals/import', 'id,title,city,price\nD1,双人套餐,上海,88', { headers: { 'content-type': 'text/csv' } });
      expect(deals.body).toMatchObject({ imported: 1, format: 'csv' });
      expect((await s.api('GET', '/deals/D1')).body).toMatchObject({ id: 'D1', price: 88, city: '上海' });
    });

    it('imports rules from an uploaded JSON file', async () => {
      const form = new FormData();
      const rules = [{ name: '上传的', match: 'exact', keywords: ['上传'], replies: [text('ok')] }, { name: '坏的', match: 'exact', replies: [text('x')] }];
      form.append('file', new Blob([JSON.stringify(rules)], { type: 'application/json' }), 'rules.json');
      const r = await s.api('POST', '/rules/import', form);
      expect(r.body).toEqual({ total: 2, created: 1, updated: 0, failed: [{ index: 1, name: '坏的', reason: 'keywords: at least one keyword' }] });
      expect(await s.say('o_upload', '上传')).toBe('ok');
    });
  });

  describe(`reports (${database.name})`, () => {
    it('shows top queries, zero-result queries, rule hits and intents per day', async () => {
      const r = await ownServer();
      await r.api('POST', '/rules', { name: '营业', match: 'contains', keywords: ['营业'], replies: [text('9点到21点')] });
      await r.api('POST', '/rules', { name: '菜单', event: 'click', keys: ['M1'], replies: [text('菜单')] });
      for (const [user, t] of [['a', '营业时间'], ['b', '营业时间'], ['a', '连衣裙'], ['c', '连衣裙'], ['c', '连衣裙'], ['a', 'asdf']] as const) await r.say(`o_${user}`, t);
      await r.event('o_a', 'CLICK', { EventKey: 'M1' });
      await new Promise((done) => setTimeout(done, 100)); // the answer log is written in the next group commit

      const top = await r.api('GET', '/stats/top-queries');
      expect(top.body.items.slice(0, 2)).toEqual([
        { query: '连衣裙', count: 3, followers: 2, last_asked_at: expect.any(String) },
        { query: '营业时间', count: 2, followers: 2, last_asked_at: expect.any(String) },
      ]);
      const zero = await r.api('GET', '/stats/zero-results');
      expect(zero.body.items.map((z: { query: string; reason: string }) => [z.query, z.reason])).toEqual([['连衣裙', 'no_results'], ['asdf', 'not_understood']]);
      const hits = await r.api('GET', '/stats/rule-hits');
      expect(hits.body.items.map((h: { name: string; hits: number }) => [h.name, h.hits])).toEqual([['营业', 2], ['菜单', 1]]);
      const intents = await r.api('GET', '/stats/intents');
      expect(intents.body.days).toHaveLength(1);
      expect(intents.body.days[0]).toMatchObject({ total: 6, intents: { rule: 2, product: 3 } });
      const old = await r.api('GET', '/stats/top-queries?from=2020-01-01&to=2020-01-31');
      expect(old.body).toMatchObject({ from: '2019-12-31T16:00:00.000Z', to: '2020-01-31T16:00:00.000Z', items: [] });
      expect((await r.api('GET', '/stats/top-queries?from=yesterday')).body.error.code).toBe('validation');
    });
  });

  describe(`settings (${database.name})`, () => {
    it('shows the defaults, changes fields, resets one with null, and refuses an unknown voice', async () => {
      const t = await ownServer();
      expect((await t.api('GET', '/settings')).body).toMatchObject({
        bot_name: '小逛', account_name: '逛', voice: 'lively', store_attribution: 'first', welcome_text: null, help_text: null, fallback_text: null, example_queries: null,
      });
      expect((await t.api('PATCH', '/settings', { bot_name: '小美' })).body.bot_name).toBe('小美');
      expect((await t.api('PUT', '/settings', { bot_name: null, voice: 'gentle' })).body).toMatchObject({ bot_name: '小逛', voice: 'gentle' });
      const bad = await t.api('PATCH', '/settings', { voice: 'angry' });
      expect(bad.body.error.message).toMatch(/voice: one of lively, gentle, brief/);
    });
  });

  describe(`the OpenAPI document (${database.name})`, () => {
    it('is served without a token and describes every route, with request schemas from the validators', async () => {
      const res = await fetch(`${s.server.url}/api/openapi.json`);
      const doc = await res.json();
      expect(doc.openapi).toBe('3.1.0');
      for (const p of ['/api/rules', '/api/rules/{id}', '/api/products/import', '/api/stores/{id}/qrcodes', '/api/subscribers', '/api/stats/zero-results', '/api/settings']) {
        expect(doc.paths[p], p).toBeDefined();
      }
      const body = doc.paths['/api/rules'].post.requestBody.content['application/json'].schema;
      expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['name', 'match', 'keywords', 'event', 'keys', 'replies', 'reply_mode', 'priority', 'enabled', 'active_hours']));
      expect(body.properties.replies.maxItems).toBe(5);
      expect(doc.paths['/api/rules'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['account', 'limit', 'cursor', 'kind']));
    });
  });

  describe(`broadcasts, in the same API (${database.name})`, () => {
    const broadcast = (name: string) => ({ name, message: text('本周女装上新'), audience: { all: true }, channel: 'custom' });

    it('are in the OpenAPI document, with their schemas and the list parameters', async () => {
      const doc = await (await fetch(`${s.server.url}/api/openapi.json`)).json();
      for (const p of ['/api/broadcasts', '/api/broadcasts/settings', '/api/broadcasts/{id}', '/api/broadcasts/{id}/runs/{run}', '/api/broadcasts/{id}/preview', '/api/broadcasts/{id}/send', '/api/broadcasts/{id}/cancel', '/api/broadcasts/{id}/replies.csv']) {
        expect(doc.paths[p], p).toBeDefined();
      }
      expect(Object.keys(doc.paths['/api/broadcasts'])).toEqual(expect.arrayContaining(['get', 'post']));
      expect(doc.paths['/api/broadcasts'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['account', 'limit', 'cursor']));
      const create = doc.paths['/api/broadcasts'].post.requestBody.content['application/json'].schema;
      expect(Object.keys(create.properties)).toEqual(expect.arrayContaining(['name', 'message', 'audience', 'channel', 'schedule', 'replies']));
      const settings = doc.paths['/api/broadcasts/settings'].put.requestBody.content['application/json'].schema;
      expect(Object.keys(settings.properties)).toEqual(['weekly_cap', 'quiet_start', 'quiet_end', 'tz']);
      expect(Object.keys(doc.paths['/api/broadcasts/{id}/send'].post.responses)).toContain('202');
      expect(Object.keys(doc.paths['/api/broadcasts/{id}/replies.csv'].get.responses['200'].content)).toEqual(['text/csv']);
    });

    it('answer a bad broadcast with 400 and every problem in details, and bad JSON with the API\'s bad_json', async () => {
      const r = await s.api('POST', '/broadcasts', { name: '坏', message: { type: 'text', content: '' }, audience: {}, channel: 'sms' });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('validation');
      expect(r.body.error.details).toEqual(expect.arrayContaining([
        { path: 'message.content', message: 'the text to send' },
        expect.objectContaining({ path: 'audience' }),
        expect.objectContaining({ path: 'channel' }),
      ]));
      expect(r.body.error.message).toContain('message.content: the text to send');
      const bad = await s.api('POST', '/broadcasts', '{"name":', { headers: { 'content-type': 'application/json' } });
      expect([bad.status, bad.body.error.code]).toEqual([400, 'bad_json']);
      const id = await s.api('GET', '/broadcasts/abc');
      expect([id.status, id.body.error]).toEqual([400, { code: 'validation', message: 'id: a broadcast id (a number)' }]);
      const missing = await s.api('GET', '/broadcasts/99999');
      expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found']);
    });

    it('list with limit and next_cursor like every other list', async () => {
      const p = await ownServer();
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push((await p.api('POST', '/broadcasts', broadcast(`b${i}`))).body.id);
      const { pages, seen } = await walk(p.api, '/broadcasts', (x) => x.id);
      expect([pages, seen]).toEqual([3, ids]);
      expect((await p.api('GET', '/broadcasts?cursor=nonsense')).body.error.code).toBe('bad_cursor');
      expect((await p.api('GET', '/broadcasts?limit=0')).body.error.message).toMatch(/limit: a number from 1 to 200/);
    });

    it('export the collected replies as a CSV download', async () => {
      const { body: b } = await s.api('POST', '/broadcasts', broadcast('回复导出'));
      const res = await fetch(`${s.server.url}/api/broadcasts/${b.id}/replies.csv`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename=broadcast-${b.id}-replies.csv`);
      expect(Buffer.from(await res.arrayBuffer()).toString('utf8')).toBe('\uFEFFbroadcast,openid,reason,text,at\r\n'); // with its BOM, for Excel
    });
  });
}
