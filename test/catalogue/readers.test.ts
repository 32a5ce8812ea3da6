import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { createCategoryGuesser } from '../../src/catalogue/import/category.ts';
import { delimitedRows, detectDelimiter, readCsv } from '../../src/catalogue/import/csv.ts';
import { decodeText } from '../../src/catalogue/import/encoding.ts';
import { detectFormat } from '../../src/catalogue/import/formats.ts';
import { readJsonArray, readJsonLines } from '../../src/catalogue/import/json.ts';
import { parsePriceFen, parseTime, validateRow } from '../../src/catalogue/import/rows.ts';
import type { SourceItem } from '../../src/catalogue/import/source.ts';
import { pictureUrl, stripHtml } from '../../src/catalogue/import/taobao.ts';

const items = (source: { items(): Iterable<SourceItem> }) => [...source.items()];

describe('encoding detection', () => {
  const text = 'version 1.00\ntitle,price\n连衣裙,199\n';
  it.each([
    ['UTF-8', Buffer.from(text, 'utf8'), 'utf-8'],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), 'utf-8'],
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'utf-16le'],
    ['UTF-16LE without BOM', Buffer.from(text, 'utf16le'), 'utf-16le'],
    ['GBK', iconv.encode(text, 'gbk'), 'gbk'],
  ])('%s', (_name, bytes, encoding) => {
    expect(decodeText(bytes)).toEqual({ text, encoding });
  });
});

describe('format detection', () => {
  it.each([
    ['version 1.00\ntitle\tcid\n', 'items.csv', 'taobao'],
    ['"version 1.00"\n', undefined, 'taobao'],
    ['[{"sku":"A1"}]', 'x.json', 'json'],
    ['  \n[{"sku":"A1"}]', undefined, 'json'],
    ['{"sku":"A1"}\n{"sku":"A2"}', 'x.json', 'jsonl'],
    ['{"sku":"A1"}', 'x.jsonl', 'jsonl'],
    ['sku,title\n', 'x.csv', 'csv'],
    ['sku\ttitle\n', 'x.tsv', 'csv'],
  ])('%j (%s) is %s', (text, name, format) => {
    expect(detectFormat(text, name)).toBe(format);
  });

  it('detects the delimiter from the header line', () => {
    expect(detectDelimiter('sku,title,price')).toBe(',');
    expect(detectDelimiter('sku\ttitle\tprice')).toBe('\t');
    expect(detectDelimiter('sku;title;price')).toBe(';');
    expect(detectDelimiter('"a,b"\tc')).toBe('\t');
  });
});

describe('CSV', () => {
  it('tags each row with the physical line it starts on, through quoted line breaks and blank lines', () => {
    const csv = 'sku,title,price\r\nA1,"长款\r\n连衣裙, ""新款""",199\r\n\r\nA2,T恤,59\n,,\nA3,毛衣,299';
    expect(items(readCsv(csv))).toEqual([
      { line: 2, fields: { sku: 'A1', title: '长款\n连衣裙, "新款"', price: '199' } },
      { line: 5, fields: { sku: 'A2', title: 'T恤', price: '59' } },
      { line: 7, fields: { sku: 'A3', title: '毛衣', price: '299' } },
    ]);
  });

  it('normalises header names and keeps short rows', () => {
    expect(items(readCsv('SKU, Original Price ,title\nA1,299\n'))).toEqual([{ line: 2, fields: { sku: 'A1', original_price: '299' } }]);
  });

  it('reports a never-closed quote at the line it opens, keeping the rows before it', () => {
    const rows = items(readCsv('sku,title\nA1,ok\nA2,"broken\nA3,lost\n'));
    expect(rows[0]).toEqual({ line: 2, fields: { sku: 'A1', title: 'ok' } });
    expect(rows[1]).toMatchObject({ line: 3, reason: expect.stringMatching(/never closed.*lines 3–5/) });
    expect(rows).toHaveLength(2);
  });

  it('keeps a stray quote inside an unquoted field', () => {
    expect([...delimitedRows('a,5"5,c\n', ',')]).toEqual([{ line: 1, values: ['a', '5"5', 'c'] }]);
  });
});

