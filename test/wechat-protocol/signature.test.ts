import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { msgSignature, sha1Sorted, verifyMsgSignature, verifySignature } from '../../src/channels/wechat/signature.ts';
import { V1, V2 } from './vectors.ts';

describe('signature (GET URL check and every POST)', () => {
  it('accepts the published GET vector', () => {
    expect(verifySignature('AAAAA', '1714036504', '1514711492', 'f464b24fc39322e44b38aa78f5edd27bd1441696')).toBe(true);
  });

  it('accepts the published POST vector', () => {
    expect(verifySignature('AAAAA', '1714037059', '486452656', '899cf89e464efb63f54ddac96b0a0a235f53aa78')).toBe(true);
  });

  it('sorts with plain string sort, not numerically', () => {
    const expected = createHash('sha1').update('109ab').digest('hex');
    expect(sha1Sorted(['b', '9', 'a', '10'])).toBe(expected);
  });

  it('rejects a signature for another nonce', () => {
    expect(verifySignature('AAAAA', '1714036504', '1514711493', 'f464b24fc39322e44b38aa78f5edd27bd1441696')).toBe(false);
  });

  it('rejects a wrong-length, non-hex or missing signature without throwing', () => {
    for (const bad of ['', 'f464b24f', 'f464b24fc39322e44b38aa78f5edd27bd14416960', 'z'.repeat(40), undefined, ['x']]) {
      expect(verifySignature('AAAAA', '1714036504', '1514711492', bad as string)).toBe(false);
    }
  });

  it('rejects everything when the token is empty', () => {
    const forged = sha1Sorted(['', '1714036504', '1514711492']);
    expect(verifySignature('', '1714036504', '1514711492', forged)).toBe(false);
  });
});

describe('msg_signature (safe mode)', () => {
  it('computes the V1 msg_signature over the Encrypt field', () => {
    expect(msgSignature(V1.token, V1.timestamp, V1.nonce, V1.encrypt)).toBe(V1.msgSignature);
  });

  it('computes the V2 msg_signature', () => {
    expect(msgSignature(V2.token, V2.timestamp, V2.nonce, V2.encrypt)).toBe(V2.msgSignature);
  });

  it('verifies the V1 msg_signature', () => {
    expect(verifyMsgSignature(V1.token, V1.timestamp, V1.nonce, V1.encrypt, V1.msgSignature)).toBe(true);
  });

  it('rejects a wrong msg_signature', () => {
    expect(verifyMsgSignature(V1.token, V1.timestamp, V1.nonce, V1.encrypt, V2.msgSignature)).toBe(false);
  });

  it('rejects a tampered Encrypt field', () => {
    expect(verifyMsgSignature(V1.token, V1.timestamp, V1.nonce, `A${V1.encrypt.slice(1)}`, V1.msgSignature)).toBe(false);
  });

  it('does not accept the plain signature in place of msg_signature', () => {
    const plain = sha1Sorted([V1.token, V1.timestamp, V1.nonce]);
    expect(verifyMsgSignature(V1.token, V1.timestamp, V1.nonce, V1.encrypt, plain)).toBe(false);
  });
});
