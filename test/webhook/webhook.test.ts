import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/agent/pipeline.ts';
import { createWechatPlayer, nextMsgId } from '../../src/channels/wechat/player.ts';
import { sha1Sorted } from '../../src/channels/wechat/signature.ts';
import { buildMessageXml } from '../../src/channels/wechat/xml.ts';
import { createAccountStore } from '../../src/db/accounts.ts';
import { accountId } from '../../src/core/messages.ts';
import { serverDatabases } from '../helpers/databases.ts';
import { AES_KEY, APPID, OLD_AES_KEY, TOKEN, testServer } from '../helpers/server.ts';

const user = 'oyORnuP8q7ou2gfYjqLzSIWZf0rs';

/** Test skills: a counter with a visible side effect, a slow one, a failing one, a long one. */
let sideEffects = 0;
const skills: Step[] = [
  (ctx, next) => {
    if (ctx.command !== 'count') return next();
    sideEffects++;
    ctx.answer({ type: 'text', text: `side effect ${sideEffects}` }, 'custom:count');
  },
  (ctx, next) => (ctx.command === 'boom' ? Promise.reject(new Error('boom')) : next()),
  (ctx, next) => {
    if (ctx.command !== 'long') return next();
    const line = '<a href="https://shop.example.com/item/12345">连衣裙 夏季新款 碎花 雪纺</a> ¥199\n';
    ctx.answer({ type: 'text', text: line.repeat(60) }, 'custom:long');
  },
  (ctx, next) => {
    if (ctx.command !== 'cards') return next();
    const article = (i: number) => ({ title: `商品 ${i}`, url: `https://shop.example.com/${i}` });
    ctx.answer({ type: 'news', articles: [article(1), article(2), article(3)] }, 'custom:cards');
  },
];

// The protocol on a SQLite file; what the database decides (dedup, accounts) on each database (see the end).
const suites = await Promise.all((await serverDatabases()).map(async (database) => ({ database, server: await testServer({ skills, dbPath: database.dbPath, env: database.env }) })));
const server = suites[0]!.server;
const plain = createWechatPlayer({ url: server.webhook, token: TOKEN });
const safe = createWechatPlayer({ url: server.webhook, token: TOKEN, encrypt: { aesKey: AES_KEY, appId: APPID } });

function signedQuery(extra: Record<string, string> = {}, token = TOKEN): string {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9)); // a query used twice with another body is a replay
  return new URLSearchParams({ signature: sha1Sorted([token, timestamp, nonce]), timestamp, nonce, ...extra }).toString();
}

const post = (body: string, query = signedQuery(), path = '/wechat') =>
  fetch(`${server.url}${path}?${query}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });

const textXml = (content: string, msgId = nextMsgId()) =>
  buildMessageXml({ ToUserName: 'gh_test', FromUserName: user, CreateTime: 1714036504, MsgType: 'text', Content: content, MsgId: msgId });

describe('URL verification (GET)', () => {
  it('echoes echostr for a valid signature', async () => {
    const res = await fetch(`${server.webhook}?${signedQuery({ echostr: '8831098716349215732' })}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('8831098716349215732');
  });

  it('refuses a forged signature', async () => {
    const res = await fetch(`${server.webhook}?${signedQuery({ echostr: 'x' }, 'not-the-token')}`);
    expect([res.status, await res.text()]).toEqual([400, 'invalid request']);
  });
});

