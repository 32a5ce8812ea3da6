/**
 * Issue 10, items 5 and 10: the admin API was not rate-limited and failed authentication left no trace.
 * Over real HTTP on loopback (trust proxy is loopback, so X-Forwarded-For names the client, as a local
 * reverse proxy would): a token bucket per client answering 429 `rate_limited` with Retry-After, shared by
 * /api and /api/broadcasts; a warn line for every failed authentication that never carries the token
 * given; and a lock-out after ten failures in a minute that a right token does not lift. The server's
 * clock is injected, so the bucket refills only when the test moves time.
 */
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.ts';
import { loadConfig } from '../../src/core/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { startServer } from '../../src/app/server.ts';
import { runDatabase } from '../helpers/run-database.ts';

const ADMIN_TOKEN = 'rate-limit-admin-token-0123456789';
const clock = manualClock(Date.UTC(2026, 5, 1, 2, 0, 0));
const lines: Record<string, unknown>[] = [];
let raw = '';
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    raw += chunk.toString();
    for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});
const database = await runDatabase();
const config = loadConfig({
  PORT: '0', GUANG_DB: database.dbPath, ...database.env, GUANG_LOG_LEVEL: 'warn', WECHAT_TOKEN: 'ratelimittoken1', WECHAT_APPID: 'wx1234567890abcdef',
  GUANG_ADMIN_TOKEN: ADMIN_TOKEN, GUANG_ADMIN_RATE: '1', GUANG_ADMIN_BURST: '5',
});
const server = await startServer({ config, clock, host: '127.0.0.1', logger: createLogger('warn', sink) });
afterAll(() => server.close());

let nextClient = 1;
/** A new client address (what the loopback proxy says in X-Forwarded-For). */
const newClient = () => `203.0.113.${nextClient++}`;

async function call(client: string, path: string, token: string | null = ADMIN_TOKEN) {
  const res = await fetch(`${server.url}/api${path}`, {
    headers: { 'x-forwarded-for': client, ...(token !== null ? { authorization: `Bearer ${token}` } : {}) },
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), type: res.headers.get('content-type'), body: (await res.json()) as any };
}

describe('rate limit per client', () => {
  it('answers 429 rate_limited with Retry-After once a client has used its burst, and not other clients', async () => {
    const a = newClient();
    for (let i = 0; i < 5; i++) expect((await call(a, '/settings')).status).toBe(200);
    const limited = await call(a, '/settings');
    expect(limited.status).toBe(429);
    expect(limited.type).toMatch(/application\/json/);
    expect(limited.body).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('too many requests') } });
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await call(newClient(), '/settings')).status).toBe(200);
    clock.advance(1000); // one more token
    expect((await call(a, '/settings')).status).toBe(200);
    expect((await call(a, '/settings')).status).toBe(429);
  });

  it('counts the broadcasts API and the OpenAPI document in the same bucket', async () => {
    const b = newClient();
    for (let i = 0; i < 3; i++) expect((await call(b, '/broadcasts')).status).toBe(200);
    expect((await call(b, '/openapi.json', null)).status).toBe(200);
    expect((await call(b, '/rules')).status).toBe(200);
    expect((await call(b, '/broadcasts')).status).toBe(429);
    expect((await call(b, '/openapi.json', null)).status).toBe(429);
  });
});

describe('failed authentication', () => {
  it('logs a warn line per failure with the client and the path, never the token given', async () => {
    const c = newClient();
    clock.advance(10_000);
    const guess = 'guessed-token-do-not-log-me-42';
    expect((await call(c, '/rules', guess)).status).toBe(401);
    clock.advance(1000);
    expect((await call(c, '/broadcasts', null)).status).toBe(401);
    const failures = lines.filter((l) => l.ip === c && l.msg === 'admin API: failed authentication');
    // A request with no credential is not a guess: 401, but no warning and not counted (next test).
    expect(failures).toEqual([expect.objectContaining({ level: 40, method: 'GET', path: '/api/rules', header: 'wrong' })]);
    expect(raw).not.toContain(guess);
    expect(raw).not.toContain(ADMIN_TOKEN);
  });

  it('locks a client out after ten failures in a minute, even with the right token, until the lock-out ends', async () => {
    const d = newClient();
    for (let i = 0; i < 10; i++) {
      clock.advance(1000); // keep the rate limit out of the way: one request per second
      expect((await call(d, '/rules', `wrong-guess-${i}`)).status).toBe(401);
    }
    expect(lines).toContainEqual(expect.objectContaining({ ip: d, level: 40, msg: expect.stringContaining('locked out') }));
    clock.advance(1000);
    const locked = await call(d, '/rules'); // the right token
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('rate_limited');
    expect(Number(locked.retryAfter)).toBeGreaterThan(500);
    clock.advance(1000);
    expect((await call(d, '/broadcasts')).status).toBe(429);
    expect((await call(newClient(), '/rules')).status).toBe(200); // others are not locked out
    clock.advance(10 * 60_000);
    expect((await call(d, '/rules')).status).toBe(200);
  });

  it('never locks out a signed-out browser asking whether it is signed in (no credential is not a guess)', async () => {
    const f = newClient();
    for (let i = 0; i < 15; i++) {
      clock.advance(1000);
      expect((await call(f, i % 2 ? '/session' : '/rules', null)).status).toBe(401);
    }
    clock.advance(1000);
    expect((await call(f, '/rules')).status).toBe(200);
  });

  it('does not lock out a client whose failures are spread over more than a minute', async () => {
    const e = newClient();
    for (let i = 0; i < 12; i++) {
      clock.advance(7000);
      expect((await call(e, '/rules', 'wrong')).status).toBe(401);
    }
    clock.advance(1000);
    expect((await call(e, '/rules')).status).toBe(200);
  });
});