describe('JSON', () => {
  it('tags array elements with the line each starts on', () => {
    const json = '[\n  {"sku": "A1",\n   "title": "连衣裙"},\n\n  {"sku": "A2", "note": "a \\" ] , {"},\n  3\n]';
    expect(items(readJsonArray(json, 'products'))).toEqual([
      { line: 2, fields: { sku: 'A1', title: '连衣裙' } },
      { line: 5, fields: { sku: 'A2', note: 'a " ] , {' } },
      { line: 6, reason: expect.stringMatching(/expected an object.*got number/) },
    ]);
  });

  it('accepts {"products": [...]} (array index + 1 as the line) and rejects broken JSON as a whole, with its position', () => {
    expect(items(readJsonArray('{"products": [{"sku": "A1"}, {"sku": "A2"}]}', 'products')).map((i) => i.line)).toEqual([1, 2]);
    expect(() => readJsonArray('[\n{"sku": "A1"},\n{"sku": }\n]', 'products')).toThrow(/not valid JSON.*line 3/);
  });

  it('reads JSON Lines, failing a bad line alone', () => {
    expect(items(readJsonLines('{"sku":"A1"}\n\nnot json\n{"sku":"A2"}\n[1]\n', 'products'))).toEqual([
      { line: 1, fields: { sku: 'A1' } },
      { line: 3, reason: expect.stringMatching(/^not valid JSON/) },
      { line: 4, fields: { sku: 'A2' } },
      { line: 5, reason: expect.stringMatching(/expected an object/) },
    ]);
  });

  it('reads a pretty-printed single object given as JSON Lines as one record', () => {
    expect(items(readJsonLines('{\n  "sku": "A1",\n  "title": "T恤"\n}\n', 'products'))).toEqual([{ line: 1, fields: { sku: 'A1', title: 'T恤' } }]);
  });
});

describe('prices', () => {
  it.each([
    ['199', 19900],
    ['199.00', 19900],
    ['¥199', 19900],
    ['￥ 29.9', 2990],
    ['199元', 19900],
    ['1,299.50', 129950],
    ['0', 0],
    [19.9, 1990],
    [0.1 + 0.2, 30],
  ])('%j → %i fen', (input, fen) => {
    expect(parsePriceFen(input)).toEqual({ ok: true, value: fen });
  });

  it.each([
    ['abc', 'price "abc" is not a number'],
    ['-5', 'price "-5" is negative'],
    ['19.999', 'price "19.999" has more than two decimals (fen)'],
    ['NaN', 'price "NaN" is not a number'],
    [Number.NaN, 'price "null" is not a number'],
    ['1e5', 'price "1e5" is not a number'],
  ])('rejects %j: %s', (input, reason) => {
    expect(parsePriceFen(input)).toMatchObject({ ok: false, reason });
  });
});

describe('times', () => {
  it('reads ISO 8601, Beijing time when no zone is given', () => {
    expect(parseTime('2027-03-01T10:00:00+08:00', 'starts_at')).toEqual({ ok: true, value: Date.parse('2027-03-01T02:00:00Z') });
    expect(parseTime('2027-03-01 10:00', 'starts_at')).toEqual({ ok: true, value: Date.parse('2027-03-01T02:00:00Z') });
    expect(parseTime('2027-03-01', 'starts_at')).toEqual({ ok: true, value: Date.parse('2027-02-28T16:00:00Z') });
    expect(parseTime('2027-03-01T00:00:00Z', 'ends_at')).toEqual({ ok: true, value: Date.parse('2027-03-01T00:00:00Z') });
  });

  it('rejects what is not a real date', () => {
    expect(parseTime('2027-02-30', 'ends_at')).toMatchObject({ ok: false, reason: 'ends_at "2027-02-30" is not a real date and time' });
    expect(parseTime('next week', 'ends_at')).toMatchObject({ ok: false, reason: expect.stringMatching(/ISO 8601/) });
  });
});

