/**
 * Request signatures of the WeChat Official Account webhook: `signature` (every request) and
 * `msg_signature` (safe/compatible mode). Pure functions over strings; comparisons are constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const SHA1_HEX = /^[0-9a-f]{40}$/i;

/**
 * SHA-1 (lowercase hex) of the parts sorted with plain string sort and joined with ''.
 * @example sha1Sorted(['AAAAA', '1714036504', '1514711492']) // 'f464b24f…'
 */
export function sha1Sorted(parts: readonly string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** Constant-time comparison of a computed SHA-1 hex digest with an untrusted one; never throws. */
function sameDigest(expectedHex: string, given: unknown): boolean {
  if (typeof given !== 'string' || !SHA1_HEX.test(given)) return false;
  return timingSafeEqual(Buffer.from(expectedHex, 'hex'), Buffer.from(given, 'hex'));
}

const allStrings = (values: readonly unknown[]): values is readonly string[] =>
  values.every((v) => typeof v === 'string');

/**
 * Checks the `signature` query parameter: `sha1(sort([token, timestamp, nonce]).join(''))`.
 * Returns false (never throws) for an empty token, non-string input, wrong length or non-hex input.
 * @example verifySignature(token, q.timestamp, q.nonce, q.signature) || res.status(401)
 */
export function verifySignature(token: string, timestamp: string, nonce: string, signature: string): boolean {
  if (!allStrings([token, timestamp, nonce]) || token === '') return false;
  return sameDigest(sha1Sorted([token, timestamp, nonce]), signature);
}

/** The safe-mode `msg_signature`: `sha1(sort([token, timestamp, nonce, encrypt]).join(''))`. */
export function msgSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return sha1Sorted([token, timestamp, nonce, encrypt]);
}

/**
 * Checks the `msg_signature` query parameter against the `<Encrypt>` field, in constant time.
 * Check it before decrypting, so unauthenticated ciphertext never reaches the decrypter.
 */
export function verifyMsgSignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
  msgSignatureParam: string,
): boolean {
  if (!allStrings([token, timestamp, nonce, encrypt]) || token === '') return false;
  return sameDigest(msgSignature(token, timestamp, nonce, encrypt), msgSignatureParam);
}
