import { describe, expect, it } from 'vitest';
import type { Article, Reply } from '../../src/core/messages.ts';
import { NO_REPLY, text } from '../../src/core/messages.ts';
import { buildMessageXml, fitText, parseWechatXml, renderReply } from '../../src/channels/wechat/xml.ts';

const CTX = { toUser: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs', fromAccount: 'gh_10f6c3c3ac5a', createdAt: 1714036504, toUserMessage: true };
const bytes = (s: string): number => Buffer.byteLength(s);
const articles = (n: number): Article[] =>
  Array.from({ length: n }, (_, i) => ({ title: `商品${i + 1}`, description: `描述${i + 1}`, url: `https://shop.example/p/${i + 1}`, imageUrl: `https://img.example/${i + 1}.jpg` }));

describe('renderReply', () => {
  it('renders a text reply with swapped To/From, CDATA strings and a bare CreateTime', () => {
    expect(renderReply(text('你好'), CTX)).toBe(
      '<xml><ToUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></ToUserName>' +
        '<FromUserName><![CDATA[gh_10f6c3c3ac5a]]></FromUserName><CreateTime>1714036504</CreateTime>' +
        '<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>',
    );
  });

  it('writes CreateTime in seconds', async () => {
    const fields = await parseWechatXml(renderReply(text('hi'), { ...CTX, createdAt: 1714036504.9 })!);
    expect(fields['CreateTime']).toBe('1714036504');
  });

  it('refuses a millisecond createdAt', () => {
    expect(() => renderReply(text('hi'), { ...CTX, createdAt: 1714036504000 })).toThrow(/seconds/);
  });

  it('escapes ]]> so a value cannot break out of CDATA', async () => {
    const evil = 'a]]></Content><MsgType>news</MsgType><Content><![CDATA[b';
    const xml = renderReply(text(evil), CTX)!;
    expect(xml).toContain(']]]]><![CDATA[>');
    expect(await parseWechatXml(xml)).toMatchObject({ MsgType: 'text', Content: evil });
  });

  it('renders none as null (the caller answers success)', () => {
    expect(renderReply(NO_REPLY, CTX)).toBeNull();
  });

  it('renders empty or blank text as null, never an empty Content', () => {
    expect(renderReply(text(''), CTX)).toBeNull();
    expect(renderReply(text(' \n\t '), CTX)).toBeNull();
  });

  it('renders news with no articles as null', () => {
    expect(renderReply({ type: 'news', articles: [] }, CTX)).toBeNull();
  });

  it('renders an image with an empty media id as null', () => {
    expect(renderReply({ type: 'image', mediaId: '' }, CTX)).toBeNull();
  });

  it('renders an image reply', () => {
    expect(renderReply({ type: 'image', mediaId: 'MEDIA_1' }, CTX)).toContain(
      '<MsgType><![CDATA[image]]></MsgType><Image><MediaId><![CDATA[MEDIA_1]]></MediaId></Image></xml>',
    );
  });

  it('renders a news article with Title, Description, PicUrl and Url', () => {
    expect(renderReply({ type: 'news', articles: articles(1) }, CTX)).toContain(
      '<MsgType><![CDATA[news]]></MsgType><ArticleCount>1</ArticleCount><Articles><item>' +
        '<Title><![CDATA[商品1]]></Title><Description><![CDATA[描述1]]></Description>' +
        '<PicUrl><![CDATA[https://img.example/1.jpg]]></PicUrl><Url><![CDATA[https://shop.example/p/1]]></Url></item></Articles></xml>',
    );
  });

  it('caps news at 1 article when answering a user message', () => {
    const xml = renderReply({ type: 'news', articles: articles(5) }, { ...CTX, toUserMessage: true })!;
    expect(xml).toContain('<ArticleCount>1</ArticleCount>');
    expect(xml.match(/<item>/g)).toHaveLength(1);
  });

  it('caps news at 8 articles when answering an event', () => {
    const xml = renderReply({ type: 'news', articles: articles(10) }, { ...CTX, toUserMessage: false })!;
    expect(xml).toContain('<ArticleCount>8</ArticleCount>');
    expect(xml.match(/<item>/g)).toHaveLength(8);
  });

  it('renders optional article fields as empty', () => {
    const xml = renderReply({ type: 'news', articles: [{ title: 'T', url: 'https://u' }] }, CTX)!;
    expect(xml).toContain('<Description><![CDATA[]]></Description><PicUrl><![CDATA[]]></PicUrl>');
  });

  it('caps text content at 2048 UTF-8 bytes', async () => {
    const fields = await parseWechatXml(renderReply(text('商品'.repeat(2000)), CTX)!);
    expect(bytes(fields['Content']!)).toBeLessThanOrEqual(2048);
    expect(fields['Content']!.endsWith('…')).toBe(true);
  });

  it('drops characters XML does not allow', async () => {
    const fields = await parseWechatXml(renderReply(text('a\u0000b\u0008c\uFFFEd'), CTX)!);
    expect(fields['Content']).toBe('abcd');
  });

  it('drops lone surrogates but keeps emoji, in text and in articles', async () => {
    expect((await parseWechatXml(renderReply(text('a\uD800b😀c\uDC00'), CTX)!))['Content']).toBe('ab😀c');
    const news = renderReply({ type: 'news', articles: [{ title: 'x\uDBFF👗', url: 'https://s.example/p' }] }, CTX)!;
    expect(news).toContain('<Title><![CDATA[x👗]]></Title>');
  });

  it('renders every reply type exhaustively', () => {
    const replies: Reply[] = [text('x'), { type: 'image', mediaId: 'm' }, { type: 'news', articles: articles(1) }, NO_REPLY];
    expect(replies.map((r) => typeof renderReply(r, CTX))).toEqual(['string', 'string', 'string', 'object']);
  });
});

describe('buildMessageXml', () => {
  it('writes strings in CDATA and numbers bare', () => {
    expect(buildMessageXml({ MsgType: 'text', CreateTime: 1409735668, MsgId: '6054768590064713728' })).toBe(
      '<xml><MsgType><![CDATA[text]]></MsgType><CreateTime>1409735668</CreateTime><MsgId><![CDATA[6054768590064713728]]></MsgId></xml>',
    );
  });

  it('round-trips values containing ]]> through the parser', async () => {
    expect(await parseWechatXml(buildMessageXml({ Content: 'x]]>y]]]]>z' }))).toEqual({ Content: 'x]]>y]]]]>z' });
  });

  it('refuses an invalid element name', () => {
    expect(() => buildMessageXml({ 'a><b': 'x' })).toThrow(/element name/);
  });
});

describe('fitText', () => {
  /** The result minus its marker must be an exact prefix of the input (so nothing was split). */
  function expectCleanCut(input: string, maxBytes: number): string {
    const out = fitText(input, maxBytes);
    expect(bytes(out)).toBeLessThanOrEqual(maxBytes);
    expect(out.endsWith('…')).toBe(true);
    const kept = out.slice(0, -1);
    expect(input.startsWith(kept)).toBe(true);
    expect(Buffer.from(out, 'utf8').toString('utf8')).toBe(out);
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    return out;
  }

  it('returns text that fits unchanged, up to exactly the byte cap', () => {
    expect(fitText('a'.repeat(2048))).toBe('a'.repeat(2048));
    expect(fitText('中'.repeat(682))).toBe('中'.repeat(682)); // 2046 bytes
  });

  it('respects the byte cap for ASCII', () => {
    expect(expectCleanCut('a'.repeat(5000), 2048)).toHaveLength(2046);
  });

  it('respects the byte cap for Chinese without splitting a character', () => {
    const out = expectCleanCut('中文字符'.repeat(400), 2048);
    expect(bytes(out)).toBeGreaterThan(2040);
  });

  it('respects the byte cap for emoji without splitting a surrogate pair', () => {
    expectCleanCut('😀'.repeat(1000), 2048);
    expectCleanCut(`a${'😀'.repeat(1000)}`, 2048);
  });

  it('keeps emoji sequences (ZWJ families, flags) whole', () => {
    const family = '👨‍👩‍👧‍👦';
    const out = expectCleanCut(family.repeat(200), 100);
    expect(out.slice(0, -1).split(family).join('')).toBe('');
  });

  it('never splits a character at any byte cap', () => {
    const input = 'Hi 你好 😀 👨‍👩‍👧 é\n第二行 <a href="https://shop.example/x">看看</a> 🇨🇳 end';
    for (let max = 3; max < bytes(input); max++) expectCleanCut(input, max);
  });

  it('cuts on a line boundary when one is close', () => {
    const input = `${'第一行内容'.repeat(10)}\n${'第二行内容'.repeat(10)}\n${'第三行内容'.repeat(10)}`;
    expect(fitText(input, 200)).toBe(`${'第一行内容'.repeat(10)}\n…`);
  });

  it('cuts mid-line when the only line boundary would waste most of the budget', () => {
    const input = `短\n${'长'.repeat(1000)}`;
    const out = expectCleanCut(input, 2048);
    expect(bytes(out)).toBeGreaterThan(2000);
  });

  it('drops a whole link line rather than cutting it', () => {
    const link = '<a href="https://shop.example/products/1234567890">立即购买</a>';
    const input = `${'推荐'.repeat(20)}\n${link}\n`;
    const out = expectCleanCut(input, bytes(input) - 5);
    expect(out).toBe(`${'推荐'.repeat(20)}\n…`);
  });

  it('never splits a link element at any byte cap', () => {
    const link = '<a href="https://shop.example/p/1">商品一</a>';
    const input = `看看${link}和${link}吧`;
    for (let max = 3; max < bytes(input); max++) {
      const out = expectCleanCut(input, max);
      expect(out.match(/<a /g)?.length ?? 0).toBe(out.match(/<\/a>/g)?.length ?? 0);
      expect(out).not.toMatch(/<[^>]*…$/);
    }
  });

  it('returns an empty string when not even the marker fits', () => {
    expect(fitText('abcdef', 2)).toBe('');
  });
});
