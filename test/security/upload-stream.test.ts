/**
 * Uploads stream to disk and are imported from there in chunks: an upload in progress is a temporary file,
 * not a buffer; every row of a few-MB file lands, bad rows are reported by their physical line, and the
 * temporary file is gone afterwards (also when the upload fails or is aborted). The streamed import yields
 * exactly what the whole-text import yields, whatever the chunk size splits (rows, quoted line breaks,
 * `\r\n`, multi-byte GBK / UTF-8 / UTF-16 characters).
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { delimitedRows, streamDelimitedRows } from '../../src/catalogue/import/csv.ts';
import { importCatalogue } from '../../src/catalogue/import/importer.ts';
import { loadConfig } from '../../src/core/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { startServer } from '../../src/app/server.ts';
import { openDb } from '../../src/db/db.ts';
import { RUN_DB, runDatabase } from '../helpers/run-database.ts';
import { tempDbPath, tempDir } from '../helpers/temp.ts';

const dir = tempDir();
const uploads = path.join(dir, 'uploads');
mkdirSync(uploads);
const ADMIN = 'upload-admin-token-0123456789';
const database = await runDatabase();
const config = loadConfig({
  PORT: '0',
  GUANG_DB: database.dbPath,
  ...database.env,
  GUANG_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  GUANG_ADMIN_TOKEN: ADMIN,
  WECHAT_TOKEN: 'uploadtoken1',
});
const server = await startServer({ config, host: '127.0.0.1', logger: createLogger(config.logLevel), uploadDir: uploads });
afterAll(() => server.close());

const leftovers = () => readdirSync(uploads);

/**
 * A products CSV of `rows` data rows (CRLF line breaks, Chinese text, a quoted description with a line break
 * every 7th row); every 1000th row has a bad price. Returns the text and the physical lines of the bad rows.
 */
function productsCsv(rows: number, prefix = 'P'): { text: string; bad: number[] } {
  const lines = ['sku,title,category,price,description'];
  const bad: number[] = [];
  let physical = 2;
  for (let i = 1; i <= rows; i++) {
    const price = i % 1000 === 0 ? 'abc' : String(10 + (i % 500));
    if (price === 'abc') bad.push(physical);
    const multi = i % 7 === 0;
    const description = multi ? `"纯棉面料，""舒适""透气\r\n第二行说明 ${i}"` : `夏季新款连衣裙，编号 ${i}，碎花图案，显瘦百搭`;
    lines.push(`${prefix}${i},优衣库 女装 纯棉碎花连衣裙 ${i},女装/连衣裙,${price},${description}`);
    physical += multi ? 2 : 1;
  }
  return { text: lines.join('\r\n') + '\r\n', bad };
}

interface Reply {
  status: number;
  body: any;
}

