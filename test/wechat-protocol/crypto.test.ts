import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CryptoError, MessageCrypto } from '../../src/channels/wechat/crypto.ts';
import { verifyMsgSignature } from '../../src/channels/wechat/signature.ts';
import { parseWechatXml } from '../../src/channels/wechat/xml.ts';
import { AES_KEY, V1, V2 } from './vectors.ts';

const OLD_KEY = 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut';
const RANDOM = Buffer.from(V2.random);

/** Encrypts raw plaintext bytes (already padded) the way WXBizMsgCrypt does, to forge broken messages. */
function encryptRaw(plain: Buffer, aesKey = AES_KEY): string {
  const key = Buffer.from(`${aesKey}=`, 'base64');
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** 16 random bytes ‖ length ‖ message ‖ appid, padded with `pad` bytes of value `padValue`. */
function plaintext(message: string, appId: string, pad: Buffer, declaredLength?: number): Buffer {
  const body = Buffer.from(message);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(declaredLength ?? body.length);
  return Buffer.concat([RANDOM, length, body, Buffer.from(appId), pad]);
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CryptoError);
    return (err as CryptoError).code;
  }
  throw new Error('expected a CryptoError');
}

describe('MessageCrypto: published vectors', () => {
  it('decrypts V1 to the platform sample text message with an exact MsgId', async () => {
    const xml = new MessageCrypto({ aesKey: AES_KEY, appId: V1.appId }).decrypt(V1.encrypt);
    expect(await parseWechatXml(xml)).toEqual({
      ToUserName: 'gh_10f6c3c3ac5a',
      FromUserName: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs',
      CreateTime: '1409735668',
      MsgType: 'text',
      Content: 'abcdteT',
      MsgId: '6054768590064713728',
    });
  });

  it('encrypts V2 deterministically to the published ciphertext', () => {
    expect(new MessageCrypto({ aesKey: AES_KEY, appId: V2.appId }).encrypt(V2.message, RANDOM)).toBe(V2.encrypt);
  });

  it('decrypts the V2 ciphertext back to the Chinese message', () => {
    expect(new MessageCrypto({ aesKey: AES_KEY, appId: V2.appId }).decrypt(V2.encrypt)).toBe(V2.message);
  });
});

describe('MessageCrypto: round trips', () => {
  const mc = new MessageCrypto({ aesKey: AES_KEY, appId: V2.appId });

  it('round-trips Chinese text and emoji', () => {
    const message = '<xml><Content><![CDATA[你好，世界 👨‍👩‍👧 🇨🇳 ✅]]></Content></xml>';
    expect(mc.decrypt(mc.encrypt(message))).toBe(message);
  });

  it('round-trips messages of every length around the 32-byte block', () => {
    for (let n = 0; n <= 70; n++) {
      const message = 'x'.repeat(n);
      expect(mc.decrypt(mc.encrypt(message))).toBe(message);
    }
  });

  it('pads to a multiple of 32 bytes, adding a full block when already aligned', () => {
    // 16 + 4 + 12 + 18 (appid) = 50 → 64; 16 + 4 + 26 + 18 = 64 → 96
    expect(Buffer.from(mc.encrypt('x'.repeat(12)), 'base64').length).toBe(64);
    expect(Buffer.from(mc.encrypt('x'.repeat(26)), 'base64').length).toBe(96);
  });

  it('uses fresh random bytes by default', () => {
    expect(mc.encrypt('same')).not.toBe(mc.encrypt('same'));
  });

  it('rejects a random prefix that is not 16 bytes', () => {
    expect(() => mc.encrypt('x', Buffer.alloc(8))).toThrow(/16 bytes/);
  });
});