describe('plaintext mode', () => {
  it('answers a text message with reply XML addressed back to the follower', async () => {
    const { reply } = await plain.text(user, '帮助');
    expect(reply).toMatchObject({ ToUserName: user, FromUserName: 'gh_guang_demo', MsgType: 'text' });
    expect(reply!.Content).toContain('找商品');
    const created = Number(reply!.CreateTime);
    expect(Math.abs(created - Date.now() / 1000)).toBeLessThan(60); // seconds, not milliseconds
  });

  it('answers `success`, never empty XML, when there is nothing to say', async () => {
    const res = await plain.event(user, 'VIEW', { EventKey: 'https://example.com' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('success');
  });

  it('treats voice with speech recognition as the recognised text', async () => {
    const { reply } = await plain.post({
      FromUserName: user, CreateTime: 1, MsgType: 'voice', MediaId: 'm', Format: 'amr', Recognition: '帮助', MsgId: nextMsgId(),
    });
    expect(reply!.Content).toContain('找商品');
  });

  it('caps a long text answer at 2048 bytes without breaking a character or a link', async () => {
    const { reply } = await plain.text(user, 'long');
    const content = reply!.Content!;
    expect(Buffer.byteLength(content, 'utf8')).toBeLessThanOrEqual(2048);
    expect(content).not.toContain('\uFFFD');
    expect(content.match(/<a /g)!.length).toBe(content.match(/<\/a>/g)!.length);
  });

  it('sends one article, not three, in answer to a message', async () => {
    const res = await plain.text(user, 'cards');
    expect(res.body.match(/<item>/g)).toHaveLength(1);
    expect(res.body).toContain('<ArticleCount>1</ArticleCount>');
  });
});

describe('safe and compatible mode', () => {
  it('decrypts a safe-mode message and encrypts the answer', async () => {
    const res = await safe.text(user, '帮助');
    expect(res.body).toContain('<Encrypt>');
    expect(res.body).not.toContain('找商品');
    expect(res.reply!.Content).toContain('找商品');
  });

  it('answers a compatible-mode message (plaintext and Encrypt together) in encrypted form', async () => {
    const { query, body } = safe.delivery({ FromUserName: user, CreateTime: 2, MsgType: 'text', Content: '帮助', MsgId: nextMsgId() });
    const compatible = body.replace('</xml>', `<FromUserName><![CDATA[${user}]]></FromUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[帮助]]></Content></xml>`);
    const res = await post(compatible, query.toString());
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<Encrypt>');
  });

  it('refuses a wrong msg_signature', async () => {
    const { query, body } = safe.delivery({ FromUserName: user, CreateTime: 3, MsgType: 'text', Content: 'x', MsgId: nextMsgId() });
    query.set('msg_signature', '0'.repeat(40));
    expect((await post(body, query.toString())).status).toBe(400);
  });

  it('refuses a message encrypted for another appid', async () => {
    const other = createWechatPlayer({ url: server.webhook, token: TOKEN, encrypt: { aesKey: AES_KEY, appId: 'wxanotherappid000' } });
    expect((await other.text(user, '帮助')).status).toBe(400);
  });

  it('refuses garbage in Encrypt with 400', async () => {
    const { query } = safe.delivery({ FromUserName: user, CreateTime: 4, MsgType: 'text', Content: 'x', MsgId: nextMsgId() });
    const garbage = 'bm90IHJlYWxseSBlbmNyeXB0ZWQ=';
    query.set('msg_signature', sha1Sorted([TOKEN, query.get('timestamp')!, query.get('nonce')!, garbage]));
    const res = await post(buildMessageXml({ ToUserName: 'gh', Encrypt: garbage }), query.toString());
    expect(res.status).toBe(400);
  });
});

describe('EncodingAESKey rotation', () => {
  it('accepts messages under either key while rotating, answering under the key each arrived with', async () => {
    const rotated = await testServer({ env: { WECHAT_AES_KEY: AES_KEY, WECHAT_AES_KEY_PREVIOUS: OLD_AES_KEY } });
    // The platform keeps the old key until the console is switched, and decrypts our replies with it.
    const oldKey = createWechatPlayer({ url: rotated.webhook, token: TOKEN, encrypt: { aesKey: OLD_AES_KEY, appId: APPID } });
    const newKey = createWechatPlayer({ url: rotated.webhook, token: TOKEN, encrypt: { aesKey: AES_KEY, appId: APPID } });
    expect((await oldKey.text(user, '帮助')).reply!.Content).toContain('找商品');
    expect((await newKey.text(user, '帮助')).reply!.Content).toContain('找商品');
  });

  it('refuses the previous key once the rotation is over', async () => {
    const oldKey = createWechatPlayer({ url: server.webhook, token: TOKEN, encrypt: { aesKey: OLD_AES_KEY, appId: APPID } });
    expect((await oldKey.text(user, '帮助')).status).toBe(400);
  });
});

describe('bad input', () => {
  it('refuses a body over 64 KiB with 413', async () => {
    const res = await post(textXml('字'.repeat(30_000)));
    expect(res.status).toBe(413);
  });

  it('refuses malformed XML with 400', async () => {
    expect((await post('<xml><ToUserName>oops</xml')).status).toBe(400);
  });

  it.each([
    ['an internal entity', '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><Content>&a;</Content></xml>'],
    ['an external entity', '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>'],
  ])('refuses a document declaring %s', async (_name, body) => {
    expect((await post(body)).status).toBe(400);
  });

  it('refuses a forged signature on a POST', async () => {
    expect((await post(textXml('帮助'), signedQuery({}, 'wrong-token'))).status).toBe(400);
  });

  it('refuses a POST without any signature', async () => {
    expect((await post(textXml('帮助'), '')).status).toBe(400);
  });

  it('answers an account it does not serve as it answers a bad signature (no account enumeration)', async () => {
    expect((await post(textXml('帮助'), signedQuery(), '/wechat/nobody')).status).toBe(400);
  });

  it('answers `success` when a handler throws, and keeps serving', async () => {
    const res = await plain.text(user, 'boom');
    expect([res.status, res.body]).toEqual([200, 'success']);
    expect((await plain.text(user, '帮助')).reply!.Content).toContain('找商品');
  });
});

describe('operations', () => {
  it('reports health when the database answers', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect([res.status, await res.json()]).toEqual([200, { status: 'ok', role: 'all', database: { kind: 'sqlite' } }]);
  });

  it('exposes Prometheus metrics: messages by type and outcome, latency, dedup hits, rejections', async () => {
    const msgId = nextMsgId();
    await plain.text(user, '帮助', msgId);
    await plain.text(user, '帮助', msgId);
    const body = await (await fetch(`${server.metricsUrl}/metrics`)).text();
    expect(body).toMatch(/guang_messages_total\{channel="wechat",type="text",outcome="answered"\} \d+/);
    expect(body).toMatch(/guang_messages_total\{channel="wechat",type="text",outcome="duplicate"\} \d+/);
    expect(body).toMatch(/guang_dedup_hits_total\{channel="wechat"\} [1-9]/);
    expect(body).toMatch(/guang_reply_latency_seconds_bucket\{le="0.05",channel="wechat"\} [1-9]/);
    expect(body).toMatch(/guang_webhook_rejected_total\{reason="bad signature"\} [1-9]/);
  });
});

for (const { database, server } of suites) {
  const player = createWechatPlayer({ url: server.webhook, token: TOKEN });

  describe(`several accounts (${database.name})`, () => {
    it('serves another account at /wechat/:account with its own token', async () => {
      await createAccountStore(server.sql).save({
        id: accountId('shop2'), name: 'shop2', token: 'shop2token', appId: null, appSecret: null, aesKey: null,
        previousAesKey: null, accountType: 'subscription', apiBase: null, customerService: false,
      });
      await server.accounts.refresh();
      const shop2 = createWechatPlayer({ url: `${server.url}/wechat/shop2`, token: 'shop2token' });
      expect((await shop2.text(user, '帮助')).reply!.Content).toContain('找商品');
      expect((await createWechatPlayer({ url: `${server.url}/wechat/shop2`, token: TOKEN }).text(user, '帮助')).status).toBe(400);
    });
  });

  describe(`retries (${database.name})`, () => {
    it('runs a message retried three times once, giving every delivery the same answer', async () => {
      const before = sideEffects;
      const msgId = nextMsgId();
      const answers = await Promise.all([1, 2, 3].map(() => player.text(user, 'count', msgId)));
      expect(sideEffects).toBe(before + 1);
      const contents = answers.map((a) => a.reply?.Content);
      expect(new Set(contents).size).toBe(1);
      expect(contents[0]).toBe(`side effect ${before + 1}`);
    });

    it('gives a later retry of a handled message the stored answer', async () => {
      const msgId = nextMsgId();
      const first = await player.text(user, 'count', msgId);
      const retry = await player.text(user, 'count', msgId);
      expect(retry.reply!.Content).toBe(first.reply!.Content);
    });
  });
}