/** POSTs `body` in two halves with a pause between, noting the upload directory's files during the pause. */
function upload(pathAndQuery: string, body: Buffer, headers: Record<string, string>): { reply: Promise<Reply>; during: Promise<{ name: string; size: number; mode: number }[]> } {
  let seen!: (files: { name: string; size: number; mode: number }[]) => void;
  const during = new Promise<{ name: string; size: number; mode: number }[]>((r) => (seen = r));
  const reply = new Promise<Reply>((resolve, reject) => {
    const req = request(`${server.url}/api${pathAndQuery}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-length': String(body.length), ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.write(body.subarray(0, half));
    setTimeout(() => {
      seen(leftovers().map((name) => {
        const st = statSync(path.join(uploads, name));
        return { name, size: st.size, mode: st.mode & 0o777 };
      }));
      req.end(body.subarray(half));
    }, 300);
  });
  return { reply, during };
}

function multipart(fileName: string, content: Buffer): { body: Buffer; type: string } {
  const boundary = '----guang' + Math.random().toString(16).slice(2);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

describe('catalogue uploads over HTTP', () => {
  it('streams a multipart upload of a few MB to a temporary file, imports every row, reports bad lines, and removes the file', async () => {
    const { text, bad } = productsCsv(30_000);
    const gbk = iconv.encode(text, 'gbk');
    expect(gbk.length).toBeGreaterThan(2_000_000);
    const form = multipart('products.csv', gbk);
    const { reply, during } = upload('/products/import', form.body, { 'content-type': form.type });
    // Half of the upload has arrived: it is on disk, in the upload directory, not in memory.
    const files = await during;
    expect(files).toHaveLength(1);
    expect(files[0]!.name).toMatch(/^guang-upload-/);
    expect(files[0]!.size).toBeGreaterThan(0);
    expect(files[0]!.mode.toString(8)).toBe('600'); // a merchant's catalogue, in a shared temporary directory
    const r = await reply;
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ total: 30_000, imported: 30_000 - bad.length, format: 'csv', encoding: 'gbk' });
    expect(r.body.failed.map((f: { line: number }) => f.line)).toEqual(bad);
    expect(r.body.failed[0].reason).toBe('price "abc" is not a number');
    expect(leftovers()).toEqual([]);
    const row = (await server.sql.get<{ description: string }>('SELECT description FROM products WHERE sku = ?', ['P7']))!;
    expect(row.description).toBe('纯棉面料，"舒适"透气\n第二行说明 7');
    if (RUN_DB === 'postgres') {
      // One revision a batch. PostgreSQL's writes wait on the network, not the event loop: full batches of 500
      // (sized by that wait, they fell to 16 rows, and the upload took ten times as long as on SQLite).
      const batches = (await server.sql.get<{ n: number }>("SELECT COUNT(DISTINCT rev) AS n FROM products WHERE sku LIKE 'P%'"))!.n;
      expect(batches).toBe(Math.ceil((30_000 - bad.length) / 500));
    }
  });

  it('streams a raw body named by ?filename= to a temporary file, and removes it', async () => {
    const { text, bad } = productsCsv(5_000, 'R');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const { reply, during } = upload('/products/import?filename=r.csv', utf16, { 'content-type': 'application/octet-stream' });
    expect((await during).map((f) => [f.name, f.mode.toString(8)])).toEqual([[expect.stringMatching(/^guang-upload-/), '600']]);
    const r = await reply;
    expect(r.body).toMatchObject({ total: 5_000, imported: 5_000 - bad.length, encoding: 'utf-16le' });
    expect(r.body.failed.map((f: { line: number }) => f.line)).toEqual(bad);
    expect(leftovers()).toEqual([]);
  });

  it('removes the temporary file when the import refuses the file', async () => {
    const { reply } = upload('/hotels/import?filename=h.csv', Buffer.from('name,nothing\nx,y\n'), { 'content-type': 'text/csv' });
    const r = await reply;
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('import_columns');
    expect(leftovers()).toEqual([]);
  });

  it('removes the partial file of an upload the client abandons', async () => {
    const req = request(`${server.url}/api/products/import?filename=a.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'text/csv', 'content-length': '1000000' },
    });
    req.on('error', () => {});
    req.write('sku,title,category,price\n' + 'A1,连衣裙,女装/连衣裙,10\n'.repeat(1000));
    await until(() => leftovers().length === 1);
    req.destroy();
    await until(() => leftovers().length === 0);
    expect(leftovers()).toEqual([]);
  });
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('importing a file in chunks', () => {
  const account = accountId('shop');
  const { text } = productsCsv(300);
  const withBroken = text + 'Z1,断行,女装/连衣裙,10,"未闭合的引号\r\nZ2,lost,女装/连衣裙,10,x\r\n';
  const taobao =
    'version 1.00\ntitle,price,num,outer_id,category\n宝贝名称,宝贝价格,宝贝数量,商家编码,类目\n' +
    Array.from({ length: 200 }, (_, i) => `"连衣裙 ${i}\n新款",${i % 50 === 0 ? 'x' : 99 + i},5,T${i},女装/连衣裙`).join('\r\n') + '\n';
  const cases: [string, Buffer][] = [
    ['utf-8', Buffer.from(text)],
    ['utf-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ['gbk', iconv.encode(text, 'gbk')],
    ['utf-16le with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['utf-16le without a BOM', Buffer.from(text, 'utf16le')],
    ['an unclosed quote near the end', iconv.encode(withBroken, 'gbk')],
    ['a 淘宝助理 export', iconv.encode(taobao, 'gbk')],
  ];
  for (const [name, bytes] of cases) {
    it(`reads ${name} exactly as the whole text, whatever the chunk size`, async () => {
      const expected = await importCatalogue({ db: openDb(tempDbPath(dir)), account, kind: 'products', text: bytes, batchSize: 64 });
      expect(expected.imported).toBeGreaterThan(100);
      const file = path.join(dir, `chunks-${name.replace(/\W+/g, '-')}.csv`);
      writeFileSync(file, bytes);
      for (const chunkBytes of [5, 64, 4099]) {
        const streamed = await importCatalogue({ db: openDb(tempDbPath(dir)), account, kind: 'products', file, chunkBytes, batchSize: 64 });
        expect({ ...streamed, rev: 0 }).toEqual({ ...expected, rev: 0 });
      }
    });
  }

  it('reports a row longer than the cap as an unclosed quote without holding the rest', async () => {
    const textWithQuote = 'a,b\n1,2\n3,"never closed\n4,5\n6,7\n8,9\n';
    async function* pieces() {
      for (let i = 0; i < textWithQuote.length; i += 3) yield textWithQuote.slice(i, i + 3);
    }
    const rows = [];
    for await (const row of streamDelimitedRows(pieces(), ',', 8)) rows.push(row);
    expect(rows).toEqual([...delimitedRows(textWithQuote, ',')]);
  });
});
