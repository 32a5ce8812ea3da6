/**
 * Only http(s) links in what the merchant's rules send. A text reply may carry `<a href="…">` links and a
 * news article a url and a picture url; a `javascript:`, `data:` or `vbscript:` link there would run in a
 * follower's client (or phish with an inline page). Pure functions: the rule schema refuses such links on
 * write (`linkProblems`), and rendering drops any that are already stored (`safeText`, `isHttpUrl`).
 *
 * Schemes are read the way browsers read them: entities decoded (`&#106;avascript:`, `&colon;`), and
 * whitespace and control characters inside the scheme ignored (`java\tscript:`).
 */

const NAMED: Record<string, string> = { colon: ':', tab: '\t', newline: '\n', sol: '/', amp: '&', lpar: '(', rpar: ')', quot: '"', apos: "'" };

/** Decodes the character references that can hide a scheme (numeric, and the few named ones that matter). */
function decodeEntities(s: string): string {
  return s.replace(/&(?:#x([0-9a-f]+)|#(\d+)|([a-z]+));?/gi, (m, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (hex !== undefined || dec !== undefined) {
      const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(dec);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return NAMED[name!.toLowerCase()] ?? m;
  });
}

/** The scheme a browser would see, lower-cased ('' for a relative link). */
function schemeOf(url: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = decodeEntities(url).replace(/[\u0000-\u0020\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/g, '');
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(cleaned);
  return m ? m[1]!.toLowerCase() : '';
}

/**
 * True for an absolute http:// or https:// address.
 * @example isHttpUrl('https://shop.example.com/a') // true; isHttpUrl('javascript:alert(1)') // false
 */
export function isHttpUrl(url: string): boolean {
  const scheme = schemeOf(url);
  return (scheme === 'http' || scheme === 'https') && /^\s*https?:\/\/[^\s/?#]+/i.test(url) && URL.canParse(url.trim());
}

/** A tag and its attributes: `<a href="…" data-x='…'>`. Attribute values quoted either way or bare. */
const TAG = /<\s*([a-z][a-z0-9-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?\s*>/gi;
const ATTRIBUTE = /([^\s=>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g;
/** Attributes that hold a link in HTML (href, src, …): their value must be an http(s) address. */
const LINK_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'background', 'data']);
const DANGEROUS = new Set(['javascript', 'data', 'vbscript', 'file']);

const unquote = (v: string) => (v.startsWith('"') || v.startsWith("'") ? v.slice(1, -1) : v);

/** Every link in a tag of `html` that is not http(s), as written (shortened), in order. */
export function unsafeLinks(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.matchAll(TAG)) {
    for (const attr of (tag[2] ?? '').matchAll(ATTRIBUTE)) {
      const name = attr[1]!.toLowerCase();
      if (attr[2] === undefined) continue;
      const value = unquote(attr[2]);
      const bad = LINK_ATTRIBUTES.has(name) ? !isHttpUrl(value) : DANGEROUS.has(schemeOf(value)) || name.startsWith('on');
      if (bad) found.push(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    }
  }
  return found;
}

/**
 * The text with every tag that holds a non-http(s) link removed (an `<a>`'s words stay, its closing tag
 * goes with it): what is sent when such a link got into the database before the check on write.
 * @example safeText('<a href="javascript:x()">点我</a>') // '点我'
 */
export function safeText(html: string): string {
  if (!html.includes('<')) return html;
  let out = html;
  let removedAnchor = false;
  out = out.replace(TAG, (tag, name: string) => {
    if (unsafeLinks(tag).length === 0) return tag;
    if (name.toLowerCase() === 'a') removedAnchor = true;
    return '';
  });
  // The closing tags of removed anchors: drop unmatched </a> (a kept anchor keeps its own).
  if (removedAnchor) {
    let open = 0;
    out = out.replace(/<\s*(\/)?\s*a\b[^>]*>/gi, (tag, closing: string | undefined) => {
      if (!closing) {
        open++;
        return tag;
      }
      if (open === 0) return '';
      open--;
      return tag;
    });
  }
  return out;
}
