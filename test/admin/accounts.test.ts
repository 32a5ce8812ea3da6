/**
 * `/api/accounts` over real HTTP: adding and changing an official account, secrets that never come back (not in
 * an answer, not in the audit log, not in plaintext in the database file), validation in English and Chinese,
 * who may do what, and a new account's webhook answering a signed message without a restart. On a SQLite file
 * and, as the same suite, a PostgreSQL database.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createWechatPlayer } from '../../src/channels/wechat/player.ts';
import { serverDatabases, type ServerDatabase } from '../helpers/databases.ts';
import { adminServer } from './harness.ts';
import { addUser, signIn } from './staff-client.ts';

const PW = 'long-enough-pw';

async function setUp(database: ServerDatabase) {
  const s = await adminServer({ dbPath: database.dbPath, env: database.env });
  await addUser(s.server.sql, 'boss', 'owner', PW);
  await addUser(s.server.sql, 'ops', 'operator', PW);
  return { database, s, base: s.server.url };
}

const SECRET = 'Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const TOKEN = 'shoptwotoken42';
const shop2 = { id: 'shop2', name: '二号店公众号', app_id: 'wx2c2769f8efd9abc2', app_secret: SECRET, token: TOKEN, type: 'service', encrypt_mode: 'plain' };
const NEW_SECRET = 'Zz99Yy88Xx77Ww66Vv55Uu44Tt33Ss22';
const zh = { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } };

/** No answer and no audit row may hold a secret, whole or in part longer than the masked tail. */
const leaks = (text: string) => [SECRET, AES_KEY, TOKEN, NEW_SECRET, SECRET.slice(0, 12), AES_KEY.slice(0, 12)].filter((x) => text.includes(x));

const suites = await Promise.all((await serverDatabases()).map(setUp));

