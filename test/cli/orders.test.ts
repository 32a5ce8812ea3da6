/**
 * `guang orders` as real processes over a new database of the run's kind (SQLite, or PostgreSQL in its pass): a catalogue imported with `guang import`,
 * orders placed through the order desk, then listed, shown, moved (refusals exit 1 with one line, usage
 * errors exit 2) and exported as CSV and XLSX (read back with exceljs).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.ts';
import { accountId, userId } from '../../src/core/messages.ts';
import { createOrderDesk } from '../../src/orders/desk.ts';
import { createReferrerStore } from '../../src/orders/referrers.ts';
import { guang } from '../helpers/process.ts';
import { openRunDatabase, runDatabase } from '../helpers/run-database.ts';
import { tempDir } from '../helpers/temp.ts';

const dir = tempDir();
const DB = await runDatabase();

async function run(args: string[], cwd?: string) {
  const p = guang(args, { GUANG_DB: DB.dbPath, ...DB.env }, cwd);
  p.child.stdin!.end();
  const code = await p.exited();
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

const catalogue = path.join(dir, 'products.csv');
writeFileSync(catalogue, 'sku,title,category,price,stock,variants\nP1,法式连衣裙,女装/连衣裙,199,10,S|M|L\nP2,纯棉T恤,女装/T恤,59.9,,\n');
expect((await run(['import', 'products', catalogue])).code).toBe(0);
const { sql } = await openRunDatabase(DB);
await createReferrerStore(sql).save(accountId('default'), { code: 'wangjie', name: '王姐', kind: 'leader' });
const placeAt = async (at: number, user: string, sku: string, quantity: number, extra: { ref?: string; remark?: string } = {}) => {
  const r = await createOrderDesk(sql, { clock: manualClock(at) }).place({
    account: accountId('default'), user: userId(user), channel: 'wechat', source: 'page', items: [{ sku, variant: sku === 'P1' ? 'M' : null, quantity }],
    contact: { receiver: '张三', phone: '13800138000', address: '上海市静安区愚园路1号' }, remark: extra.remark ?? null, ref: extra.ref ?? null,
  });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.order.id;
};
const first = await placeAt(Date.UTC(2026, 11, 1, 2), 'o_a', 'P1', 2, { ref: 'wangjie', remark: '@SUM(A1)' });
const second = await placeAt(Date.UTC(2026, 11, 2, 2), 'o_b', 'P2', 1);

describe('guang orders', () => {
  it('list prints one line per order and the counts; --json the admin API\'s shape; filters narrow it', async () => {
    const text = await run(['orders', 'list']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`#${first}  2026-12-01 10:00  待确认  ¥398.00  张三 13800138000  推荐人 王姐  — 法式连衣裙 M ×2`);
    expect(text.stdout).toMatch(/2 of 2 orders shown \(待确认 2，已确认 0/);
    const json = JSON.parse((await run(['orders', 'list', '--json', '--referrer', 'wangjie'])).stdout);
    expect(json.items.map((o: { id: number }) => o.id)).toEqual([first]);
    expect(json.items[0]).toMatchObject({ status: 'placed', total_fen: 39800, referrer: { code: 'wangjie', name: '王姐' } });
    expect(JSON.parse((await run(['orders', 'list', '--json', '--from', '2026-12-02'])).stdout).total).toBe(1);
  }, 60_000);

  it('confirm, ship and cancel move an order (recorded as cli:NAME); show prints it with its history', async () => {
    expect((await run(['orders', 'confirm', String(first), '--by', 'mei'])).stdout.trim()).toBe(`Order ${first}: 待确认 → 已确认`);
    expect((await run(['orders', 'ship', String(first), '--carrier', '顺丰', '--tracking-no', 'SF778899'])).code).toBe(0);
    expect((await run(['orders', 'cancel', String(second), '--reason', '客户不要了'])).code).toBe(0);
    const shown = await run(['orders', 'show', String(first)]);
    expect(shown.stdout).toContain('快递 顺丰 SF778899');
    expect(shown.stdout).toMatch(/cli:mei {2}confirm/);
    const json = JSON.parse((await run(['orders', 'show', String(second), '--json'])).stdout);
    expect(json).toMatchObject({ status: 'cancelled', cancel_reason: '客户不要了' });
  }, 60_000);

  it('refuses clearly: exit 1 for an unknown order or a move its status forbids, exit 2 for bad input', async () => {
    const unknown = await run(['orders', 'confirm', '99999']);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, 'guang orders: no order 99999 in account default']);
    const forbidden = await run(['orders', 'confirm', String(second)]);
    expect([forbidden.code, forbidden.stderr.trim()]).toEqual([1, `guang orders: order ${second}: cannot confirm an order that is cancelled (allowed from placed)`]);
    const noNumber = await run(['orders', 'ship', String(first), '--carrier', '顺丰']);
    expect([noNumber.code, noNumber.stderr]).toEqual([2, expect.stringMatching(/--tracking-no/)]);
    const day = await run(['orders', 'list', '--from', '2026-02-30']);
    expect([day.code, day.stderr]).toEqual([2, expect.stringMatching(/from: 2026-02-30 is not a day/)]);
    expect((await run(['orders', 'list', '--status', 'paid'])).code).toBe(2);
    expect((await run(['orders', 'show', 'abc'])).code).toBe(2);
  }, 60_000);

  it('export writes CSV (BOM, neutralised cell) and XLSX (read back), named with the period unless --out', async () => {
    const csvOut = path.join(dir, 'o.csv');
    const csv = await run(['orders', 'export', '--format', 'csv', '--from', '2026-12-01', '--to', '2026-12-02', '--out', csvOut]);
    expect([csv.code, csv.stdout]).toEqual([0, expect.stringMatching(/^Wrote .*o\.csv: 2 order lines in \d+ ms/)]);
    const text = readFileSync(csvOut, 'utf8');
    expect(text.startsWith('\uFEFF"订单号"')).toBe(true);
    expect(text).toContain(`"'@SUM(A1)"`);
    const summary = path.join(dir, 's.csv');
    await run(['orders', 'export', '--format', 'csv', '--sheet', 'summary', '--out', summary]);
    expect(readFileSync(summary, 'utf8')).toContain('"按商品","法式连衣裙","P1",1,2,398.00');
    // No --out: the file is named with the period, in the current directory.
    const xlsx = await run(['orders', 'export', '--from', '2026-12-01', '--to', '2026-12-02'], dir);
    expect(xlsx.code, xlsx.stderr).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path.join(dir, '订单-2026-12-01_2026-12-02.xlsx'));
    expect(book.worksheets.map((w) => w.name)).toEqual(['订单', '销售汇总']);
    expect(book.getWorksheet('订单')!.getRow(2).getCell(10).value).toBe(199);
    expect((await run(['orders', 'export', '--format', 'xlsx', '--sheet', 'summary'])).code).toBe(2);
  }, 60_000);

  it('--search finds as the console\'s search box does, --source narrows to where the order was placed', async () => {
    const r = await createOrderDesk(sql, { clock: manualClock(Date.UTC(2026, 11, 3, 2)) }).place({
      account: accountId('default'), user: userId('o_c'), channel: 'wechat', source: 'chat', items: [{ sku: 'P2', variant: null, quantity: 1 }],
      contact: { receiver: '李小四', phone: '13912345678', address: '北京市朝阳区建国路1号' }, remark: null, ref: null,
    });
    if (!r.ok) throw new Error(JSON.stringify(r));
    const ids = async (...args: string[]) => {
      const out = await run(['orders', 'list', '--json', ...args]);
      expect(out.code, out.stderr).toBe(0);
      return (JSON.parse(out.stdout).items as { id: number }[]).map((o) => o.id);
    };
    expect(await ids('--search', '小四')).toEqual([r.order.id]);
    expect(await ids('--search', '5678')).toEqual([r.order.id]);
    expect(await ids('--search', String(first))).toEqual([first]);
    expect(await ids('--source', 'chat')).toEqual([r.order.id]);
    expect((await ids('--source', 'page')).sort()).toEqual([first, second].sort());
    expect(await ids('--source', 'page', '--search', '小四')).toEqual([]);
    expect((await run(['orders', 'list', '--source', 'phone'])).code).toBe(2);
    expect((await run(['orders', 'list', '--search', '长'.repeat(31)])).stderr).toMatch(/--search: at most 30 characters/);
  }, 60_000);
});
