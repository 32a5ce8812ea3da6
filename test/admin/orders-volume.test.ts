/**
 * The order list and the export over a few thousand orders (placed through the order desk, as followers place
 * them), over real HTTP: every answer complete and right; the time each took is printed, not asserted.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminServer } from './harness.ts';
import { place, seedShop } from './order-seed.ts';

const ORDERS = 3000;
const s = await adminServer();
await seedShop(s);
const USERS = ['o_j1', 'o_c1', 'o_n1'];
const START = Date.UTC(2026, 10, 1);
const seeded = performance.now();
for (let i = 0; i < ORDERS; i++) {
  // A minute apart, three followers in turn: never near the pending limit of an hour.
  await place(s.server.sql, { user: USERS[i % 3]!, at: START + i * 20 * 60_000, items: [{ sku: 'P2', variant: null, quantity: 1 + (i % 3) }], phone: `139${String(i).padStart(8, '0')}` });
}
console.log(`orders-volume: placed ${ORDERS} orders in ${Math.round(performance.now() - seeded)} ms`);

async function timed<T>(what: string, run: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const r = await run();
  console.log(`orders-volume: ${what} took ${Math.round(performance.now() - t)} ms`);
  return r;
}

describe(`${ORDERS} orders`, () => {
  it('the list answers the first page, a filtered page and the last page with the right total', async () => {
    const first = await timed('GET /orders (first page of 50)', () => s.api('GET', '/orders'));
    expect([first.body.items.length, first.body.total, first.body.counts.placed]).toEqual([50, ORDERS, ORDERS]);
    const store = await timed('GET /orders?store=bj-chaoyang', () => s.api('GET', '/orders?store=bj-chaoyang&limit=200'));
    expect(store.body.total).toBe(ORDERS / 3);
    const phone = await timed('GET /orders?phone=00001234', () => s.api('GET', '/orders?phone=00001234'));
    expect(phone.body.items.map((o: { phone: string }) => o.phone)).toEqual(['13900001234']);
    let cursor: string | null = first.body.next_cursor;
    let seen = first.body.items.length;
    await timed(`paging through all ${ORDERS} by 200`, async () => {
      while (cursor) {
        const next = await s.api('GET', `/orders?limit=200&cursor=${cursor}`);
        seen += next.body.items.length;
        cursor = next.body.next_cursor;
      }
    });
    expect(seen).toBe(ORDERS);
  });

  const get = (q: string) => fetch(`${s.server.url}/api/orders/export?${q}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }).then(async (r) => Buffer.from(await r.arrayBuffer()));

  it('exports every order as CSV and as XLSX', async () => {
    const csv = await timed('export CSV', () => get('format=csv'));
    expect(csv.toString('utf8').split('\r\n').filter(Boolean)).toHaveLength(ORDERS + 1);
    const xlsx = await timed('export XLSX', () => get('format=xlsx'));
    console.log(`orders-volume: CSV ${Math.round(csv.length / 1024)} KB, XLSX ${Math.round(xlsx.length / 1024)} KB`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as unknown as ArrayBuffer);
    expect(book.getWorksheet('订单')!.rowCount).toBe(ORDERS + 1);
    const items = book.getWorksheet('销售汇总')!.getRow(2);
    expect(items.getCell(1).value).toBe('按日');
  });

  it('orders are placed while an export is being written (the export holds no cursor open across its pauses)', async () => {
    let done = false;
    const exported = get('format=xlsx').then((b) => ((done = true), b));
    let placed = 0;
    while (!done) {
      await place(s.server.sql, { user: `o_during_${placed}`, at: Date.now(), items: [{ sku: 'P2', variant: null, quantity: 1 }] });
      placed += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect((await exported).length).toBeGreaterThan(0);
    console.log(`orders-volume: ${placed} orders placed during one XLSX export`);
    expect(placed).toBeGreaterThan(1);
  });
});