describe('MessageCrypto: key rotation', () => {
  const oldOnly = new MessageCrypto({ aesKey: OLD_KEY, appId: V2.appId });
  const fromOld = oldOnly.encrypt('sent before the rotation', RANDOM);

  it('decrypts a message encrypted with the old key when it is configured as previous', () => {
    const rotated = new MessageCrypto({ aesKey: AES_KEY, previousAesKey: OLD_KEY, appId: V2.appId });
    expect(rotated.decrypt(fromOld)).toBe('sent before the rotation');
  });

  it('fails on a message encrypted with the old key when no previous key is configured', () => {
    const current = new MessageCrypto({ aesKey: AES_KEY, appId: V2.appId });
    expect(codeOf(() => current.decrypt(fromOld))).toBe('bad_padding');
  });

  it('treats an empty previous key as none', () => {
    const current = new MessageCrypto({ aesKey: AES_KEY, previousAesKey: '', appId: V2.appId });
    expect(() => current.decrypt(fromOld)).toThrow(CryptoError);
  });

  it('still decrypts current-key messages when a previous key is configured', () => {
    const rotated = new MessageCrypto({ aesKey: AES_KEY, previousAesKey: OLD_KEY, appId: V2.appId });
    expect(rotated.decrypt(V2.encrypt)).toBe(V2.message);
  });

  it('encrypts with the current key unless told to use the previous one', () => {
    const rotated = new MessageCrypto({ aesKey: AES_KEY, previousAesKey: OLD_KEY, appId: V2.appId });
    expect(rotated.encrypt(V2.message, RANDOM)).toBe(V2.encrypt);
    expect(oldOnly.decrypt(rotated.encrypt('reply', RANDOM, 'previous'))).toBe('reply');
  });

  it('says which key opened a message, so the reply can use the same one', () => {
    const rotated = new MessageCrypto({ aesKey: AES_KEY, previousAesKey: OLD_KEY, appId: V2.appId });
    expect(rotated.open(fromOld)).toEqual({ message: 'sent before the rotation', keyUsed: 'previous' });
    expect(rotated.open(V2.encrypt)).toEqual({ message: V2.message, keyUsed: 'current' });
  });
});

describe('MessageCrypto: rejections', () => {
  const mc = new MessageCrypto({ aesKey: AES_KEY, appId: V1.appId });

  it('rejects a message encrypted for another appid', () => {
    const other = new MessageCrypto({ aesKey: AES_KEY, appId: 'wx0000000000000000' });
    expect(codeOf(() => other.decrypt(V1.encrypt))).toBe('appid_mismatch');
  });

  it('rejects an appid that only shares a prefix with the configured one', () => {
    const longer = new MessageCrypto({ aesKey: AES_KEY, appId: `${V1.appId}x` });
    expect(codeOf(() => longer.decrypt(V1.encrypt))).toBe('appid_mismatch');
  });

  it('rejects base64 truncated mid-block', () => {
    expect(codeOf(() => mc.decrypt(V1.encrypt.slice(0, 100)))).toBe('bad_base64');
  });

  it('rejects base64 without its final characters', () => {
    expect(codeOf(() => mc.decrypt(V1.encrypt.slice(0, -3)))).toBe('bad_base64');
  });

  it('rejects a ciphertext truncated by whole blocks', () => {
    const blocks = Buffer.from(V1.encrypt, 'base64');
    const truncated = blocks.subarray(0, blocks.length - 32).toString('base64');
    expect(['bad_padding', 'bad_length']).toContain(codeOf(() => mc.decrypt(truncated)));
  });

  it('rejects garbage and empty input as bad base64', () => {
    for (const garbage of ['', 'not base64 at all!', '%%%%', '====', 'abc', `${V1.encrypt}\n`]) {
      expect(codeOf(() => mc.decrypt(garbage))).toBe('bad_base64');
    }
  });

  it('rejects a pad value of zero', () => {
    const forged = encryptRaw(plaintext('hi', V1.appId, Buffer.alloc(8, 0)));
    expect(codeOf(() => mc.decrypt(forged))).toBe('bad_padding');
  });

  it('rejects a pad value above 32', () => {
    const forged = encryptRaw(plaintext('x'.repeat(25), V1.appId, Buffer.alloc(33, 33)));
    expect(codeOf(() => mc.decrypt(forged))).toBe('bad_padding');
  });

  it('rejects pad bytes that are not all equal', () => {
    const pad = Buffer.alloc(8, 8);
    pad[2] = 7;
    expect(codeOf(() => mc.decrypt(encryptRaw(plaintext('hi', V1.appId, pad))))).toBe('bad_padding');
  });

  it('rejects a length field larger than the message', () => {
    const forged = encryptRaw(plaintext('hi', V1.appId, Buffer.alloc(8, 8), 1_000_000));
    expect(codeOf(() => mc.decrypt(forged))).toBe('bad_length');
  });

  it('rejects a plaintext too short to hold the header', () => {
    expect(codeOf(() => mc.decrypt(encryptRaw(Buffer.concat([RANDOM, Buffer.alloc(16, 16)]))))).toBe('bad_length');
  });

  it('never returns garbage when decrypting with a wrong key', () => {
    const wrong = new MessageCrypto({ aesKey: OLD_KEY, appId: V1.appId });
    for (let i = 0; i < 300; i++) {
      expect(() => wrong.decrypt(mc.encrypt(randomBytes(i % 50).toString('hex')))).toThrow(CryptoError);
    }
  });
});