describe('row validation', () => {
  it('lists every problem of a row in merchant words', () => {
    expect(validateRow('products', { title: '连衣裙', price: 'abc', url: 'javascript:alert(1)', stock: '2.5' })).toMatchObject({
      ok: false,
      reason: 'sku is missing; price "abc" is not a number; stock "2.5" is not a whole number; url "javascript:alert(1)" must be a web address starting with http:// or https://',
    });
    expect(validateRow('hotels', { id: 'H1', name: '汉庭', city: '上海', lat: '121.47', lng: '31.23' })).toMatchObject({
      ok: false,
      reason: 'lat "121.47" is outside -90…90 (are lat and lng swapped?)',
    });
    expect(validateRow('deals', { id: 'D1', title: '套餐', city: '上海', price: '10', starts_at: '2027-03-01', ends_at: '2027-01-01' })).toMatchObject({
      ok: false,
      reason: 'ends_at is not after starts_at',
    });
  });

  it('types each problem by its column, and says it in Chinese when asked', () => {
    const r = validateRow('products', { title: '连衣裙', price: 'abc', url: 'ftp://x' }, 'zh');
    expect(r).toMatchObject({
      ok: false,
      problems: [{ field: 'sku', code: 'missing' }, { field: 'price', code: 'not_number', value: '"abc"' }, { field: 'url', code: 'not_web_address' }],
      reason: '请填写货号; 价格 "abc" 不是数字; 链接 "ftp://x" 须为以 http:// 或 https:// 开头的网址',
    });
    expect(validateRow('deals', { id: 'D1', title: '套餐', city: '上海', price: '10', lat: '31' }, 'zh')).toMatchObject({
      problems: [{ field: 'lng', code: 'lat_lng_together' }],
      reason: '纬度和经度须同时填写',
    });
  });

  it('trims text, splits tags, reads JSON arrays and numbers', () => {
    expect(validateRow('products', { sku: 1001, title: ' T恤 ', category: ['男装', 'T恤'], price: 59, tags: ['黑色', ' 纯棉 ', '黑色'] })).toMatchObject({
      ok: true,
      value: { sku: '1001', title: 'T恤', category: ['男装', 'T恤'], priceFen: 5900, tags: ['黑色', '纯棉'], stock: null },
    });
    expect(validateRow('products', { sku: 'A', title: 'T', category: '男装 / T恤', price: '1', tags: 'a|b||' })).toMatchObject({
      value: { category: ['男装', 'T恤'], tags: ['a', 'b'] },
    });
  });
});

describe('Taobao fields', () => {
  it('takes the first picture that is a web address', () => {
    expect(pictureUrl('https://img.alicdn.com/i1/a.jpg:1:0:|;https://img.alicdn.com/i1/b.jpg:1:1:|;')).toBe('https://img.alicdn.com/i1/a.jpg');
    expect(pictureUrl('3f2a9c0d1e7b:1:0:|;//img.alicdn.com/i2/c.jpg:1:1:|;')).toBe('https://img.alicdn.com/i2/c.jpg');
    expect(pictureUrl('3f2a9c0d1e7b:1:0:|;')).toBeNull();
    expect(pictureUrl('')).toBeNull();
  });

  it('keeps the words of an HTML description', () => {
    expect(stripHtml('<p>纯棉&nbsp;面料 &amp; 透气</p><script>x()</script><img src="a.jpg"><br/>&#36710;&#x4E0A;')).toBe('纯棉 面料 & 透气 车上');
    expect(stripHtml('<img src="a.jpg">')).toBeNull();
  });
});

describe('category inference', () => {
  const guess = createCategoryGuesser([
    ['女装', '连衣裙'],
    ['女装', '半身裙'],
    ['女装', 'T恤'],
    ['男装', 'T恤'],
    ['数码', '耳机'],
    ['数码', '蓝牙耳机'],
  ]);

  it('takes the longest leaf name in the title', () => {
    expect(guess('优衣库 纯棉碎花连衣裙 夏季新款')).toEqual({ ok: true, path: ['女装', '连衣裙'] });
    expect(guess('漫步者 真无线蓝牙耳机 降噪')).toEqual({ ok: true, path: ['数码', '蓝牙耳机'] });
    expect(guess('森马 t恤 宽松')).toMatchObject({ ok: false, reason: expect.stringMatching(/ambiguous: .*女装\/T恤 and 男装\/T恤/) });
  });

  it('settles a leaf under several roots by the other words of the title', () => {
    expect(guess('森马 男装 纯棉T恤')).toEqual({ ok: true, path: ['男装', 'T恤'] });
    expect(guess('森马 男款 纯棉T恤')).toEqual({ ok: true, path: ['男装', 'T恤'] });
  });

  it('says so when nothing matches', () => {
    expect(guess('九阳 豆浆机')).toMatchObject({ ok: false, reason: expect.stringMatching(/--category/) });
    expect(createCategoryGuesser([])('连衣裙')).toMatchObject({ ok: false, reason: expect.stringMatching(/no known categories/) });
  });
});
