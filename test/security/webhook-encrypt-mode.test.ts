/**
 * Issue 10, item 1 (second half): plaintext deliveries were accepted even with an EncodingAESKey set, and in
 * plaintext the signature does not cover the body. WECHAT_ENCRYPT_MODE=plain|compatible|safe, per account;
 * safe by default when a key is set. The platform sends encrypt_type=aes in its compatible AND safe modes,
 * so a safe account refuses whatever comes without it.
 */
import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { createWechatPlayer, nextMsgId } from '../../src/channels/wechat/player.ts';
import { ConfigError, loadConfig } from '../../src/core/config.ts';
import { createAccountStore } from '../../src/db/accounts.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { AES_KEY, APPID, TOKEN, testServer } from '../helpers/server.ts';
import { send, signedQuery, textXml } from './webhook-requests.ts';

const follower = 'o_mode_follower_000001';
const victim = 'o_mode_victim_00000002';
const optedOut = async (sql: Sql, user: string): Promise<boolean> =>
  ((await sql.get<{ opted_out: number }>('SELECT opted_out FROM subscribers WHERE user_id = ?', [user]))?.opted_out ?? 0) === 1;

describe('safe mode (the default with an EncodingAESKey)', async () => {
  const server = await testServer({ env: { WECHAT_ENCRYPT_MODE: '' } }); // unset: derived from the key
  const encrypted = createWechatPlayer({ url: server.webhook, token: TOKEN, encrypt: { aesKey: AES_KEY, appId: APPID } });

  it('refuses a correctly signed plaintext delivery (a forged TD)', async () => {
    const res = await send(server.webhook, signedQuery(TOKEN), textXml(victim, 'TD', nextMsgId()));
    expect([res.status, res.body]).toEqual([400, 'invalid request']);
    expect(await optedOut(server.sql, victim)).toBe(false);
  });

  it('refuses plaintext fields next to an encrypt_type that is not aes', async () => {
    const query = signedQuery(TOKEN);
    query.set('encrypt_type', 'raw');
    expect((await send(server.webhook, query, textXml(victim, 'TD', nextMsgId()))).status).toBe(400);
  });

  it('answers encrypted deliveries, in encrypted form', async () => {
    const res = await encrypted.text(follower, '帮助');
    expect(res.body).toContain('<Encrypt>');
    expect(res.reply!.Content).toContain('找商品');
  });

  it('still answers the URL check (GET): its echostr is plaintext in every mode', async () => {
    const query = signedQuery(TOKEN);
    query.set('echostr', '42');
    expect(await send(server.webhook, query)).toMatchObject({ status: 200, body: '42' });
  });

  it('holds per account: an account saved as safe refuses plaintext, one without a key takes it', async () => {
    const account = (id: string, aesKey: string | null, encryptMode?: 'safe') => ({
      id: accountId(id), name: id, token: `${id}token`, appId: APPID, appSecret: null, aesKey, previousAesKey: null,
      accountType: 'service' as const, apiBase: null, customerService: false, ...(encryptMode ? { encryptMode } : {}),
    });
    const store = createAccountStore(server.sql);
    await store.save(account('strict', AES_KEY, 'safe'));
    await store.save(account('legacy', null));
    await server.accounts.refresh();
    const strict = await send(`${server.url}/wechat/strict`, signedQuery('stricttoken'), textXml(follower, '帮助', nextMsgId()));
    const legacy = await send(`${server.url}/wechat/legacy`, signedQuery('legacytoken'), textXml(follower, '帮助', nextMsgId()));
    expect([strict.status, legacy.status]).toEqual([400, 200]);
  });
});

describe('compatible mode (explicit, for a merchant mid-switch)', async () => {
  const server = await testServer({ env: { WECHAT_ENCRYPT_MODE: 'compatible' } });

  it('takes plaintext and encrypted deliveries', async () => {
    const plain = createWechatPlayer({ url: server.webhook, token: TOKEN });
    const encrypted = createWechatPlayer({ url: server.webhook, token: TOKEN, encrypt: { aesKey: AES_KEY, appId: APPID } });
    expect((await plain.text(follower, '帮助')).reply!.Content).toContain('找商品');
    expect((await encrypted.text(follower, '帮助')).reply!.Content).toContain('找商品');
  });
});

describe('configuration', () => {
  const base = { WECHAT_TOKEN: TOKEN, WECHAT_APPID: APPID };

  it.each(['safe', 'compatible'])('refuses %s mode without an EncodingAESKey, naming the variable', (mode) => {
    expect(() => loadConfig({ ...base, WECHAT_ENCRYPT_MODE: mode })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, WECHAT_ENCRYPT_MODE: mode })).toThrow(/WECHAT_ENCRYPT_MODE: .*WECHAT_AES_KEY/);
  });

  it('refuses a mode it does not know', () => {
    expect(() => loadConfig({ ...base, WECHAT_ENCRYPT_MODE: 'aes' })).toThrow(/WECHAT_ENCRYPT_MODE: expected plain, compatible, safe/);
  });

  it('defaults to safe with a key, plain without, and compatible in demo mode (guang chat sends both)', () => {
    expect(loadConfig({ ...base, WECHAT_AES_KEY: AES_KEY }).wechat.encryptMode).toBe('safe');
    expect(loadConfig(base).wechat.encryptMode).toBe('plain');
    expect(loadConfig({}, { demo: true }).wechat.encryptMode).toBe('compatible');
    expect(loadConfig({ WECHAT_ENCRYPT_MODE: 'safe' }, { demo: true }).wechat.encryptMode).toBe('safe');
  });
});
