/**
 * Request signatures of the WeChat Official Account webhook: `signature` (every request) and
 * `msg_signature` (safe/compatible mode). Pure functions over strings; comparisons are constant time.
 */
import { hash, timingSafeEqual } from 'node:crypto';

const SHA1_HEX = /^[0-9a-f]{40}$/i;

/** The parts sorted with plain string sort and joined with '': what the platform signs. */
const signed = (parts: readonly string[]): string => [...parts].sort().join('');

/**
 * SHA-1 (lowercase hex) of the parts sorted with plain string sort and joined with ''.
 * @example sha1Sorted(['AAAAA', '1714036504', '1514711492']) // 'f464b24f…'
 */
export function sha1Sorted(parts: readonly string[]): string {
  // The one-shot `hash` costs half what a Hash object (createHash, update, digest) does: this runs on every delivery.
  return hash('sha1', signed(parts), 'hex');
}

/** Constant-time comparison of the SHA-1 of the sorted `parts` with an untrusted hex digest; never throws. */
function sameDigest(parts: readonly string[], given: unknown): boolean {
  if (typeof given !== 'string' || !SHA1_HEX.test(given)) return false;
  return timingSafeEqual(hash('sha1', signed(parts), 'buffer'), Buffer.from(given, 'hex'));
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
  return sameDigest([token, timestamp, nonce], signature);
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
  return sameDigest([token, timestamp, nonce, encrypt], msgSignatureParam);
}
