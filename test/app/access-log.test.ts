/**
 * One access-log line per request at debug level (method, path without the query string, status, ms, bytes),
 * none at info: the middleware is not even installed above debug.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createWechatPlayer } from '../../src/channels/wechat/player.ts';
import { createLogger } from '../../src/core/log.ts';
import { TOKEN, testServer } from '../helpers/server.ts';

/** A logger at `level` whose JSON lines are kept. */
function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: createLogger(level, sink), requests: () => lines.filter((l) => l.msg === 'request'), raw: () => raw.join('\n') };
}

describe('access log at GUANG_LOG_LEVEL=debug', async () => {
  const logs = capture('debug');
  const server = await testServer({ env: { GUANG_LOG_LEVEL: 'debug' }, logger: logs.logger });

  it('writes one line per request with method, path, status, duration and bytes, and never the query string', async () => {
    const res = await fetch(`${server.url}/healthz?token=access-log-secret-1`);
    const body = await res.text();
    await expect.poll(() => logs.requests().filter((l) => l.path === '/healthz')).toHaveLength(1);
    const [line] = logs.requests().filter((l) => l.path === '/healthz');
    expect(line).toMatchObject({ level: 20, component: 'http', method: 'GET', path: '/healthz', status: 200, bytes: Buffer.byteLength(body) });
    expect(typeof line!.ms).toBe('number');
    expect(logs.raw()).not.toContain('access-log-secret-1');
    await fetch(`${server.url}/no-such-page`);
    await expect.poll(() => logs.requests().find((l) => l.path === '/no-such-page')?.status).toBe(404);
    expect(logs.requests().filter((l) => l.path === '/healthz')).toHaveLength(1);
  });

  it('logs a webhook delivery by its path only: no signature, timestamp or nonce', async () => {
    await createWechatPlayer({ url: server.webhook, token: TOKEN }).text('o_access_log_follower', '帮助');
    await expect.poll(() => logs.requests().filter((l) => l.path === '/wechat')).toHaveLength(1);
    expect(logs.requests().find((l) => l.path === '/wechat')).toMatchObject({ method: 'POST', status: 200 });
    const lines = logs.raw().split('\n').filter((l) => l.includes('"msg":"request"'));
    for (const field of ['signature', 'nonce', 'timestamp', '?']) expect(lines.join('\n')).not.toContain(field);
  });
});

describe('access log at GUANG_LOG_LEVEL=info', async () => {
  const logs = capture('info');
  const server = await testServer({ env: { GUANG_LOG_LEVEL: 'info' }, logger: logs.logger });

  it('writes no line for a request', async () => {
    await createWechatPlayer({ url: server.webhook, token: TOKEN }).text('o_access_log_follower', '帮助');
    await fetch(`${server.url}/healthz`);
    // The channel's own info line for the delivery is there: the logger works, it just has no access log.
    await expect.poll(() => logs.raw()).toContain('"msg":"webhook"');
    expect(logs.requests()).toEqual([]);
  });
});
