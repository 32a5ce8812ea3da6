/**
 * QA finding 5: the admin API's lock-out is keyed by the client address express reports, and `trust proxy` was
 * fixed to loopback. Behind a proxy on another host every operator then shares the proxy's address, and ten bad
 * requests lock them all out. GUANG_TRUST_PROXY names the proxies whose X-Forwarded-For counts (validated at
 * start). Over real HTTP on loopback: the test's socket plays the proxy; a server trusting 127.0.0.1 keys the
 * lock-out by the forwarded client, one trusting only another range (10.0.0.0/8) by the socket's address.
 */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.ts';
import { ConfigError, loadConfig, parseTrustProxy } from '../../src/core/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { startServer } from '../../src/app/server.ts';
import { atFileEnd } from '../helpers/file-end.ts';
import { runDatabase } from '../helpers/run-database.ts';

const ADMIN = 'trust-proxy-admin-token-0123456789';

async function serverTrusting(trust: string) {
  const clock = manualClock(Date.UTC(2026, 5, 1, 2, 0, 0));
  const database = await runDatabase();
  const config = loadConfig({ PORT: '0', GUANG_DB: database.dbPath, ...database.env, GUANG_LOG_LEVEL: 'silent', WECHAT_TOKEN: 'trustproxytoken1', GUANG_ADMIN_TOKEN: ADMIN, GUANG_TRUST_PROXY: trust });
  const server = await startServer({ config, clock, host: '127.0.0.1', logger: createLogger('silent') });
  // atFileEnd, not afterAll: this runs inside a test, where vitest drops an afterAll (the server leaked).
  atFileEnd(() => server.close());
  const call = async (client: string, token: string) =>
    (await fetch(`${server.url}/api/rules`, { headers: { 'x-forwarded-for': client, authorization: `Bearer ${token}` } })).status;
  /** Ten failures from `client`, one a second (under the rate limit): a lock-out. */
  const lockOut = async (client: string) => {
    for (let i = 0; i < 10; i++) {
      expect(await call(client, 'wrong-token-wrong-token')).toBe(401);
      clock.advance(1000);
    }
  };
  return { call, lockOut };
}

describe('GUANG_TRUST_PROXY', () => {
  it('trusting the proxy: one client locked out, another behind the same proxy is not', async () => {
    const s = await serverTrusting('127.0.0.1');
    await s.lockOut('203.0.113.7');
    expect(await s.call('203.0.113.7', ADMIN)).toBe(429);
    expect(await s.call('203.0.113.8', ADMIN)).toBe(200);
  });

  it('not trusting the peer: X-Forwarded-For is ignored (a client cannot pick its own address)', async () => {
    const s = await serverTrusting('10.0.0.0/8');
    await s.lockOut('203.0.113.7');
    expect(await s.call('203.0.113.8', ADMIN)).toBe(429); // same socket address: the same client
  });

  it('accepts a hop count, addresses, CIDR ranges and the named ranges', () => {
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy(' 10.0.0.0/8, 192.168.1.5 ,fd00::/8,loopback ')).toEqual(['10.0.0.0/8', '192.168.1.5', 'fd00::/8', 'loopback']);
    expect(loadConfig({ WECHAT_TOKEN: 'trustproxytoken1' }).trustProxy).toEqual(['loopback']);
  });

  it.each(['true', '*', '10.0.0.0/33', '10.0.0', 'proxy.example.com', '11', '10.0.0.0/8,', '::1/129'])('refuses %s at start', (value) => {
    expect(() => loadConfig({ WECHAT_TOKEN: 'trustproxytoken1', GUANG_TRUST_PROXY: value })).toThrow(ConfigError);
    expect(() => loadConfig({ WECHAT_TOKEN: 'trustproxytoken1', GUANG_TRUST_PROXY: value })).toThrow(/GUANG_TRUST_PROXY: expected/);
  });
});
