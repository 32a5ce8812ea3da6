/**
 * The fast path for the documents WeChat actually sends: one `<xml>` root holding flat fields, each either
 * exactly one CDATA section or plain text with no markup and no entity references, e.g.
 * `<xml><ToUserName><![CDATA[gh_…]]></ToUserName><CreateTime>1348831860</CreateTime>…</xml>`.
 *
 * Anything else — an XML declaration, attributes, nested or repeated elements, comments, entity references,
 * characters XML does not allow, a DTD — is not this shape, and the answer is null: the caller then uses the
 * full parser (xml2js) and its checks. So this function never has to decide whether a document is valid;
 * it only recognises the common one, and gives the same fields xml2js would (values trimmed). The property
 * test in test/wechat-protocol/flat-xml.test.ts holds it to that.
 */

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** In plain text: markup, an entity reference, a CDATA closer, or a character sax or XML treats specially. */
const NOT_PLAIN_TEXT = /[<&\r]|\]\]>|[^\t\n\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** In a CDATA section: characters XML does not allow (lone surrogates among them) or sax rewrites (carriage returns). */
const NOT_PLAIN_CDATA = /[^\t\n\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';

function skipSpace(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) i++;
    else return i;
  }
}

/**
 * The fields of a flat WeChat document, or null when the document is not that simple shape.
 * @example parseFlatXml('<xml><MsgType><![CDATA[text]]></MsgType></xml>') // { MsgType: 'text' }
 */
export function parseFlatXml(body: string): Record<string, string> | null {
  let i = skipSpace(body, 0);
  if (!body.startsWith('<xml>', i)) return null;
  i += 5;
  const fields: Record<string, string> = {};
  for (;;) {
    i = skipSpace(body, i);
    if (body.charCodeAt(i) !== 0x3c /* < */) return null;
    if (body.startsWith('</xml>', i)) {
      i = skipSpace(body, i + 6);
      return i === body.length ? fields : null;
    }
    const tagEnd = body.indexOf('>', i + 1);
    if (tagEnd === -1) return null;
    const name = body.slice(i + 1, tagEnd);
    // Left to the full parser: a repeated field, a nested `<xml>`, xml2js's text key `_`, and names
    // objects already have (`__proto__` would set the prototype, `constructor` is dropped by xml2js).
    if (!NAME.test(name) || name === 'xml' || name === '_' || name in fields) return null;
    i = tagEnd + 1;
    let value: string;
    if (body.startsWith(CDATA_OPEN, i)) {
      const end = body.indexOf(CDATA_CLOSE, i + CDATA_OPEN.length);
      if (end === -1) return null;
      value = body.slice(i + CDATA_OPEN.length, end);
      if (NOT_PLAIN_CDATA.test(value)) return null;
      i = end + CDATA_CLOSE.length;
    } else {
      const end = body.indexOf('<', i);
      if (end === -1) return null;
      value = body.slice(i, end);
      if (NOT_PLAIN_TEXT.test(value)) return null;
      i = end;
    }
    // The closing tag must follow at once: `</Name>`.
    if (
      body.charCodeAt(i) !== 0x3c ||
      body.charCodeAt(i + 1) !== 0x2f /* / */ ||
      !body.startsWith(name, i + 2) ||
      body.charCodeAt(i + 2 + name.length) !== 0x3e /* > */
    ) {
      return null;
    }
    i += name.length + 3;
    fields[name] = value.trim();
  }
}
