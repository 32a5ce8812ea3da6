/**
 * An XLSX workbook with exceljs's streaming writer: rows are written (and zipped) as they come rather than
 * held as cell objects, so a workbook of 100,000 orders costs about its compressed size in memory. Header row
 * bold and frozen, numbers as numbers, yuan shown with two decimals, phone numbers as text.
 */
import { PassThrough } from 'node:stream';
import type { Column } from './columns.ts';
import { eachRow, type Rows } from './rows.ts';

export interface Sheet<T> {
  readonly name: string;
  readonly columns: readonly Column<T>[];
  /** Read when the sheet's turn comes (the summary is complete only after the orders have passed). */
  readonly rows: () => Rows<T>;
}

const YUAN = '0.00';

/**
 * The workbook's bytes.
 * @example await xlsxWorkbook([{ name: '订单', columns: ORDER_COLUMNS, rows: () => lines }])
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each sheet has its own row type
export async function xlsxWorkbook(sheets: readonly Sheet<any>[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  // Loaded on the first export, not at start: exceljs takes ~0.5 s to load (seconds on a busy machine), and
  // every `guang serve` would pay it before answering its first webhook.
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  for (const sheet of sheets) {
    const ws = book.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((c, i) => ({ key: String(i), width: c.width }));
    const header = ws.addRow(sheet.columns.map((c) => c.header));
    header.font = { bold: true };
    header.commit();
    // eachRow lets the zip stream drain now and then instead of queueing the whole sheet.
    await eachRow(sheet.rows(), (row) => {
      const r = ws.addRow(sheet.columns.map((c) => {
        const v = c.value(row);
        return c.kind === 'yuan' ? (v as number) / 100 : v === '' ? null : v;
      }));
      sheet.columns.forEach((c, i) => {
        if (c.kind === 'yuan') r.getCell(i + 1).numFmt = YUAN;
      });
      r.commit();
    });
    ws.commit();
  }
  await book.commit();
  await ended;
  return Buffer.concat(chunks);
}
