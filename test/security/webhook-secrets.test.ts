/**
 * Issue 10, item 2 (second half): `guang serve` printed the Token at every start. The banner says that the
 * Token, AppSecret and EncodingAESKey are set, never what they are; nor does any log line, at any level.
 */
import { describe, expect, it } from 'vitest';
import { createWechatPlayer } from '../../src/channels/wechat/player.ts';
import { guang } from '../helpers/process.ts';
import { runDatabase } from '../helpers/run-database.ts';

const TOKEN = 'Tok3nOnlyTheMerchantKnows';
const APP_SECRET = 'appsecret0only0the0merchant0knows';
const AES_KEY = 'Secr3tEncodingAESKeyOnlyTheMerchantKnows123';
const PREVIOUS_AES_KEY = 'Prev1ousEncodingAESKeyOnlyTheMerchantKnows1';
const APPID = 'wx1234567890abcdef';

describe('guang serve shows that secrets are set, never what they are', () => {
  it.each(['info', 'debug'])('prints no Token, AppSecret or EncodingAESKey on stdout or stderr (log level %s)', async (level) => {
    const database = await runDatabase();
    const p = guang(['serve'], {
      PORT: '0', GUANG_DB: database.dbPath, ...database.env, GUANG_LOG_LEVEL: level,
      WECHAT_TOKEN: TOKEN, WECHAT_APPID: APPID, WECHAT_APPSECRET: APP_SECRET,
      WECHAT_AES_KEY: AES_KEY, WECHAT_AES_KEY_PREVIOUS: PREVIOUS_AES_KEY,
      WECHAT_API_BASE: 'http://127.0.0.1:9', // never called: nothing here needs the API
    });
    const [, port] = await p.waitFor(/localhost:(\d+)\/wechat/);
    expect(p.stdout()).not.toContain(TOKEN);
    expect(p.stdout()).toMatch(/Token \(令牌\):\s+set/);
    expect(p.stdout()).toMatch(/EncodingAESKey \/ AppSecret:\s+set \/ set/);
    const player = createWechatPlayer({ url: `http://127.0.0.1:${port}/wechat`, token: TOKEN, encrypt: { aesKey: AES_KEY, appId: APPID } });
    expect((await player.text('o_secrets_follower_1', '帮助')).status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited()).toBe(0);
    const output = p.stdout() + p.stderr();
    // On PostgreSQL, GUANG_SECRET_KEY too.
    for (const secret of [TOKEN, APP_SECRET, AES_KEY, PREVIOUS_AES_KEY, ...Object.values(database.env)]) expect(output).not.toContain(secret);
  });
});
