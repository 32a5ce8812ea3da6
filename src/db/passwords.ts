/**
 * Staff passwords, hashed with node:crypto's scrypt (no native add-on, no new package). The stored form names
 * its parameters (`scrypt$N$r$p$salt$hash`), so N can be raised later without breaking older hashes.
 *
 * N = 2^14, r = 8, p = 1 (16 MiB): ~70 ms per hash on the 2-core build machine under load (2^15 took ~190 ms),
 * which keeps a sign-in under ~100 ms while costing a guesser the same per try. Async, so a sign-in does not
 * stop the webhook for that long.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 2 ** 14;
const R = 8;
const P = 1;
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** @example const stored = await hashPassword('correct horse battery'); */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `password` is the one `stored` was made from; false for anything else, a malformed hash included. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const want = Buffer.from(hash, 'base64');
  const o = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Number.isInteger(o.N) || !Number.isInteger(o.r) || !Number.isInteger(o.p) || want.length !== KEY_BYTES) return false;
  const got = await derive(password, Buffer.from(salt, 'base64'), o);
  return timingSafeEqual(got, want);
}

/** A hash no password matches, verified for unknown user names so that they cost the same time as known ones. */
export const DUMMY_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_BYTES).toString('base64')}`;

/** A password to print once: 16 characters of base64url (96 bits). */
export const randomPassword = (): string => randomBytes(12).toString('base64url');
