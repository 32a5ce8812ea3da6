/**
 * QA finding 9: deliveries refused for a stale timestamp were logged at debug only, so a server whose clock had
 * drifted past the allowed skew refused every genuine delivery without a word in the log. Now a warn line says
 * how many were refused and what to check, at most once a minute, in fixed text and numbers only. Real signed
 * deliveries over HTTP against a server whose clock (injected) is 10 minutes ahead of the sender's.
 */
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.ts';
import { loadConfig } from '../../src/core/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { startServer } from '../../src/app/server.ts';
import { runDatabase } from '../helpers/run-database.ts';
import { send, signedQuery, textXml } from './webhook-requests.ts';

const TOKEN = 'staletoken1';
const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});
const senderNow = Date.UTC(2026, 5, 1, 2, 0, 0);
const clock = manualClock(senderNow + 600_000); // this server's clock: 10 min ahead
const database = await runDatabase();
const config = loadConfig({ PORT: '0', GUANG_DB: database.dbPath, ...database.env, GUANG_LOG_LEVEL: 'warn', WECHAT_TOKEN: TOKEN, WECHAT_FOLLOWER_BURST: '0' });
const server = await startServer({ config, clock, host: '127.0.0.1', logger: createLogger('warn', sink) });
afterAll(() => server.close());

const warnings = () => lines.filter((l) => l.level === 40 && String(l.msg).includes('refused: their timestamp'));

async function deliver(n: number) {
  const q = signedQuery(TOKEN, { timestamp: Math.floor(senderNow / 1000) });
  return send(`${server.url}/wechat`, q, textXml('o_stale_follower_1', `你好 ${n}`, String(1000 + n)));
}

describe('deliveries refused as stale', () => {
  it('are warned about once a minute with their count, in fixed text', async () => {
    for (let i = 0; i < 3; i++) expect((await deliver(i)).status).toBe(400);
    expect(warnings()).toHaveLength(1);
    const first = warnings()[0]!;
    expect(first.msg).toBe(
      "1 delivery refused: their timestamp is more than 300 s from this server's clock (the latest by 600 s) — check the clock (NTP) or WECHAT_MAX_CLOCK_SKEW_SECONDS",
    );
    expect(first).toMatchObject({ refused: 1, serverAheadSeconds: 600 });

    clock.advance(60_000);
    expect((await deliver(3)).status).toBe(400);
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1]).toMatchObject({ refused: 3, serverAheadSeconds: 660 });
  });

  it('are not warned about when the signature is wrong (anyone can send those)', async () => {
    clock.advance(60_000);
    const before = warnings().length;
    const q = signedQuery('not-the-token', { timestamp: Math.floor(senderNow / 1000) });
    expect((await send(`${server.url}/wechat`, q, textXml('o_stale_follower_1', 'x', '2000'))).status).toBe(400);
    expect(warnings()).toHaveLength(before);
  });
});
