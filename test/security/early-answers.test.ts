/**
 * QA findings 3 and 7: a request answered before its body has arrived must not keep its connection.
 * - 3: POST /nowhere, or an admin route without a token, declaring 50 MB and dripping a byte at a time, got its
 *   404/401 at once but Node kept reading the body to reuse the connection, up to the server's hard limit (the
 *   upload limit, 10 min): a few hundred such sockets from one client ran the server out of descriptors.
 * - 7: a webhook POST declaring more than 64 KiB was read (and discarded) until the body deadline, then 408,
 *   and body-parser's late 413 was written after that answer (ERR_HTTP_HEADERS_SENT, a stack on stderr).
 * Real sockets on loopback against a real server. The upload limit (the hard cap) is 60 s here, far beyond the
 * 5 s these tests wait, so a socket still open when they give up is held by the server, not by a timeout.
 */
import { trickle } from '../helpers/trickle.ts';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { startServer } from '../../src/app/server.ts';
import { runDatabase } from '../helpers/run-database.ts';
import { signedQuery } from './webhook-requests.ts';

const ADMIN = 'early-answers-admin-token-0123456789';
const TOKEN = 'earlyanswertoken1';
const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});
const database = await runDatabase();
const config = loadConfig({ PORT: '0', GUANG_DB: database.dbPath, ...database.env, GUANG_LOG_LEVEL: 'warn', GUANG_ADMIN_TOKEN: ADMIN, WECHAT_TOKEN: TOKEN });
// Express prints an error that reaches its own last handler (a write after the headers were sent) to stderr,
// except when NODE_ENV is 'test', as vitest sets it: this server runs as in production, so that it would show.
const nodeEnv = process.env.NODE_ENV;
process.env.NODE_ENV = 'production';
const server = await startServer({
  config,
  host: '127.0.0.1',
  logger: createLogger('warn', sink),
  timeouts: { headersMs: 2_000, requestMs: 600, uploadMs: 60_000, keepAliveMs: 5_000 },
});
process.env.NODE_ENV = nodeEnv;
afterAll(() => server.close());

/**
 * Sends `head` (the headers, declaring a large body), then one byte every 100 ms until the server closes the
 * socket or `giveUpMs` passes. Resolves with everything the server sent and whether it closed the connection.
 */
const drip = (head: string, giveUpMs = 5_000) => trickle(server.port, head, 'a', 100, giveUpMs, 'latin1');

const head = (requestLine: string, extra = '') =>
  `${requestLine} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n${extra}\r\n`;

describe('a request answered before its body arrived', () => {
  it('closes the connection after a 404 instead of reading 50 MB a byte at a time', async () => {
    const { text, closed } = await drip(head('POST /nowhere'));
    expect(text).toMatch(/^HTTP\/1\.1 404/);
    expect(text.toLowerCase()).toContain('connection: close');
    expect(closed).toBe(true);
  });

  it('closes the connection after an admin 401 (no token)', async () => {
    const { text, closed } = await drip(head('POST /api/rules'));
    expect(text).toMatch(/^HTTP\/1\.1 401/);
    expect(closed).toBe(true);
  });

  it('closes the connection after a 401 on an upload route, which has the long limit', async () => {
    const { text, closed } = await drip(head('POST /api/products/import?filename=p.csv'));
    expect(text).toMatch(/^HTTP\/1\.1 401/);
    expect(closed).toBe(true);
  });

  it('keeps a connection whose request arrived whole (keep-alive still works)', async () => {
    const socket = connect(server.port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    // Two bodiless GETs and two webhook POSTs (refused 400 after their bodies were read), pipelined.
    const get = 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n';
    const post = 'POST /wechat?signature=x&timestamp=1&nonce=2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: 6\r\n\r\n<xml/>';
    socket.write(get + post + get + post);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if ((text.match(/HTTP\/1\.1 (200|400)/g) ?? []).length === 4) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    expect(socket.destroyed).toBe(false);
    expect(text.toLowerCase()).not.toContain('connection: close');
    socket.destroy();
  });
});

describe('a webhook POST declaring more than 64 KiB', () => {
  it('is refused 413 on its Content-Length, before its body is read, and its connection closed', async () => {
    const { text, closed } = await drip(head(`POST /wechat?${signedQuery(TOKEN)}`));
    expect(text).toMatch(/^HTTP\/1\.1 413/);
    expect(text).toContain('body too large');
    expect(closed).toBe(true);
  });

  it('writes nothing after the body deadline has answered a chunked oversize body (no ERR_HTTP_HEADERS_SENT)', async () => {
    const before = lines.length;
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
    const chunk = 'x'.repeat(70 * 1024);
    const start =
      `POST /wechat?${signedQuery(TOKEN)} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n` +
      `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
    // Then 1-byte chunks: body-parser, past its limit, reads them all before reporting; the deadline cuts first.
    const socket = connect(server.port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('error', () => {});
    socket.write(start);
    const timer = setInterval(() => !socket.destroyed && socket.write('1\r\na\r\n'), 100);
    await new Promise((resolve) => socket.on('close', resolve));
    clearInterval(timer);
    await new Promise((r) => setTimeout(r, 200)); // body-parser's late report, if any, comes after the close
    expect(text).toMatch(/^HTTP\/1\.1 (408|413)/);
    const printed = stderr.mock.calls.map((c) => String(c[0]));
    stderr.mockRestore();
    expect(printed).toEqual([]);
    const errors = lines.slice(before).filter((l) => (l.level as number) >= 50 || JSON.stringify(l).includes('HEADERS_SENT'));
    expect(errors).toEqual([]);
  });
});
