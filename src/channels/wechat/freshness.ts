/**
 * Freshness and replay of signed webhook requests. The platform's signature covers only token, timestamp
 * and nonce (not the body, in plaintext mode), so a captured URL stays valid forever unless the timestamp
 * is checked against our clock and each signed request is taken once, with one body. Pure functions; the
 * record of requests seen is src/db/webhook-requests.ts.
 */
import { hash } from 'node:crypto';

/** Seconds since the epoch, as the platform writes them (10 digits today; no sign, no fraction). */
const SECONDS = /^\d{1,12}$/;

export type Freshness = 'fresh' | 'not_numeric' | 'stale';

/**
 * Whether a request's `timestamp` is within `maxSkewSeconds` of `nowMs`, either way.
 * @example freshness('1714036504', Date.UTC(2024, 3, 25, 9, 15), 300) // 'fresh'
 */
export function freshness(timestamp: string, nowMs: number, maxSkewSeconds: number): Freshness {
  if (!SECONDS.test(timestamp)) return 'not_numeric';
  return Math.abs(Number(timestamp) * 1000 - nowMs) <= maxSkewSeconds * 1000 ? 'fresh' : 'stale';
}

/**
 * The identity of a signed request: its `signature`, alone. Not timestamp + nonce: the signature is the sha1 of
 * the sorted parts joined without a separator, so the same signature also signs the same digits split another
 * way (nonce 0123450 + timestamp T = nonce 012345 + timestamp 0T, still T seconds), and such a re-split request
 * must not count as new. Deliberately without msg_signature or encrypt_type, so that a captured encrypted
 * request cannot come back stripped to plaintext as "another" one.
 */
export function requestKey(signature: string): string {
  return signature.toLowerCase();
}

/**
 * What must be identical for a request seen before to be the platform's retry of it: the method, the
 * encryption parameters and the body.
 */
export function requestBodyHash(parts: { method: string; encryptType: string; msgSignature: string; body: string }): string {
  // One string and the one-shot `hash`: a Hash object and two updates cost twice as much, on every delivery.
  return hash('sha256', `${parts.method}\n${parts.encryptType}\n${parts.msgSignature.toLowerCase()}\n${parts.body}`, 'base64url');
}

/**
 * A request is remembered until its timestamp is this much older than the freshness window allows: by then
 * any request carrying it is refused as stale (the margin covers a clock that moves back a little).
 */
export const REPLAY_MARGIN_SECONDS = 60;
