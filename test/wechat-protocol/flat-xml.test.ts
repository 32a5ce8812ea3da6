import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlatXml } from '../../src/channels/wechat/flat-xml.ts';
import { buildMessageXml, parseWechatXml, parseWithXml2js } from '../../src/channels/wechat/xml.ts';

/** What the full parser makes of a document: its fields, or the kind of error. */
async function full(doc: string): Promise<Record<string, string> | { error: string }> {
  try {
    return await parseWithXml2js(doc);
  } catch (err) {
    return { error: (err as Error).name };
  }
}

// Pieces chosen to hit every branch: markup, entities, CDATA closers, line ends, XML-invalid characters,
// lone surrogates, full-width and non-breaking spaces (JS trims them; XML does not count them as space).
const awkward = fc.constantFrom(
  '', ' ', '\n', '\r\n', '\r', '\t', '\u3000', '\u00a0', '&', '&amp;', '&lt;', '<', '>', ']]>', ']]', ']',
  '<![CDATA[', '<!--x-->', '<b>', '</b>', '\u0000', '\u0001', '\u000b', '\ud800', '\udc00', '\ufffe', '😀', '女装',
  '</Content>', '<xml>', '</xml>', '"', "'",
);
/** Mostly the ordinary case, sometimes an odd one: both paths must agree on every document the fast one takes. */
const mostly = <T,>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: usual, weight: 6 }, { arbitrary: odd, weight: 1 });
const sometimes = fc.integer({ min: 0, max: 7 }).map((n) => n === 0);
const text = fc.array(mostly(fc.string({ unit: 'grapheme', maxLength: 6 }), awkward), { maxLength: 4 }).map((a) => a.join(''));
const name = mostly(
  fc.oneof(
    fc.constantFrom('ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Content', 'MsgId', 'Event', 'EventKey', 'Encrypt'),
    fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/),
  ),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'xml', '_', 'a.b', 'a-b', '1a', '', 'x y', 'Content/', 'é'),
);
const space = mostly(fc.constantFrom('', ' ', '\n'), fc.constantFrom('\r\n', '\t', '\u00a0', '\u3000'));
const field = fc.record({ name, value: text, cdata: fc.boolean(), before: space, after: space, inner: sometimes }).map(
  ({ name: n, value, cdata, before, after, inner }) => {
    const content = cdata ? `<![CDATA[${value}]]>` : value;
    return `${before}<${n}>${inner ? `<item>${content}</item>` : content}</${n}>${after}`;
  },
);
const document = fc
  .record({
    prefix: mostly(fc.constantFrom('', ' ', '\n'), fc.constantFrom('<?xml version="1.0" encoding="UTF-8"?>', '\ufeff', 'x', '<!DOCTYPE xml>')),
    root: mostly(fc.constant('xml'), fc.constantFrom('xml ', 'Xml', 'root')),
    fields: fc.array(field, { maxLength: 6 }),
    suffix: mostly(fc.constantFrom('', '\n'), fc.constantFrom(' x', '<xml></xml>', '<!-- c -->')),
  })
  .map(({ prefix, root, fields, suffix }) => `${prefix}<${root}>${fields.join('')}</${root.trim()}>${suffix}`);

describe('the flat-document fast path', () => {
  it('gives exactly what the full parser gives whenever it takes a document', async () => {
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(document, async (doc) => {
        const fast = parseFlatXml(doc);
        if (fast !== null) {
          taken++;
          expect(fast).toEqual(await full(doc));
        }
      }),
      { numRuns: 3000 },
    );
    // The generator must reach the fast path often enough for the comparison to mean something.
    expect(taken).toBeGreaterThan(300);
  });

  it('takes every document shaped like a delivery, whatever the values', () => {
    const value = fc.string({ unit: 'grapheme', maxLength: 40 });
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[A-Z][A-Za-z_]{0,12}$/), fc.oneof(value, fc.nat()), { maxKeys: 12 }), (fields) => {
        const parsed = parseFlatXml(buildMessageXml(fields));
        expect(parsed).toEqual(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v).trim()])));
      }),
      { numRuns: 1000 },
    );
  });

  it('takes the platform documents as they arrive: whitespace and newlines between fields, numbers bare', () => {
    const doc = `<xml>\n  <ToUserName><![CDATA[gh_123]]></ToUserName>\n  <FromUserName><![CDATA[o_user]]></FromUserName>\n  <CreateTime>1348831860</CreateTime>\n  <MsgType><![CDATA[text]]></MsgType>\n  <Content><![CDATA[ 女装 ]]></Content>\n  <MsgId>1234567890123456789</MsgId>\n</xml>\n`;
    expect(parseFlatXml(doc)).toEqual({
      ToUserName: 'gh_123', FromUserName: 'o_user', CreateTime: '1348831860', MsgType: 'text', Content: '女装', MsgId: '1234567890123456789',
    });
  });

  it.each([
    ['a DTD', '<!DOCTYPE xml [<!ENTITY x "y">]><xml><Content>&x;</Content></xml>'],
    ['an entity reference', '<xml><Content>a &amp; b</Content></xml>'],
    ['a nested element', '<xml><Content><b>x</b></Content></xml>'],
    ['a repeated field', '<xml><Content>a</Content><Content>b</Content></xml>'],
    ['an attribute', '<xml><Content lang="zh">a</Content></xml>'],
    ['an XML declaration', '<?xml version="1.0"?><xml><Content>a</Content></xml>'],
    ['a comment', '<xml><!-- hi --><Content>a</Content></xml>'],
    ['text after the root', '<xml><Content>a</Content></xml>junk'],
    ['a second root', '<xml></xml><xml></xml>'],
    ['a mismatched closing tag', '<xml><Content>a</Contents></xml>'],
    ['an unterminated CDATA section', '<xml><Content><![CDATA[a</Content></xml>'],
    ['a field named __proto__', '<xml><__proto__>a</__proto__></xml>'],
  ])('leaves %s to the full parser', async (_what, doc) => {
    expect(parseFlatXml(doc)).toBeNull();
  });

  it('still rejects a DTD through parseWechatXml', async () => {
    await expect(parseWechatXml('<!DOCTYPE xml [<!ENTITY x "y">]><xml><Content>&x;</Content></xml>')).rejects.toMatchObject({ code: 'dtd' });
  });
});
