/**
 * Plays the WeChat server against a webhook: builds signed (optionally encrypted) deliveries, posts
 * them, and decodes the answer. Used by `guang chat`, the tests and the benchmark.
 */
import { randomBytes, randomInt } from 'node:crypto';
import xml2js from 'xml2js';
import { MessageCrypto } from './crypto.ts';
import { msgSignature, sha1Sorted } from './signature.ts';
import { buildMessageXml, parseWechatXml } from './xml.ts';

export interface PlayerOptions {
  /** The webhook URL, e.g. http://localhost:3000/wechat */
  readonly url: string;
  readonly token: string;
  /** The account's gh_ id as it appears in ToUserName. */
  readonly accountName?: string;
  /** Encrypt deliveries (safe mode); needs `aesKey` and `appId`. */
  readonly encrypt?: { readonly aesKey: string; readonly appId: string } | null;
  /** How long to wait for an answer (the platform gives up after 5 s). */
  readonly timeoutMs?: number;
}

export interface PlayerAnswer {
  readonly status: number;
  /** The raw body (`success`, reply XML, or an error text). */
  readonly body: string;
  /** The decoded (decrypted) reply fields, or null for `success` / errors. */
  readonly reply: Record<string, string> | null;
  /** The articles of a news reply. */
  readonly articles: readonly { title: string; description: string; url: string; picUrl: string }[];
}

let msgIdCounter = BigInt(Date.now()) * 1000n;
/** A fresh 64-bit-looking MsgId, unique within this process. */
export const nextMsgId = (): string => String(6_000_000_000_000_000_000n + msgIdCounter++);

export function createWechatPlayer(options: PlayerOptions) {
  const { url, token, accountName = 'gh_guang_demo', encrypt = null, timeoutMs = 10_000 } = options;
  const crypto = encrypt ? new MessageCrypto({ aesKey: encrypt.aesKey, appId: encrypt.appId }) : null;

  /** The query string and body WeChat would send for these message fields. */
  function delivery(fields: Record<string, string | number>): { query: URLSearchParams; body: string } {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(randomInt(1e9));
    const query = new URLSearchParams({ signature: sha1Sorted([token, timestamp, nonce]), timestamp, nonce });
    const plain = buildMessageXml({ ToUserName: accountName, ...fields });
    if (!crypto) return { query, body: plain };
    const encrypted = crypto.encrypt(plain, randomBytes(16));
    query.set('encrypt_type', 'aes');
    query.set('msg_signature', msgSignature(token, timestamp, nonce, encrypted));
    return { query, body: buildMessageXml({ ToUserName: accountName, Encrypt: encrypted }) };
  }

  async function post(fields: Record<string, string | number>): Promise<PlayerAnswer> {
    const { query, body } = delivery(fields);
    const res = await fetch(`${url}?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (res.status !== 200 || text === 'success' || text === '') return { status: res.status, body: text, reply: null, articles: [] };
    let xml = text;
    let reply = await parseWechatXml(xml);
    if (crypto && reply.Encrypt) {
      xml = crypto.decrypt(reply.Encrypt);
      reply = await parseWechatXml(xml);
    }
    return { status: res.status, body: text, reply, articles: reply.MsgType === 'news' ? await articlesOf(xml) : [] };
  }

  const now = () => Math.floor(Date.now() / 1000);
  return {
    delivery,
    post,
    text: (from: string, content: string, msgId = nextMsgId()) =>
      post({ FromUserName: from, CreateTime: now(), MsgType: 'text', Content: content, MsgId: msgId }),
    location: (from: string, lat: number, lng: number, label = '') =>
      post({
        FromUserName: from, CreateTime: now(), MsgType: 'location', Location_X: lat, Location_Y: lng,
        Scale: 15, Label: label, MsgId: nextMsgId(),
      }),
    event: (from: string, event: string, extra: Record<string, string | number> = {}) =>
      post({ FromUserName: from, CreateTime: now(), MsgType: 'event', Event: event, ...extra }),
  };
}
export type WechatPlayer = ReturnType<typeof createWechatPlayer>;

/** The articles of a news reply (the flat field parser skips nested elements). */
async function articlesOf(xml: string): Promise<PlayerAnswer['articles']> {
  const doc = (await xml2js.parseStringPromise(xml, { explicitArray: true })) as {
    xml: { Articles?: { item?: Record<string, string[] | undefined>[] }[] };
  };
  return (doc.xml.Articles?.[0]?.item ?? []).map((item) => ({
    title: item.Title?.[0] ?? '',
    description: item.Description?.[0] ?? '',
    url: item.Url?.[0] ?? '',
    picUrl: item.PicUrl?.[0] ?? '',
  }));
}
