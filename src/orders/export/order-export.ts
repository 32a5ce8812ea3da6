/**
 * An export of orders as a file: XLSX with two sheets (订单, 销售汇总), or CSV, one table per file (`sheet`:
 * orders or summary). File names carry the period: 订单-2026-12-01_2026-12-03.xlsx. The API and the CLI both
 * call this.
 */
import type { Db } from '../../db/db.ts';
import { asSql } from '../../db/sql/sqlite.ts';
import type { Sql } from '../../db/sql/sql.ts';
import { ORDER_COLUMNS, SUMMARY_COLUMNS } from './columns.ts';
import { csvTable } from './csv.ts';
import { exportPages, salesSummary, type ExportFilter, type ExportLine } from './lines.ts';
import { periodLabel } from './period.ts';
import { xlsxWorkbook } from './xlsx.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_SHEETS = ['orders', 'summary'] as const;
export type ExportSheet = (typeof EXPORT_SHEETS)[number];

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV_TYPE = 'text/csv; charset=utf-8';

export interface ExportFile {
  readonly body: string | Buffer;
  readonly type: string;
  readonly name: string;
  /** Order lines (items) and orders written. */
  readonly lines: number;
}

const SHEET_ZH: Readonly<Record<ExportSheet, string>> = { orders: '订单', summary: '销售汇总' };

/** The file name of a sheet (CSV) or the workbook (XLSX) over a filter's period. */
export const exportFileName = (filter: ExportFilter, format: ExportFormat, sheet: ExportSheet = 'orders'): string =>
  `${format === 'xlsx' ? '订单' : SHEET_ZH[sheet]}-${periodLabel(filter)}.${format}`;

/**
 * @example await orderExport(sql, { account: 'default', from, to }, 'xlsx')
 */
export async function orderExport(db: Db | Sql, filter: ExportFilter, format: ExportFormat, sheet: ExportSheet = 'orders'): Promise<ExportFile> {
  const sql = asSql(db);
  const summary = salesSummary();
  let lines = 0;
  // The summary is taken from the same pass as the orders' rows.
  async function* counted(): AsyncGenerator<readonly ExportLine[]> {
    for await (const page of exportPages(sql, filter)) {
      lines += page.length;
      for (const l of page) summary.add(l);
      yield page;
    }
  }
  const name = exportFileName(filter, format, sheet);
  if (format === 'xlsx') {
    const body = await xlsxWorkbook([
      { name: SHEET_ZH.orders, columns: ORDER_COLUMNS, rows: counted },
      { name: SHEET_ZH.summary, columns: SUMMARY_COLUMNS, rows: () => summary.rows() },
    ]);
    return { body, type: XLSX_TYPE, name, lines };
  }
  if (sheet === 'orders') return { body: await csvTable(ORDER_COLUMNS, counted()), type: CSV_TYPE, name, lines };
  // The summary needs every line (only the summary is written); a turn of the event loop per page, as the writers give.
  for await (const _ of counted()) await new Promise((resolve) => setImmediate(resolve));
  return { body: await csvTable(SUMMARY_COLUMNS, summary.rows()), type: CSV_TYPE, name, lines };
}
