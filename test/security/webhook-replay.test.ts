/**
 * Issue 10, item 1: a captured webhook URL could be replayed forever. The signature covers token, timestamp
 * and nonce (not the body, in plaintext mode), so the webhook must refuse timestamps far from its clock and
 * take each signed request once, with one body — across processes on one file and across a restart.
 */
import { describe, expect, it } from 'vitest';
import { createWechatPlayer, nextMsgId } from '../../src/channels/wechat/player.ts';
import { manualClock } from '../../src/core/clock.ts';
import { loadConfig } from '../../src/core/config.ts';
import { accountId } from '../../src/core/messages.ts';
import { openDatabase } from '../../src/db/open.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { createWebhookRequestStore } from '../../src/db/webhook-requests.ts';
import { guang } from '../helpers/process.ts';
import { runDatabase } from '../helpers/run-database.ts';
import { AES_KEY, APPID, TOKEN, testServer } from '../helpers/server.ts';
import { V1 } from '../wechat-protocol/vectors.ts';
import { nowSeconds, send, signedQuery, textXml } from './webhook-requests.ts';

const follower = 'o_replay_follower_0001';
const victim = 'o_replay_victim_000002';
const REFUSED = { status: 400, body: 'invalid request' };
const plainEnv = { WECHAT_AES_KEY: '', WECHAT_ENCRYPT_MODE: '' }; // plaintext mode: the body is not signed
const shared = await testServer();
/** An answer without its CreateTime (a retry gets the stored answer, rendered again at its own time). */
const content = (xml: string) => xml.replace(/<CreateTime>\d+<\/CreateTime>/, '');

const optedOut = async (sql: Sql, user: string): Promise<boolean> =>
  ((await sql.get<{ opted_out: number }>('SELECT opted_out FROM subscribers WHERE user_id = ?', [user]))?.opted_out ?? 0) === 1;

