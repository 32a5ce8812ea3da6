/**
 * Issue 10, item 10: rule replies accepted `javascript:` links. Over real HTTP and a real SQLite file: a
 * rule whose reply holds a link that is not http(s) — in a text reply's `<a href>` (however it is spelled:
 * upper case, unquoted, entity-encoded, with a tab inside the scheme), a news article's url or picture url
 * — is refused on write with a message on the field; and links already stored (written before the check,
 * or by hand) are not sent to the follower.
 */
import { describe, expect, it } from 'vitest';
import { adminServer } from '../admin/harness.ts';

const h = await adminServer();
let n = 0;
const textRule = (content: string) => ({ name: `links ${++n}`, match: 'exact', keywords: [`链接${n}`], replies: [{ type: 'text', content }] });
const newsRule = (article: Record<string, string>) => ({ name: `links ${++n}`, match: 'exact', keywords: [`链接${n}`], replies: [{ type: 'news', articles: [{ title: '新品', ...article }] }] });

describe('refused on write', () => {
  it.each([
    ['javascript:', '<a href="javascript:alert(document.cookie)">领券</a>'],
    ['JavaScript: in upper case, single quotes', "<A HREF='JaVaScRiPt:alert(1)'>领券</A>"],
    ['an unquoted javascript:', '点 <a href=javascript:alert(1)>这里</a>'],
    ['an entity-encoded javascript:', '<a href="&#106;avascript&colon;alert(1)">领券</a>'],
    ['a tab inside the scheme', '<a href="java\tscript:alert(1)">领券</a>'],
    ['data:', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">领券</a>'],
    ['vbscript:', '<a href="vbscript:msgbox(1)">领券</a>'],
    ['a safe link next to a bad one', '<a href="https://shop.example.com">店铺</a> 和 <a href="javascript:void(0)">领券</a>'],
  ])('a text reply with %s', async (_what, content) => {
    const r = await h.api('POST', '/rules', textRule(content));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation');
    expect(r.body.error.details).toEqual([{ path: 'replies[0].content', message: expect.stringContaining('only http:// or https:// links') }]);
  });

  it.each([
    ['url', { url: 'javascript:alert(1)' }],
    ['image_url', { url: 'https://shop.example.com/a', image_url: 'data:image/svg+xml;base64,PHN2Zz4=' }],
    ['image_url', { url: 'https://shop.example.com/a', image_url: 'vbscript:x' }],
  ])('a news article with a bad %s', async (field, article) => {
    const r = await h.api('POST', '/rules', newsRule(article));
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([expect.objectContaining({ path: `replies[0].articles[0].${field}` })]);
  });

  it('a change (PATCH) that brings a bad link in', async () => {
    const created = await h.api('POST', '/rules', textRule('<a href="https://shop.example.com/deal">领券</a>'));
    expect(created.status).toBe(201);
    const r = await h.api('PATCH', `/rules/${created.body.id}`, { replies: [{ type: 'text', content: '<a href="javascript:alert(1)">领券</a>' }] });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([expect.objectContaining({ path: 'replies[0].content' })]);
  });

  it('accepts http(s) links', async () => {
    const r = await h.api('POST', '/rules', textRule('<a href="https://shop.example.com/deal?id=1">领券</a> <a href=\'http://shop.example.com\'>店铺</a>'));
    expect(r.status).toBe(201);
  });
});

describe('not sent when already stored', () => {
  /** Stores `replies` for a rule as an older version (or a hand edit) could have, past the schema. */
  async function storeBehindTheSchema(keyword: string, replies: unknown[]) {
    const created = await h.api('POST', '/rules', { name: `stored ${keyword}`, match: 'exact', keywords: [keyword], replies: [{ type: 'text', content: 'placeholder' }] });
    expect(created.status).toBe(201);
    await h.server.sql.transaction(async (tx) => {
      const { rev } = (await tx.get<{ rev: number }>('UPDATE merchant_rev SET rev = rev + 1 WHERE id = 1 RETURNING rev'))!;
      await tx.run('UPDATE rules SET replies = ?, rev = ? WHERE id = ?', [JSON.stringify(replies), rev, created.body.id]);
    });
    await h.server.book.refresh();
  }

  it('drops a javascript: link from a text reply and keeps its words and the safe links', async () => {
    await storeBehindTheSchema('老规则', [{ type: 'text', content: '<a href="javascript:alert(1)">领券</a>，或去 <a href="https://shop.example.com">店铺</a>' }]);
    const seen = await h.say('o_links_user_00001', '老规则');
    expect(seen).toBe('领券，或去 <a href="https://shop.example.com">店铺</a>');
  });

  it('drops a news article whose url is not http(s), and a picture url that is not', async () => {
    await storeBehindTheSchema('老图文', [{ type: 'news', articles: [{ title: '坏', url: 'javascript:alert(1)' }] }]);
    expect(await h.say('o_links_user_00002', '老图文')).toBe('success');
    await storeBehindTheSchema('老图片', [{ type: 'news', articles: [{ title: '好', url: 'https://shop.example.com/a', image_url: 'data:image/png;base64,AAAA' }] }]);
    const a = await h.player.text('o_links_user_00003', '老图片');
    expect(a.articles).toEqual([expect.objectContaining({ title: '好', url: 'https://shop.example.com/a', picUrl: '' })]);
  });
});

describe('broadcasts too', () => {
  const broadcast = (message: unknown) => ({ name: `links ${++n}`, message, audience: { all: true }, channel: 'custom' });

  it.each([
    ['a text with a javascript: link', { type: 'text', content: '新品 <a href="javascript:alert(1)">看看</a>' }],
    ['an article url that is javascript:', { type: 'news', article: { title: '新品', url: 'javascript:alert(1)' } }],
    ['an article picture that is data:', { type: 'news', article: { title: '新品', url: 'https://shop.example.com', image_url: 'data:image/png;base64,AAAA' } }],
  ])('refuses %s', async (_what, message) => {
    const r = await h.api('POST', '/broadcasts', broadcast(message));
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/http/);
  });

  it('accepts http(s) links', async () => {
    const r = await h.api('POST', '/broadcasts', broadcast({ type: 'news', article: { title: '新品', url: 'https://shop.example.com/a', image_url: 'https://shop.example.com/a.png' } }));
    expect(r.status).toBe(201);
  });
});
