/**
 * A delivery in its usual form (`POST /wechat` or `/wechat/<account>`, a UTF-8 body, not compressed) is taken
 * before express, its body read by read-body.ts; every other form goes through express's route and body parser.
 * Both ways must give the same answer, and the limits hold on both.
 */
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { nextMsgId } from '../../src/channels/wechat/player.ts';
import { readsPlainly } from '../../src/channels/wechat/read-body.ts';
import { sha1Sorted } from '../../src/channels/wechat/signature.ts';
import { buildMessageXml } from '../../src/channels/wechat/xml.ts';
import { TOKEN, testServer } from '../helpers/server.ts';

const server = await testServer();
const user = 'oyORnuP8q7ou2gfYjqLzSIWZf0rs';

function signedQuery(): string {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  return new URLSearchParams({ signature: sha1Sorted([TOKEN, timestamp, nonce]), timestamp, nonce }).toString();
}

const textXml = (content: string) =>
  buildMessageXml({ ToUserName: 'gh_test', FromUserName: user, CreateTime: 1714036504, MsgType: 'text', Content: content, MsgId: nextMsgId() });

async function post(body: string | Uint8Array, headers: Record<string, string>, path = '/wechat') {
  const res = await fetch(`${server.url}${path}?${signedQuery()}`, { method: 'POST', body: body as BodyInit, headers });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

/** The reply's Content, from an answer's XML. */
const content = (xml: string) => /<Content><!\[CDATA\[([\s\S]*?)\]\]><\/Content>/.exec(xml)?.[1] ?? null;

describe('the forms a delivery comes in', () => {
  it('answers the usual form with the reply XML', async () => {
    const res = await post(textXml('帮助'), { 'content-type': 'text/xml' });
    expect([res.status, res.type]).toEqual([200, 'application/xml; charset=utf-8']);
    expect(content(res.text)).toContain('找商品');
  });

  it('answers a body declared as GBK the same, decoded from GBK', async () => {
    const usual = await post(textXml('帮助'), { 'content-type': 'text/xml' });
    const gbk = await post(iconv.encode(textXml('帮助'), 'gbk'), { 'content-type': 'text/xml; charset=gbk' });
    expect(gbk.status).toBe(200);
    expect(content(gbk.text)).toBe(content(usual.text));
  });

  it('answers a gzip-compressed body the same', async () => {
    const usual = await post(textXml('帮助'), { 'content-type': 'text/xml' });
    const gzipped = await post(gzipSync(textXml('帮助')), { 'content-type': 'text/xml', 'content-encoding': 'gzip' });
    expect(gzipped.status).toBe(200);
    expect(content(gzipped.text)).toBe(content(usual.text));
  });

  it('answers a body that starts with a byte-order mark the same', async () => {
    const res = await post(`\uFEFF${textXml('帮助')}`, { 'content-type': 'text/xml; charset=UTF-8' });
    expect(res.status).toBe(200);
    expect(content(res.text)).toContain('找商品');
  });

  it.each([['/wechat/'], ['/WeChat'], ['/wechat/defaul%74']])('answers the default account at %s as at /wechat', async (path) => {
    const res = await post(textXml('帮助'), { 'content-type': 'text/xml' }, path);
    expect(res.status).toBe(200);
    expect(content(res.text)).toContain('找商品');
  });

  it('refuses an empty body with 400 `invalid request`', async () => {
    const res = await post('', { 'content-type': 'text/xml' });
    expect([res.status, res.text]).toEqual([400, 'invalid request']);
  });
});

describe('a chunked body (no Content-Length) over 64 KiB', () => {
  it('is refused 413 as soon as the limit is passed, and its connection closed', async () => {
    const chunk = 'x'.repeat(70 * 1024);
    const socket = connect(server.port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('error', () => {});
    // The end of the body is never sent: the answer cannot wait for it.
    socket.write(
      `POST /wechat?${signedQuery()} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n` +
        `${chunk.length.toString(16)}\r\n${chunk}\r\n`,
    );
    await new Promise((resolve) => socket.on('close', resolve));
    expect(text).toMatch(/^HTTP\/1\.1 413/);
    expect(text).toContain('body too large');
  });
});

describe('readsPlainly (which bodies read-body.ts reads as express would)', () => {
  it.each([
    [{}, true],
    [{ 'content-type': 'text/xml' }, true],
    [{ 'content-type': 'text/xml; charset=utf-8' }, true],
    [{ 'content-type': 'text/xml;charset="UTF-8"' }, true],
    [{ 'content-type': 'text/xml; charset=utf8; foo=bar' }, true],
    [{ 'content-encoding': 'identity' }, true],
    [{ 'content-type': 'text/xml; charset=gbk' }, false],
    [{ 'content-type': 'text/xml; charset=utf-16' }, false],
    [{ 'content-type': 'text/xml; foo=bar; charset=gb2312' }, false],
    [{ 'content-encoding': 'gzip' }, false],
    [{ 'content-encoding': 'deflate' }, false],
  ])('%j: %s', (headers, plainly) => {
    expect(readsPlainly(headers)).toBe(plainly);
  });
});