describe('freshness: the timestamp must be numeric and within 300 s of the server clock', () => {
  it.each([
    ['2015', '1420070400'],
    ['2100', '4102444800'],
    ['not a number', 'abc'],
    ['a fraction', `${nowSeconds()}.5`],
    ['negative', `-${nowSeconds()}`],
  ])('refuses a correctly signed POST stamped %s', async (_name, timestamp) => {
    const server = shared;
    const res = await send(server.webhook, signedQuery(TOKEN, { timestamp }), textXml(follower, '帮助', nextMsgId()));
    expect({ status: res.status, body: res.body }).toEqual(REFUSED);
  });

  it.each([['2015', '1420070400'], ['2100', '4102444800'], ['not a number', 'abc']])(
    'refuses a correctly signed URL check (GET) stamped %s',
    async (_name, timestamp) => {
      const server = shared;
      const query = signedQuery(TOKEN, { timestamp });
      query.set('echostr', '8831098716349215732');
      const res = await send(server.webhook, query);
      expect({ status: res.status, body: res.body }).toEqual(REFUSED);
    },
  );

  it('measures the skew on the injected clock, both ways, at the configured bound', async () => {
    const clock = manualClock(Date.now());
    const server = await testServer({ clock, env: { WECHAT_MAX_CLOCK_SKEW_SECONDS: '60' } });
    const at = (offset: number) => String(Math.floor(clock.now() / 1000) + offset);
    const post = (offset: number) => send(server.webhook, signedQuery(TOKEN, { timestamp: at(offset) }), textXml(follower, '帮助', nextMsgId()));
    expect((await post(-55)).status).toBe(200);
    expect((await post(55)).status).toBe(200);
    expect((await post(-65)).status).toBe(400);
    expect((await post(65)).status).toBe(400);
    clock.advance(120_000); // the server's clock, not the machine's, decides
    expect((await post(0)).status).toBe(200);
  });

  it('takes the bound from WECHAT_MAX_CLOCK_SKEW_SECONDS (300 by default) and refuses a bad value at start', () => {
    expect(loadConfig({ WECHAT_TOKEN: TOKEN }).maxClockSkewSeconds).toBe(300);
    expect(() => loadConfig({ WECHAT_TOKEN: TOKEN, WECHAT_MAX_CLOCK_SKEW_SECONDS: 'forever' })).toThrow(/WECHAT_MAX_CLOCK_SKEW_SECONDS/);
  });

  it('accepts the platform\'s published 2014 delivery when the server clock says 2014', async () => {
    const clock = manualClock(Number(V1.timestamp) * 1000 + 2_000);
    const server = await testServer({
      clock,
      env: { WECHAT_TOKEN: V1.token, WECHAT_APPID: V1.appId, WECHAT_AES_KEY: AES_KEY, WECHAT_ENCRYPT_MODE: 'safe' },
    });
    const query = signedQuery(V1.token, { timestamp: V1.timestamp, nonce: V1.nonce });
    query.set('encrypt_type', 'aes');
    query.set('msg_signature', V1.msgSignature);
    const res = await send(server.webhook, query, `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[${V1.encrypt}]]></Encrypt></xml>`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<Encrypt>');
  });
});

describe('replay: one signed request, one body', () => {
  it('refuses a captured URL replayed with another body (the TD opt-out attack), and takes the genuine retry', async () => {
    const server = await testServer({ env: plainEnv });
    const query = signedQuery(TOKEN);
    const body = textXml(follower, '帮助', nextMsgId());
    const first = await send(server.webhook, query, body);
    expect(first.status).toBe(200);

    // From a proxy log: the same URL, a body of the attacker's choosing.
    const forged = await send(server.webhook, query, textXml(victim, 'TD', nextMsgId()));
    expect({ status: forged.status, body: forged.body }).toEqual(REFUSED);
    expect(await optedOut(server.sql, victim)).toBe(false);

    // The platform's own retry repeats the whole request: it gets the stored answer.
    const retry = await send(server.webhook, query, body);
    expect([retry.status, content(retry.body)]).toEqual([200, content(first.body)]);
  });

  it('refuses a captured URL check (GET) reused to sign a POST', async () => {
    const server = await testServer({ env: plainEnv });
    const query = signedQuery(TOKEN);
    const handshake = new URLSearchParams(query);
    handshake.set('echostr', '12345');
    expect((await send(server.webhook, handshake)).status).toBe(200);
    const forged = await send(server.webhook, query, textXml(victim, 'TD', nextMsgId()));
    expect({ status: forged.status, body: forged.body }).toEqual(REFUSED);
    expect(await optedOut(server.sql, victim)).toBe(false);
  });

  it('refuses a captured encrypted URL stripped to plaintext (compatible mode)', async () => {
    const server = await testServer({ env: { WECHAT_ENCRYPT_MODE: 'compatible' } });
    const player = createWechatPlayer({ url: server.webhook, token: TOKEN, encrypt: { aesKey: AES_KEY, appId: APPID } });
    const { query, body } = player.delivery({ FromUserName: follower, CreateTime: nowSeconds(), MsgType: 'text', Content: '帮助', MsgId: nextMsgId() });
    expect((await send(server.webhook, query, body)).status).toBe(200);
    const stripped = new URLSearchParams(query);
    stripped.delete('encrypt_type');
    stripped.delete('msg_signature');
    const forged = await send(server.webhook, stripped, textXml(victim, 'TD', nextMsgId()));
    expect({ status: forged.status, body: forged.body }).toEqual(REFUSED);
    expect(await optedOut(server.sql, victim)).toBe(false);
  });

  it('refuses the replay in another process on the same file, and after a restart', async () => {
    // The run's kind of database, its env known: the `guang serve` processes below open it too.
    const database = await runDatabase();
    const inProcess = await testServer({ dbPath: database.dbPath, env: { ...database.env, ...plainEnv } });
    const query = signedQuery(TOKEN);
    const body = textXml(follower, '帮助', nextMsgId());
    const first = await send(inProcess.webhook, query, body);
    expect(first.status).toBe(200);

    const env = {
      PORT: '0', GUANG_DB: database.dbPath, ...database.env, GUANG_LOG_LEVEL: 'silent', WECHAT_TOKEN: TOKEN, WECHAT_APPID: APPID,
      GUANG_SIMULATOR: 'on', // no AppSecret here: the simulator stands in, wherever that needs saying
    };
    const forgedBody = textXml(victim, 'TD', nextMsgId());
    for (const run of ['another process', 'after a restart']) {
      const other = guang(['serve'], env);
      const [, port] = await other.waitFor(/localhost:(\d+)\/wechat/);
      const url = `http://127.0.0.1:${port}/wechat`;
      const forged = await send(url, query, forgedBody);
      expect({ run, status: forged.status, body: forged.body }).toEqual({ run, ...REFUSED });
      const retry = await send(url, query, body);
      expect({ run, status: retry.status, body: content(retry.body) }).toEqual({ run, status: 200, body: content(first.body) });
      other.child.kill('SIGTERM');
      expect(await other.exited()).toBe(0);
    }
    expect(await optedOut(inProcess.sql, victim)).toBe(false);
  }, 60_000); // two guang serve processes start in turn: seconds each on a busy machine

  it('refuses a captured URL whose digits are moved from the nonce into the timestamp as a leading zero', async () => {
    // The signature is sha1 of the sorted parts joined: nonce 0123450 + timestamp T signs exactly as nonce
    // 012345 + timestamp 0T. With a leading zero the time stays T (fresh), but the request looks new.
    const server = await testServer({ env: plainEnv });
    const t = String(nowSeconds());
    const query = signedQuery(TOKEN, { timestamp: t, nonce: '0123450' });
    expect((await send(server.webhook, query, textXml(follower, '帮助', nextMsgId()))).status).toBe(200);
    const moved = new URLSearchParams({ signature: query.get('signature')!, timestamp: `0${t}`, nonce: '012345' });
    const forged = await send(server.webhook, moved, textXml(victim, 'TD', nextMsgId()));
    expect({ status: forged.status, body: forged.body }).toEqual(REFUSED);
    expect(await optedOut(server.sql, victim)).toBe(false);
  });

  it('takes two different requests that happen to share a nonce (the signature differs with the timestamp)', async () => {
    const server = shared;
    const t = nowSeconds();
    const a = await send(server.webhook, signedQuery(TOKEN, { timestamp: t, nonce: '42' }), textXml(follower, '帮助', nextMsgId()));
    const b = await send(server.webhook, signedQuery(TOKEN, { timestamp: t - 1, nonce: '42' }), textXml(follower, '帮助', nextMsgId()));
    expect([a.status, b.status]).toEqual([200, 200]);
  });
});

describe('the replay record', () => {
  it('takes a new request, its exact retry, refuses another body, and forgets requests timestamped before the cut', async () => {
    const database = await runDatabase();
    const { sql } = await openDatabase(database.dbPath, database.env.GUANG_SECRET_KEY ? { secretKey: database.env.GUANG_SECRET_KEY } : {});
    const store = createWebhookRequestStore(sql);
    const a = accountId('default');
    expect(await store.admit(a, 1_000, 'k1', 'h1')).toBe(true);
    expect(await store.admit(a, 1_000, 'k1', 'h1')).toBe(true);
    expect(await store.admit(a, 1_000, 'k1', 'h2')).toBe(false);
    expect(await store.admit(accountId('shop2'), 1_000, 'k1', 'h2')).toBe(true); // per account
    for (let i = 0; i < 5; i++) await store.admit(a, 500 + i, `old${i}`, 'h');
    expect(await store.prune(503)).toBe(3);
    expect(await store.prune(900)).toBe(2);
    expect(await store.admit(a, 1_000, 'k1', 'h2')).toBe(false); // kept: timestamped after the cut
    await sql.close();
  });
});

