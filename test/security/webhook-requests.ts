/**
 * Hand-made webhook requests for the attacks in test/security/webhook-*.test.ts: a signed query with any
 * timestamp and nonce, a body of any kind, sent over real HTTP exactly as given (the player would fix them).
 */
import { createCipheriv, randomBytes, randomInt } from 'node:crypto';
import { msgSignature, sha1Sorted } from '../../src/channels/wechat/signature.ts';
import { buildMessageXml } from '../../src/channels/wechat/xml.ts';

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The query the platform would sign with `token` (the timestamp as given: any string). */
export function signedQuery(token: string, options: { timestamp?: string | number; nonce?: string } = {}): URLSearchParams {
  const timestamp = String(options.timestamp ?? nowSeconds());
  const nonce = options.nonce ?? String(randomInt(1e9));
  return new URLSearchParams({ signature: sha1Sorted([token, timestamp, nonce]), timestamp, nonce });
}

/** Adds `encrypt_type=aes` and the msg_signature of `encrypt` to a signed query. */
export function withMsgSignature(query: URLSearchParams, token: string, encrypt: string): URLSearchParams {
  const q = new URLSearchParams(query);
  q.set('encrypt_type', 'aes');
  q.set('msg_signature', msgSignature(token, q.get('timestamp')!, q.get('nonce')!, encrypt));
  return q;
}

export interface Answer {
  readonly status: number;
  readonly body: string;
  readonly type: string | null;
  readonly nosniff: string | null;
}

export async function send(url: string, query: URLSearchParams, body?: string): Promise<Answer> {
  const res = await fetch(`${url}?${query}`, body === undefined ? {} : { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type'), nosniff: res.headers.get('x-content-type-options') };
}

/** A plaintext text message's XML. */
export const textXml = (from: string, content: string, msgId: string, to = 'gh_guang_demo'): string =>
  buildMessageXml({ ToUserName: to, FromUserName: from, CreateTime: nowSeconds(), MsgType: 'text', Content: content, MsgId: msgId });

/** AES-256-CBC with the EncodingAESKey's key and IV and no padding of its own: any plaintext, however wrong. */
export function rawEncrypt(aesKey: string, plaintext: Buffer): string {
  const key = Buffer.from(`${aesKey}=`, 'base64');
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]).toString('base64');
}

/** Plaintexts that decrypt into each failure the decrypter knows. */
export function brokenPlaintexts(appId: string): Record<'bad_padding' | 'bad_length', Buffer> {
  const message = Buffer.from('<xml><MsgType>text</MsgType></xml>');
  const pad = (b: Buffer) => {
    const n = 32 - (b.length % 32);
    return Buffer.concat([b, Buffer.alloc(n, n)]);
  };
  const length = Buffer.alloc(4);
  length.writeUInt32BE(0x7fff_ffff); // far longer than what follows
  return {
    bad_padding: Buffer.concat([randomBytes(16), Buffer.alloc(47, 1), Buffer.from([0])]), // pad value 0
    bad_length: pad(Buffer.concat([randomBytes(16), length, message, Buffer.from(appId)])),
  };
}
