/**
 * Bounded fuzzing of the webhook over real HTTP: mutated plaintext deliveries, forged ciphertexts under a valid
 * msg_signature (the padding-oracle path), and mangled query strings. Whatever arrives, the server answers a
 * client error or a normal answer — never a 5xx, never a hang — and keeps answering real followers afterwards.
 * fast-check prints the seed and the shrunk counterexample when a property fails.
 */
import { randomBytes, randomInt } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MessageCrypto } from '../../src/channels/wechat/crypto.ts';
import { createWechatPlayer, nextMsgId } from '../../src/channels/wechat/player.ts';
import { msgSignature, sha1Sorted } from '../../src/channels/wechat/signature.ts';
import { buildMessageXml } from '../../src/channels/wechat/xml.ts';
import { AES_KEY, APPID, TOKEN, testServer } from '../helpers/server.ts';

/** Enough runs to walk every parser branch in CI time; the probe behind issue 10 ran 84,000 offline. */
const RUNS = 400;

let webhook = '';
beforeAll(async () => {
  webhook = (await testServer()).webhook;
});

const crypto = new MessageCrypto({ aesKey: AES_KEY, appId: APPID });

function freshQuery(): URLSearchParams {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(randomInt(1e9));
  return new URLSearchParams({ signature: sha1Sorted([TOKEN, timestamp, nonce]), timestamp, nonce });
}

async function post(query: URLSearchParams, body: string | Uint8Array<ArrayBuffer>): Promise<{ status: number; text: string }> {
  const res = await fetch(`${webhook}?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, text: await res.text() };
}

/** A client error or a normal answer: the request was judged, not crashed on. */
function expectJudged(answer: { status: number; text: string }): void {
  expect([200, 400, 401, 404, 413, 429]).toContain(answer.status);
  if (answer.status !== 200) expect(answer.text.length).toBeLessThan(200); // a short reason, never a stack trace
}

const message = (content: string) =>
  buildMessageXml({
    ToUserName: 'gh_guang_demo', FromUserName: 'o_fuzz', CreateTime: Math.floor(Date.now() / 1000),
    MsgType: 'text', Content: content, MsgId: nextMsgId(),
  });

/** Characters that break parsers: markup, entities, CDATA ends, controls, surrogate halves, long digits. */
const awkward = fc.constantFrom(
  '<', '>', '&', ']]>', '<![CDATA[', '<!DOCTYPE x [<!ENTITY a "b">]>', '&a;', '&#0;', '\u0000', '\u0001', '\uD800',
  '\uFFFF', '</xml>', '<xml>', '<MsgType>event</MsgType>', '99999999999999999999999', '-1', '\r\n', '"', "'",
);
type Edit =
  | { kind: 'insert'; at: number; piece: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number };
/** An edit of a valid document: insert an awkward piece, delete a span, or cut it short. */
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), piece: fc.oneof(awkward, fc.string({ maxLength: 12 })) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);
function applyEdits(doc: string, edits: readonly Edit[]): string {
  let out = doc;
  for (const e of edits) {
    const at = e.at % (out.length + 1);
    if (e.kind === 'insert') out = out.slice(0, at) + e.piece + out.slice(at);
    else if (e.kind === 'delete') out = out.slice(0, at) + out.slice(at + e.length);
    else out = out.slice(0, at);
  }
  return out;
}

describe('webhook fuzzing (bounded)', () => {
  it('judges mutated plaintext deliveries without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.array(edit, { minLength: 1, maxLength: 4 }), async (content, edits) => {
        expectJudged(await post(freshQuery(), applyEdits(message(content), edits)));
      }),
      { numRuns: RUNS },
    );
  });

  it('judges forged ciphertexts carrying a valid msg_signature without a 5xx', async () => {
    // Whoever holds the Token can sign any Encrypt value: decryption is the only check left, and it must fail
    // the same way whatever the bytes (bad base64, bad padding, bad length, another AppID).
    const forged = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 96 }).map((b) => Buffer.from(b).toString('base64')),
      fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, xor]) => {
        const real = Buffer.from(crypto.encrypt(message('女装'), randomBytes(16)), 'base64');
        real[at % real.length]! ^= xor;
        return real.toString('base64');
      }),
      fc.string({ maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(forged, async (encrypt) => {
        const query = freshQuery();
        query.set('encrypt_type', 'aes');
        query.set('msg_signature', msgSignature(TOKEN, query.get('timestamp')!, query.get('nonce')!, encrypt));
        expectJudged(await post(query, buildMessageXml({ ToUserName: 'gh_guang_demo', Encrypt: encrypt })));
      }),
      { numRuns: RUNS },
    );
  });

  it('judges mangled query strings and raw bytes without a 5xx', async () => {
    const param = fc.oneof(fc.constant(undefined), fc.string({ maxLength: 50 }), fc.constantFrom('', '0', 'abc', '99999999999', '-5'));
    await fc.assert(
      fc.asyncProperty(param, param, param, param, fc.uint8Array({ maxLength: 300 }), async (signature, timestamp, nonce, encryptType, bytes) => {
        const query = new URLSearchParams();
        for (const [k, v] of Object.entries({ signature, timestamp, nonce, encrypt_type: encryptType })) if (v !== undefined) query.set(k, v);
        expectJudged(await post(query, new Uint8Array(bytes)));
      }),
      { numRuns: RUNS },
    );
  });

  it('still answers a real follower afterwards', async () => {
    const player = createWechatPlayer({ url: webhook, token: TOKEN, encrypt: { aesKey: AES_KEY, appId: APPID } });
    const answer = await player.text('o_after_fuzz', '女装');
    expect(answer.status).toBe(200);
    expect(answer.reply?.MsgType).toMatch(/^(text|news)$/);
    const health = await fetch(webhook.replace('/wechat', '/healthz'));
    expect(health.status).toBe(200);
  });
});
