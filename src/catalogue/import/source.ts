/**
 * What every format reader produces: records with the physical line they start on, and the rows it could not
 * read at all. Field names are normalised column names (`Original Price` → `original_price`).
 */

/** One row of an imported file, before validation. CSV values are strings; JSON values are whatever the file held. */
interface SourceRecord {
  /** The physical line of the file the row starts on (1-based). */
  readonly line: number;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A row that did not land, with a reason a merchant can act on. */
export interface ImportFailure {
  readonly line: number;
  readonly reason: string;
}

/** What a reader yields, in file order: a record, or a row it could not read at all. */
export type SourceItem = SourceRecord | ImportFailure;
export const isFailure = (item: SourceItem): item is ImportFailure => 'reason' in item;

/**
 * A parsed file, read lazily: `items()` walks the file from the start each time it is called, so an import
 * holds one batch of rows at a time, not the whole file.
 */
export interface RecordSource {
  /** The columns of the header, when the format has one (normalised). */
  readonly columns: readonly string[] | null;
  /** Roughly how many rows `items()` yields (for a progress bar). */
  readonly estimatedRows: number;
  items(): Iterable<SourceItem>;
}

/** A file read from disk as it is imported (CSV, 淘宝助理): like RecordSource, its rows arrive asynchronously. */
export interface StreamSource {
  readonly columns: readonly string[] | null;
  readonly estimatedRows: number;
  items(): AsyncIterable<SourceItem>;
}

export type ImportErrorCode = 'unreadable' | 'format' | 'columns' | 'option';

/** The file as a whole cannot be imported: nothing was written. The message says what to do. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
  constructor(
    readonly code: ImportErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** `Original Price` → `original_price`: header names are matched case- and spacing-insensitively. */
export const normaliseColumn = (name: string): string => name.trim().toLowerCase().replace(/[\s-]+/g, '_');

/** Quotes a merchant's value in a message, shortened. */
export function quote(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return `"${s.length > 40 ? s.slice(0, 39) + '…' : s}"`;
}
