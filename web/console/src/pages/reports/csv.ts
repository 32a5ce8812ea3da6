/** Tables as CSV files, made in the browser: what is on screen, as Excel opens it (UTF-8 with a BOM). */

export interface CsvColumn<T> {
  readonly title: string;
  readonly value: (row: T) => string | number;
}

const cell = (v: string | number): string => {
  const s = String(v);
  // A leading = + - @ would be read as a formula by a spreadsheet: quote it as text.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The CSV text: a header row of titles, then one row per item. */
export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  return [columns.map((c) => cell(c.title)), ...rows.map((r) => columns.map((c) => cell(c.value(r))))].map((line) => line.join(',')).join('\r\n') + '\r\n';
}

/** Saves `text` as a file named `name` through a temporary link. */
export function downloadCsv(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
