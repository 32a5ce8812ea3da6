/**
 * Slow clients are cut off: headers that trickle in, and bodies that trickle in, get 408 and a closed
 * connection; an upload (…/import) may take longer than other requests, up to its own limit. Real sockets on
 * loopback against a real server, with small limits injected so the test is quick.
 */
import { trickle } from '../helpers/trickle.ts';
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { startServer } from '../../src/app/server.ts';
import { runDatabase } from '../helpers/run-database.ts';

const ADMIN = 'timeouts-admin-token-0123456789';
const database = await runDatabase();
const config = loadConfig({
  PORT: '0',
  GUANG_DB: database.dbPath, ...database.env,
  GUANG_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  GUANG_ADMIN_TOKEN: ADMIN,
  WECHAT_TOKEN: 'timeouttoken1',
});
// Limits far below Node's defaults (60 s headers, 300 s body), so a cut within a few seconds is ours.
const server = await startServer({
  config,
  host: '127.0.0.1',
  logger: createLogger(config.logLevel),
  timeouts: { headersMs: 400, requestMs: 600, uploadMs: 3_000, keepAliveMs: 1_000 },
});
afterAll(() => server.close());

/** The slow client of test/helpers/trickle.ts, on this file's server. */
const slowClient = (head: string, piece: string, everyMs: number, giveUpMs: number) => ({ answer: trickle(server.port, head, piece, everyMs, giveUpMs) });

describe('slow clients', () => {
  it('cuts a connection whose headers trickle in (slowloris)', async () => {
    const t = slowClient('POST /wechat?signature=x&timestamp=1&nonce=2 HTTP/1.1\r\nHost: localhost\r\n', 'X-Pad: a\r\n', 100, 8_000);
    const { text, closed } = await t.answer;
    expect(closed).toBe(true);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
  });

  it('cuts a webhook delivery whose body trickles in', async () => {
    const head = 'POST /wechat?signature=x&timestamp=1&nonce=2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: 5000\r\n\r\n<xml>';
    const t = slowClient(head, '<a>1</a>', 100, 8_000);
    const { text, closed } = await t.answer;
    expect(closed).toBe(true);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(text).toContain('request_timeout');
  });

  it('lets an upload take longer than other requests', async () => {
    const rows = ['sku,title,category,price', ...Array.from({ length: 8 }, (_, i) => `S${i},连衣裙${i},女装/连衣裙,${100 + i}`)].map((l) => l + '\n');
    const length = Buffer.byteLength(rows.join(''));
    const head =
      `POST /api/products/import?filename=slow.csv HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${ADMIN}\r\n` +
      `Content-Type: text/csv\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n${rows[0]}`;
    // 8 more pieces, 150 ms apart: about 1.2 s, twice the body limit of other requests, within the upload limit.
    const s = connect(server.port, '127.0.0.1');
    let text = '';
    s.on('data', (d) => (text += d.toString('utf8')));
    s.write(head);
    for (const row of rows.slice(1)) {
      await new Promise((r) => setTimeout(r, 150));
      s.write(row);
    }
    await new Promise((resolve) => s.on('close', resolve));
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text).toContain('"imported":8');
  });

  it('cuts an upload that trickles past the upload limit', async () => {
    const head =
      `POST /api/products/import?filename=slow.csv HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${ADMIN}\r\n` +
      'Content-Type: text/csv\r\nContent-Length: 100000\r\n\r\nsku,title,category,price\n';
    const t = slowClient(head, 'S1,连衣裙,女装/连衣裙,100\n', 200, 10_000);
    const { text, closed } = await t.answer;
    expect(closed).toBe(true);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
  });
});