describe('MessageCrypto: configuration', () => {
  it.each([
    ['42 characters', AES_KEY.slice(0, 42)],
    ['44 characters', `${AES_KEY}=`],
    ['a + sign', `${AES_KEY.slice(0, 42)}+`],
    ['an empty key', ''],
  ])('rejects an EncodingAESKey with %s', (_name, aesKey) => {
    expect(() => new MessageCrypto({ aesKey, appId: V1.appId })).toThrow(/43 characters/);
  });

  it('rejects a malformed previous key', () => {
    expect(() => new MessageCrypto({ aesKey: AES_KEY, previousAesKey: 'short', appId: V1.appId })).toThrow(
      /previousAesKey must be exactly 43 characters/,
    );
  });

  it('does not echo the key in the error', () => {
    expect(() => new MessageCrypto({ aesKey: `${AES_KEY}X`, appId: V1.appId })).toThrow(
      expect.not.objectContaining({ message: expect.stringContaining(AES_KEY) }),
    );
  });

  it('requires an appId', () => {
    expect(() => new MessageCrypto({ aesKey: AES_KEY, appId: '' })).toThrow(/appId/);
  });
});

describe('MessageCrypto.encryptReply', () => {
  const mc = new MessageCrypto({ aesKey: AES_KEY, appId: V2.appId });
  const reply = '<xml><Content><![CDATA[你好]]></Content></xml>';

  it('wraps the encrypted reply in an envelope whose MsgSignature verifies', async () => {
    const envelope = await parseWechatXml(mc.encryptReply(reply, V2.token, V2.timestamp, V2.nonce, RANDOM));
    expect(Object.keys(envelope)).toEqual(['Encrypt', 'MsgSignature', 'TimeStamp', 'Nonce']);
    expect(envelope).toMatchObject({ TimeStamp: V2.timestamp, Nonce: V2.nonce });
    expect(verifyMsgSignature(V2.token, V2.timestamp, V2.nonce, envelope['Encrypt']!, envelope['MsgSignature']!)).toBe(true);
    expect(mc.decrypt(envelope['Encrypt']!)).toBe(reply);
  });

  it('writes the envelope in the platform layout', () => {
    const encrypt = mc.encrypt(reply, RANDOM);
    expect(mc.encryptReply(reply, V2.token, V2.timestamp, V2.nonce, RANDOM)).toMatch(
      new RegExp(
        `^<xml><Encrypt><!\\[CDATA\\[${encrypt.replace(/[+/]/g, '\\$&')}\\]\\]></Encrypt>` +
          '<MsgSignature><!\\[CDATA\\[[0-9a-f]{40}\\]\\]></MsgSignature>' +
          `<TimeStamp>${V2.timestamp}</TimeStamp><Nonce><!\\[CDATA\\[${V2.nonce}\\]\\]></Nonce></xml>$`,
      ),
    );
  });

  it('refuses a millisecond timestamp', () => {
    expect(() => mc.encryptReply(reply, V2.token, '1409304348000', V2.nonce)).toThrow(/seconds/);
  });
});