for (const { database, s, base } of suites) {
  describe(`accounts (${database.name})`, () => {
    it('the owner adds an account: answered with its webhook URL and masked secrets, the secrets never', async () => {
      const r = await s.api('POST', '/accounts', shop2);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toMatchObject({
        id: 'shop2', name: '二号店公众号', type: 'service', app_id: 'wx2c2769f8efd9abc2', encrypt_mode: 'plain',
        webhook_url: `${base.replace('127.0.0.1', 'localhost')}/wechat/shop2`, api_access: true,
        secrets: { token: '••••en42', app_secret: '••••Op56', aes_key: null },
      });
      expect(leaks(JSON.stringify(r.body))).toEqual([]);
      const list = await s.api('GET', '/accounts');
      expect(list.body.items.map((a: { id: string }) => a.id)).toEqual(['default', 'shop2']);
      expect(list.body.items[0].webhook_url).toMatch(/\/wechat$/);
      expect(leaks(JSON.stringify(list.body))).toEqual([]);
      // Stored encrypted: no secret in plaintext in the database file (SQLite) or the account's row (PostgreSQL).
      const stored = database.name === 'sqlite' ? readFileSync(s.dbPath).toString('latin1') : JSON.stringify(await s.server.sql.all('SELECT * FROM accounts'));
      expect(leaks(stored)).toEqual([]);
    });

    it('a new account\'s webhook answers a signed message at once, without a restart; a wrong token is refused', async () => {
      const player = createWechatPlayer({ url: `${base}/wechat/shop2`, token: TOKEN });
      const answer = await player.text('o_follower_1', '你好');
      expect(answer.status).toBe(200);
      expect(answer.reply?.MsgType).toBeDefined();
      const forged = createWechatPlayer({ url: `${base}/wechat/shop2`, token: 'notthetoken123' });
      expect((await forged.text('o_follower_1', '你好')).status).toBe(400);
      // The API takes it as ?account= too.
      expect((await s.api('GET', '/rules?account=shop2')).status).toBe(200);
    });

    it('a change keeps what is left out (the secrets too), takes a new secret without echoing it, and null clears one', async () => {
      const renamed = await s.api('PATCH', '/accounts/shop2', { name: '二号店' });
      expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
      expect(renamed.body).toMatchObject({ name: '二号店', api_access: true, secrets: { token: '••••en42', app_secret: '••••Op56' } });
      const rotated = await s.api('PATCH', '/accounts/shop2', { app_secret: NEW_SECRET, aes_key: AES_KEY, encrypt_mode: 'compatible' });
      expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
      expect(rotated.body.secrets).toEqual({ token: '••••en42', app_secret: '••••Ss22', aes_key: '••••DEFG' });
      expect(leaks(JSON.stringify(rotated.body))).toEqual([]);
      const cleared = await s.api('PATCH', '/accounts/shop2', { app_secret: null });
      expect(cleared.body).toMatchObject({ api_access: false, secrets: { app_secret: null } });
      // The token still signs (it was left out of every change).
      expect((await createWechatPlayer({ url: `${base}/wechat/shop2`, token: TOKEN }).text('o_follower_2', '在吗')).status).toBe(200);
    });

    it('the audit log records each change by account id, and no secret', async () => {
      const audit = await s.api('GET', '/audit?limit=200');
      const rows = audit.body.items.filter((e: { route: string }) => e.route.endsWith('Account'));
      expect(rows.map((e: { route: string; target: string }) => `${e.route} ${e.target}`)).toEqual([
        'updateAccount id=shop2', 'updateAccount id=shop2', 'updateAccount id=shop2', 'createAccount id=shop2',
      ]);
      expect(leaks(JSON.stringify(audit.body))).toEqual([]);
      // Narrowed by operation and by user, a page at a time.
      const created = await s.api('GET', '/audit?route=createAccount');
      expect(created.body.items.map((e: { target: string }) => e.target)).toEqual(['id=shop2']);
      const first = await s.api('GET', '/audit?route=updateAccount&who=token&limit=2');
      expect(first.body.items).toHaveLength(2);
      const rest = await s.api('GET', `/audit?route=updateAccount&who=token&limit=2&cursor=${first.body.next_cursor}`);
      expect(rest.body).toMatchObject({ items: [{ route: 'updateAccount', who: 'token' }], next_cursor: null });
      expect((await s.api('GET', '/audit?who=nobody')).body.items).toEqual([]);
    });

    it('refuses bad input with a message per field, in English for scripts and Chinese when asked', async () => {
      const bad = { id: 'Shop 3', name: '', app_id: 'wx123', app_secret: 'short', token: 'ab', aes_key: 'tooshort', type: 'enterprise', encrypt_mode: 'safe' };
      const en = await s.api('POST', '/accounts', bad);
      expect(en.status).toBe(400);
      expect(en.body.error.code).toBe('validation');
      expect(en.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['aes_key', 'app_id', 'app_secret', 'id', 'name', 'token', 'type']);
      expect(en.body.error.message).toContain('3–32 letters or digits');
      expect(en.body.error.details.find((d: { path: string }) => d.path === 'aes_key').message).toBe('the EncodingAESKey, 43 letters or digits');
      const cn = await s.api('POST', '/accounts', bad, zh);
      expect(cn.body.error.details.find((d: { path: string }) => d.path === 'token').message).toBe('令牌（Token）为 3–32 位字母或数字');
      expect(cn.body.error.details.find((d: { path: string }) => d.path === 'aes_key').message).toBe('EncodingAESKey 为 43 位字母或数字');
      // Across fields: safe mode without a key, a key without an AppID.
      const noKey = await s.api('POST', '/accounts', { id: 'shop3', name: '三号店', token: 'tokenthree', encrypt_mode: 'safe' }, zh);
      expect(noKey.status).toBe(400);
      expect(noKey.body.error.details).toEqual([{ path: 'aes_key', message: '兼容模式和安全模式需要 EncodingAESKey' }]);
      const noAppId = await s.api('POST', '/accounts', { id: 'shop3', name: '三号店', token: 'tokenthree', aes_key: AES_KEY });
      expect(noAppId.body.error.details[0].path).toBe('app_id');
      expect((await s.api('POST', '/accounts', shop2, zh)).body.error).toMatchObject({ code: 'conflict', message: '公众号 shop2 已存在' });
      expect((await s.api('PATCH', '/accounts/nope', { name: 'x' })).status).toBe(404);
      // The default account is the environment's: changing it here would be undone at the next start.
      expect((await s.api('PATCH', '/accounts/default', { name: 'x' })).status).toBe(409);
      expect((await s.api('GET', '/accounts')).body.items.map((a: { id: string }) => a.id)).toEqual(['default', 'shop2']);
    });

    it('everyone signed in lists ids and names only; only the owner adds or changes an account', async () => {
      const ops = await signIn(base, 'ops', PW);
      const list = await ops.call('GET', '/accounts');
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([{ id: 'default', name: 'default' }, { id: 'shop2', name: '二号店' }]);
      expect((await ops.call('POST', '/accounts', { ...shop2, id: 'shop9' })).status).toBe(403);
      expect((await ops.call('PATCH', '/accounts/shop2', { name: '改名' })).status).toBe(403);
      const boss = await signIn(base, 'boss', PW);
      const full = await boss.call('GET', '/accounts');
      expect(full.body.items[1]).toMatchObject({ id: 'shop2', webhook_url: expect.stringMatching(/\/wechat\/shop2$/) });
      expect((await boss.call('PATCH', '/accounts/shop2', { name: '二号店（新）' })).status).toBe(200);
    });

    it('staff and password messages come in Chinese when asked (the console), English otherwise', async () => {
      const short = await s.api('POST', '/staff', { username: 'lan', role: 'viewer', password: 'short' }, zh);
      expect(short.body.error.details).toEqual([{ path: 'password', message: '密码至少 10 个字符' }]);
      expect((await s.api('POST', '/staff', { username: 'lan', role: 'viewer', password: 'short' })).body.error.details).toEqual([{ path: 'password', message: 'at least 10 characters' }]);
      const noStore = await s.api('POST', '/staff', { username: 'lan', role: 'store_staff', password: 'long-enough-pw' }, zh);
      expect(noStore.body.error.message).toBe('store: 门店员工需要选择所属门店');
      const lastOwner = await s.api('PATCH', '/staff/boss', { disabled: true }, zh);
      expect(lastOwner.status).toBe(409);
      expect(lastOwner.body.error.message).toBe('不能这样做：这样将没有可以登录的所有者。请先把另一位员工设为所有者');
      expect((await s.api('PATCH', '/staff/boss', { disabled: true })).body.error.message).toMatch(/^this would leave no owner/);
    });
  });
}
