/**
 * The 淘宝助理 data-package CSV (数据包): line 1 `version 1.00`, line 2 the English header (`title,cid,
 * seller_cids,…,price,…,num,…,description,…,picture,…,outer_id,…,num_id,…`), line 3 the Chinese header
 * (`宝贝名称,宝贝类目,…`), then one row per item; comma- or tab-separated (the delimiter is read from the
 * English header). Each row becomes a product record:
 * - `title` → title; `price` (yuan) → price; `num` → stock;
 * - `outer_id` (商家编码) → sku, or `tb-` + a hash of the title when the seller left it empty (stable across
 *   re-exports while the title stays the same);
 * - `picture` (`<name>:1:0:|;…`) → the first entry that is a web address, else no image (a bare hash names a
 *   file inside the package, which followers cannot load);
 * - `num_id` (the Taobao item id) → `https://item.taobao.com/item.htm?id=…`;
 * - `description` (HTML) → plain text, at most 1,000 characters;
 * - a `category` or `brand` column, when a seller added one, is kept; otherwise the importer decides the category.
 */
import { createHash } from 'node:crypto';
import {
  countLineBreaks, delimitedRows, detectDelimiter, firstLine, isUnclosedQuote, recordMaker, streamDelimitedRows, unclosedQuoteFailure, unifyLineBreaks,
  type Delimiter, type DelimitedRow, type UnclosedQuote,
} from './csv.ts';
import { TAOBAO_VERSION_LINE } from './formats.ts';
import type { RecordSource, SourceItem, StreamSource } from './source.ts';
import { ImportError } from './source.ts';

const CHINESE_HEADER_WORDS = new Set(['宝贝名称', '宝贝类目', '宝贝价格', '宝贝数量', '商家编码', '宝贝描述', '新图片']);
const MAX_DESCRIPTION = 1000;

/**
 * @example [...readTaobao('version 1.00\ntitle,price,num,outer_id\n宝贝名称,宝贝价格,宝贝数量,商家编码\n连衣裙,199.00,5,A1\n').items()]
 * // [{ line: 4, fields: { sku: 'A1', title: '连衣裙', price: '199.00', stock: '5', … } }]
 */
export function readTaobao(text: string): RecordSource {
  const unified = unifyLineBreaks(text);
  const layout = taobaoLayout(unified);
  return {
    columns: layout.columns,
    estimatedRows: countLineBreaks(unified) - layout.skip,
    *items(): Generator<SourceItem> {
      const item = taobaoItem(layout);
      for (const row of delimitedRows(unified, layout.delimiter)) {
        const r = item(row);
        if (r) yield r;
      }
    },
  };
}

/**
 * A 淘宝助理 export read from disk as it is imported: the layout from its head, then its rows streamed.
 * Yields what `readTaobao` over the whole text would.
 */
export function streamTaobao(head: string, lines: number, chunks: () => AsyncIterable<string>): StreamSource {
  const layout = taobaoLayout(head);
  return {
    columns: layout.columns,
    estimatedRows: Math.max(0, lines - layout.skip),
    async *items(): AsyncGenerator<SourceItem> {
      const item = taobaoItem(layout);
      for await (const row of streamDelimitedRows(chunks(), layout.delimiter)) {
        const r = item(row);
        if (r) yield r;
      }
    },
  };
}

interface TaobaoLayout {
  readonly delimiter: Delimiter;
  readonly header: DelimitedRow;
  readonly columns: string[];
  /** Rows before the first item: the version line, the English header and, when present, the Chinese one. */
  readonly skip: number;
}

/** The version line, the headers and the delimiter, from the start of the text (`\n` line breaks). */
function taobaoLayout(unified: string): TaobaoLayout {
  const versionEnd = unified.indexOf('\n', unified.search(/\S/));
  const delimiter = detectDelimiter(versionEnd === -1 ? '' : firstLine(unified, versionEnd + 1));
  const head: (DelimitedRow | UnclosedQuote)[] = [];
  for (const row of delimitedRows(unified, delimiter)) {
    head.push(row);
    if (head.length === 3 || isUnclosedQuote(row)) break;
  }
  const [version, header, third] = head.map((r) => (isUnclosedQuote(r) ? null : r));
  if (!version || !TAOBAO_VERSION_LINE.test(version.values.join(','))) {
    throw new ImportError('format', 'this is not a 淘宝助理 export: its first line should be "version 1.00"');
  }
  const columns = header?.values.map((c) => c.trim().toLowerCase()) ?? [];
  const missing = ['title', 'price'].filter((c) => !columns.includes(c));
  if (!header || missing.length > 0) {
    throw new ImportError(
      'columns',
      `this looks like a 淘宝助理 export ("version 1.00") but its second line, the English header, has no ${missing.join(' or ') || 'columns'}; export again with 淘宝助理 → 导出CSV`,
    );
  }
  const skip = third && third.values.some((v) => CHINESE_HEADER_WORDS.has(v.trim())) ? 3 : 2;
  return { delimiter, header, columns, skip };
}

/** Row → item, counting rows: null for the header rows. */
function taobaoItem(layout: TaobaoLayout): (row: DelimitedRow | UnclosedQuote) => SourceItem | null {
  const toFields = recordMaker(layout.header.values);
  let k = 0;
  return (row) => {
    if (isUnclosedQuote(row)) return unclosedQuoteFailure(row);
    return ++k > layout.skip ? { line: row.line, fields: toProductFields(toFields(row.values)) } : null;
  };
}

function toProductFields(f: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const str = (key: string): string => (typeof f[key] === 'string' ? (f[key] as string).trim() : '');
  const title = str('title');
  const outerId = str('outer_id');
  const numId = str('num_id');
  return {
    sku: outerId || (title ? titleSku(title) : ''),
    title,
    price: str('price'),
    stock: str('num'),
    image_url: pictureUrl(str('picture')),
    url: /^[1-9]\d{4,19}$/.test(numId) ? `https://item.taobao.com/item.htm?id=${numId}` : null,
    description: stripHtml(str('description')),
    category: str('category'),
    brand: str('brand'),
  };
}

/** The sku of an item the seller gave no 商家编码: stable for a title. */
export const titleSku = (title: string): string => 'tb-' + createHash('sha1').update(title).digest('hex').slice(0, 12);

/**
 * The first web address among the `picture` entries (`name:1:0:|;…`), or null.
 * @example pictureUrl('https://img.alicdn.com/i1/a.jpg:1:0:|;') // 'https://img.alicdn.com/i1/a.jpg'
 * @example pictureUrl('3f2a9c0d1e:1:0:|;') // null
 */
export function pictureUrl(picture: string): string | null {
  for (const entry of picture.split(';')) {
    const name = entry.trim().replace(/:\d+:\d+:[^;]*$/, '');
    const url = name.startsWith('//') ? 'https:' + name : name;
    if (/^https?:\/\/[^\s/]+\/\S+$/i.test(url)) return url;
  }
  return null;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ldquo: '“', rdquo: '”', hellip: '…', mdash: '—', middot: '·', yen: '¥' };

/**
 * Item descriptions are HTML (mostly images): keep the words.
 * @example stripHtml('<p>纯棉&nbsp;面料</p><img src="x.jpg">') // '纯棉 面料'
 */
export function stripHtml(html: string): string | null {
  if (html === '') return null;
  const text = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '') return null;
  return text.length > MAX_DESCRIPTION ? text.slice(0, MAX_DESCRIPTION - 1) + '…' : text;
}
