/**
 * `GET /api/orders/export` over real HTTP: CSV as Excel and WPS open it (BOM, CRLF, a formula cell
 * neutralised, numbers bare), the sales summary as a second CSV, the XLSX workbook read back with exceljs
 * (sheets 订单 and 销售汇总, numbers as numbers, yuan with two decimals, the header frozen), names with the
 * period (RFC 5987 for the Chinese), and store staff's exports narrowed to their store.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminServer } from './harness.ts';
import { place, seedShop } from './order-seed.ts';
import { addUser, signIn } from './staff-client.ts';

const s = await adminServer();
await seedShop(s);
await addUser(s.server.sql, 'clerk', 'store_staff', 'long-enough-pw', 'sh-jingan');

const DAY_01 = Date.UTC(2026, 11, 1, 2, 0); // Beijing 12-01 10:00
const DAY_02 = Date.UTC(2026, 11, 2, 2, 0);
const a = await place(s.server.sql, { user: 'o_j1', at: DAY_01, items: [{ sku: 'P1', variant: 'M', quantity: 2 }], ref: 'wangjie', remark: '=HYPERLINK("http://evil.example","点我")' });
const b = await place(s.server.sql, { user: 'o_c1', at: DAY_01 + 60_000, items: [{ sku: 'P2', variant: null, quantity: 1 }], receiver: '+李四' });
const c = await place(s.server.sql, { user: 'o_n1', at: DAY_02, items: [{ sku: 'P1', variant: 'S', quantity: 1 }, { sku: 'P2', variant: null, quantity: 3 }] });
const gone = await place(s.server.sql, { user: 'o_n1', at: DAY_02 + 60_000, items: [{ sku: 'P2', variant: null, quantity: 5 }] });
await s.api('POST', `/orders/${gone.id}/cancel`, { reason: '不要了' });
await s.api('POST', `/orders/${a.id}/ship`, { carrier: '顺丰', tracking_no: 'SF100200' });

async function download(path: string, headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` }) {
  const res = await fetch(`${s.server.url}/api${path}`, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', disposition: res.headers.get('content-disposition') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
}
const rowsOf = (csv: string) => csv.replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '');

describe('CSV', () => {
  it('is UTF-8 with a BOM and CRLF, one row per item, formula cells neutralised, numbers bare', async () => {
    const r = await download('/orders/export?format=csv&from=2026-12-01&to=2026-12-02');
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/csv; charset=utf-8');
    expect([...r.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = r.bytes.toString('utf8');
    expect(text).not.toMatch(/[^\r]\n/);
    const rows = rowsOf(text);
    expect(rows[0]).toBe('"订单号","下单时间","状态","收货人","手机号","地址","商品","规格","数量","单价（元）","小计（元）","运费（元）","订单金额（元）","门店","推荐人","渠道","来源","快递公司","快递单号","备注"');
    // a (1 item), b (1), c (2), the cancelled one (1): five rows, oldest first.
    expect(rows).toHaveLength(6);
    expect(rows[1]).toBe(`${a.id},"2026-12-01 10:00:00","已发货","张三","13800138000","上海市静安区愚园路1号","法式连衣裙","M",2,199.00,398.00,0.00,398.00,"静安店","王姐","公众号","对话","顺丰","SF100200","'=HYPERLINK(""http://evil.example"",""点我"")"`);
    expect(rows[2]).toContain(`${b.id},"2026-12-01 10:01:00","待确认","'+李四"`);
    expect(rows[2]).toContain(',59.90,59.90,0.00,59.90,"朝阳店","",');
    expect(rows[5]).toContain('"已取消"');
  });

  it('the sales summary: by day, product, store and referrer, cancelled orders left out', async () => {
    const r = await download('/orders/export?format=csv&sheet=summary&from=2026-12-01&to=2026-12-02');
    expect(r.disposition).toContain("filename*=UTF-8''%E9%94%80%E5%94%AE%E6%B1%87%E6%80%BB-2026-12-01_2026-12-02.csv");
    expect(rowsOf(r.bytes.toString('utf8'))).toEqual([
      '"汇总方式","名称","编号","订单数","件数","销售额（元，不含运费）"',
      '"按日","2026-12-01","",2,3,457.90',
      '"按日","2026-12-02","",1,4,378.70',
      '"按商品","法式连衣裙","P1",2,3,597.00',
      '"按商品","纯棉T恤","P2",2,4,239.60',
      '"按门店","静安店","sh-jingan",1,2,398.00',
      '"按门店","（无门店）","",1,4,378.70',
      '"按门店","朝阳店","bj-chaoyang",1,1,59.90',
      '"按推荐人","（无推荐人）","",2,5,438.60',
      '"按推荐人","王姐","wangjie",1,2,398.00',
    ]);
  });

  it('names the file with the period (RFC 5987 for the Chinese) and takes the list\'s filters', async () => {
    const r = await download('/orders/export?format=csv&from=2026-12-02&to=2026-12-02&status=placed');
    expect(r.disposition).toMatch(/^attachment; filename="[^"]*-2026-12-02\.csv"; filename\*=UTF-8''%E8%AE%A2%E5%8D%95-2026-12-02\.csv$/);
    expect(rowsOf(r.bytes.toString('utf8')).slice(1).map((l) => Number(l.split(',')[0]))).toEqual([c.id, c.id]);
    const bad = await s.api('GET', '/orders/export?format=pdf');
    expect([bad.status, bad.body.error.message]).toEqual([400, 'query: format: csv or xlsx']);
  });
});

describe('XLSX', () => {
  it('reads back with exceljs: sheets 订单 and 销售汇总, numbers as numbers, yuan with two decimals, the header bold and frozen', async () => {
    const r = await download('/orders/export?from=2026-12-01&to=2026-12-02');
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(r.disposition).toContain("filename*=UTF-8''%E8%AE%A2%E5%8D%95-2026-12-01_2026-12-02.xlsx");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(r.bytes as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['订单', '销售汇总']);
    const orders = book.getWorksheet('订单')!;
    expect(orders.rowCount).toBe(6);
    expect(orders.getRow(1).getCell(1).value).toBe('订单号');
    expect(orders.getRow(1).font?.bold ?? orders.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(orders.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const first = orders.getRow(2);
    expect(first.getCell(1).value).toBe(a.id);
    expect(first.getCell(5).value).toBe('13800138000');
    expect(first.getCell(9).value).toBe(2);
    expect(first.getCell(10).value).toBe(199);
    expect(first.getCell(10).numFmt).toBe('0.00');
    expect(first.getCell(13).value).toBe(398);
    // A cell is a value in a workbook, never a formula: the remark is the text as written.
    expect(first.getCell(20).value).toBe('=HYPERLINK("http://evil.example","点我")');
    expect(orders.getColumn(6).width).toBeGreaterThan(20);
    const summary = book.getWorksheet('销售汇总')!;
    // An empty cell is no cell (not an empty string).
    expect(summary.getRow(2).values).toEqual([undefined, '按日', '2026-12-01', undefined, 2, 3, 457.9]);
    expect(summary.getRow(2).getCell(6).numFmt).toBe('0.00');
  });

  it('store staff export their own store\'s orders only', async () => {
    const clerk = await signIn(s.server.url, 'clerk', 'long-enough-pw');
    const r = await download('/orders/export?format=csv', { cookie: clerk.cookie });
    expect(rowsOf(r.bytes.toString('utf8')).slice(1).map((l) => Number(l.split(',')[0]))).toEqual([a.id]);
    expect((await download('/orders/export?store=bj-chaoyang', { cookie: clerk.cookie })).status).toBe(403);
  });
});
