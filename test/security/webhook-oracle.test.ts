/**
 * Issue 10, item 2: safe mode had a padding oracle. Decryption failures answered different bodies
 * (`cannot decrypt (bad_padding)`, `(bad_length)`, `(appid_mismatch)`), and with the Token alone (it signs any
 * Encrypt) 12,032 requests recovered a reply's plaintext. Every refusal now answers the same 400 and the
 * same body; `/wechat/<unknown>` too (it answered 404 before looking at the signature). The reasons are
 * still there for the operator, as labels of guang_webhook_rejected_total — one label for every decryption
 * failure, since whoever can reach /metrics reads them (an operator may open its port wider than loopback);
 * which one it was is in the debug line only.
 */
import { describe, expect, it } from 'vitest';
import { MessageCrypto } from '../../src/channels/wechat/crypto.ts';
import { createWechatPlayer, nextMsgId } from '../../src/channels/wechat/player.ts';
import { buildMessageXml } from '../../src/channels/wechat/xml.ts';
import { AES_KEY, APPID, TOKEN, testServer } from '../helpers/server.ts';
import { brokenPlaintexts, nowSeconds, rawEncrypt, send, signedQuery, textXml, withMsgSignature, type Answer } from './webhook-requests.ts';

const server = await testServer({ env: { WECHAT_ENCRYPT_MODE: 'safe' } });
const follower = 'o_oracle_follower_00001';
const safe = createWechatPlayer({ url: server.webhook, token: TOKEN, encrypt: { aesKey: AES_KEY, appId: APPID } });

/** A safe-mode delivery of `encrypt`, signed with the Token as an attacker who holds it would. */
const encrypted = (encrypt: string, query = signedQuery(TOKEN)) =>
  send(server.webhook, withMsgSignature(query, TOKEN, encrypt), buildMessageXml({ ToUserName: 'gh_guang_demo', Encrypt: encrypt }));

const genuineXml = () => textXml(follower, '帮助', nextMsgId());
const otherApp = new MessageCrypto({ aesKey: AES_KEY, appId: 'wxanotherappid000' });
const broken = brokenPlaintexts(APPID);

const failures: Record<string, () => Promise<Answer>> = {
  'a forged signature': () => send(server.webhook, signedQuery('not-the-token'), genuineXml()),
  'no signature at all': () => send(server.webhook, new URLSearchParams(), genuineXml()),
  'a wrong msg_signature': async () => {
    const { query, body } = safe.delivery({ FromUserName: follower, CreateTime: nowSeconds(), MsgType: 'text', Content: 'x', MsgId: nextMsgId() });
    query.set('msg_signature', '0'.repeat(40));
    return send(server.webhook, query, body);
  },
  'bad padding after decryption': () => encrypted(rawEncrypt(AES_KEY, broken.bad_padding)),
  'a length field that does not fit': () => encrypted(rawEncrypt(AES_KEY, broken.bad_length)),
  'another AppID inside': () => encrypted(otherApp.encrypt(genuineXml())),
  'Encrypt that is not base64 of whole blocks': () => encrypted('bm90IHJlYWxseSBlbmNyeXB0ZWQ='),
  'a decrypted message that is not XML': () => encrypted(new MessageCrypto({ aesKey: AES_KEY, appId: APPID }).encrypt('not xml at all')),
  'a stale timestamp': () => encrypted(new MessageCrypto({ aesKey: AES_KEY, appId: APPID }).encrypt(genuineXml()), signedQuery(TOKEN, { timestamp: nowSeconds() - 3600 })),
  'a timestamp that is not a number': () => send(server.webhook, signedQuery(TOKEN, { timestamp: 'abc' }), genuineXml()),
  'plaintext in safe mode': () => send(server.webhook, signedQuery(TOKEN), genuineXml()),
  'an unknown account': async () => {
    const { query, body } = safe.delivery({ FromUserName: follower, CreateTime: nowSeconds(), MsgType: 'text', Content: 'x', MsgId: nextMsgId() });
    return send(`${server.url}/wechat/nobody`, query, body);
  },
  'a replay with another body': async () => {
    const query = signedQuery(TOKEN);
    const crypto = new MessageCrypto({ aesKey: AES_KEY, appId: APPID });
    expect((await encrypted(crypto.encrypt(genuineXml()), query)).status).toBe(200);
    return encrypted(crypto.encrypt(genuineXml()), query);
  },
};

describe('no oracle: every refusal looks the same', () => {
  it('answers one status, one body and one content type for every kind of failure', async () => {
    const answers: Record<string, Omit<Answer, 'nosniff'>> = {};
    for (const [name, attempt] of Object.entries(failures)) {
      const { status, body, type } = await attempt();
      answers[name] = { status, body, type };
    }
    const same = { status: 400, body: 'invalid request', type: 'text/plain; charset=utf-8' };
    expect(answers).toEqual(Object.fromEntries(Object.keys(failures).map((name) => [name, same])));
  });

  it('answers a URL check (GET) for an unknown account as it answers a forged one', async () => {
    const unknown = signedQuery(TOKEN);
    unknown.set('echostr', 'x');
    const forged = signedQuery('not-the-token');
    forged.set('echostr', 'x');
    const [a, b] = [await send(`${server.url}/wechat/nobody`, unknown), await send(server.webhook, forged)];
    expect({ status: a.status, body: a.body, type: a.type }).toEqual({ status: b.status, body: b.body, type: b.type });
    expect(a.status).toBe(400);
  });

  it('still tells the operator why, in the rejected metric (a decryption failure as one reason, an unknown account as a bad signature)', async () => {
    const metrics = await (await fetch(`${server.metricsUrl}/metrics`)).text();
    for (const reason of ['cannot decrypt', 'bad msg_signature', 'bad signature', 'replay', 'stale timestamp']) {
      expect(metrics).toMatch(new RegExp(`guang_webhook_rejected_total\\{reason="${reason}"\\} [1-9]`));
    }
  });

  it('tells the caller nothing through /metrics either: the counters move alike for every decryption failure', async () => {
    // /metrics has no token (whoever reaches its port reads it): a label per decryption failure was the padding
    // oracle again, one GET after each forged ciphertext.
    const rejected = async () => {
      const text = await (await fetch(`${server.metricsUrl}/metrics`)).text();
      return new Map([...text.matchAll(/^guang_webhook_rejected_total\{reason="([^"]*)"\} (\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]));
    };
    const moved = async (attempt: () => Promise<Answer>) => {
      const before = await rejected();
      await attempt();
      const after = await rejected();
      return [...after].filter(([reason, n]) => n !== (before.get(reason) ?? 0)).map(([reason, n]) => [reason, n - (before.get(reason) ?? 0)]);
    };
    const seen = {
      padding: await moved(failures['bad padding after decryption']!),
      length: await moved(failures['a length field that does not fit']!),
      appid: await moved(failures['another AppID inside']!),
    };
    expect(seen.padding).toHaveLength(1);
    expect(seen).toEqual({ padding: seen.padding, length: seen.padding, appid: seen.padding });
  });

  it('does not tell through /metrics whether an account exists (a forged request to a real and to a made-up one)', async () => {
    const rejected = async () => (await (await fetch(`${server.metricsUrl}/metrics`)).text()).split('\n').filter((l) => l.startsWith('guang_webhook_rejected_total{'));
    const moved = async (account: string) => {
      const before = await rejected();
      await send(`${server.url}/wechat/${account}`, signedQuery('a-guessed-token'), genuineXml());
      return (await rejected()).filter((l) => !before.includes(l)).map((l) => l.replace(/ \d+$/, ''));
    };
    const [real, madeUp] = [await moved('default'), await moved('no-such-shop')];
    expect(real).toHaveLength(1);
    expect(madeUp).toEqual(real);
  });

  it('still answers genuine encrypted deliveries', async () => {
    expect((await safe.text(follower, '帮助')).reply!.Content).toContain('找商品');
  });
});

describe('nosniff on every answer', () => {
  it('sets X-Content-Type-Options: nosniff on the GET echo, replies, refusals and the rest of the app', async () => {
    const handshake = signedQuery(TOKEN);
    handshake.set('echostr', '<html><script>alert(1)</script>');
    const echo = await send(server.webhook, handshake);
    expect([echo.status, echo.body]).toEqual([200, '<html><script>alert(1)</script>']);
    const { query, body } = safe.delivery({ FromUserName: follower, CreateTime: nowSeconds(), MsgType: 'text', Content: '帮助', MsgId: nextMsgId() });
    const reply = await send(server.webhook, query, body);
    const refused = await send(server.webhook, signedQuery('nope'), genuineXml());
    const tooLarge = await send(server.webhook, signedQuery(TOKEN), 'x'.repeat(70_000));
    const others = await Promise.all([...['/healthz', '/metrics', '/no-such-page'].map((p) => `${server.url}${p}`), `${server.metricsUrl}/metrics`].map((u) => fetch(u)));
    expect([echo, reply, refused, tooLarge].map((a) => a.nosniff)).toEqual(['nosniff', 'nosniff', 'nosniff', 'nosniff']);
    expect(others.map((r) => r.headers.get('x-content-type-options'))).toEqual(['nosniff', 'nosniff', 'nosniff', 'nosniff']);
  });
});
