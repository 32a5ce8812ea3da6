/**
 * Importing a catalogue file: bytes → text (encoding detected) → records (format detected) → validated
 * items (bad rows reported with their line, never written) → batches of upserts, each batch one
 * transaction and one catalogue revision. A batch that fails to write is rolled back whole and its rows are
 * reported; the other batches still land.
 */
import { readFile } from 'node:fs/promises';
import type { AccountId } from '../../core/messages.ts';
import type { Background } from '../../core/background.ts';
import type { Clock } from '../../core/clock.ts';
import type { Db } from '../../db/db.ts';
import type { Sql } from '../../db/sql/sql.ts';
import { createCatalogueStore, type CatalogueStore, type WriteResult } from '../catalogue-store.ts';
import type { CatalogueKind, Deal, Hotel, Product } from '../types.ts';
import { createCategoryGuesser, type CategoryGuess } from './category.ts';
import { readCsv, streamCsv } from './csv.ts';
import { decodeText, type TextEncoding } from './encoding.ts';
import { openFileText } from './file-text.ts';
import { detectFormat, type ImportFormat } from './formats.ts';
import { readJsonArray, readJsonLines } from './json.ts';
import { REQUIRED_COLUMNS, parseCategory, validateRow } from './rows.ts';
import type { Lang } from '../../core/lang.ts';
import type { ImportFailure, RecordSource, StreamSource } from './source.ts';
import { ImportError, isFailure } from './source.ts';
import { readTaobao, streamTaobao } from './taobao.ts';

export { ImportError } from './source.ts';
;

export const CATALOGUE_KINDS: readonly CatalogueKind[] = ['products', 'hotels', 'deals'];
const DEFAULT_BATCH_SIZE = 2000;
/**
 * At most this many failed rows are listed (the first ones, by line); the rest are only counted. A file of
 * millions of bad rows (the wrong file, honestly picked) would otherwise hold every failure in memory and
 * answer with a list hundreds of MB long; a merchant fixes the first ones and imports again.
 */
export const MAX_LISTED_FAILURES = 1000;

/** Says that only part of the failures are listed, and what to do. */
export const listedFailuresNote = (listed: number, count: number): string =>
  `only the first ${listed.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} failed rows are listed (by line); ` +
  'fix those (or check that this is the right file) and import again to see the rest';
/** Reading and validating rows gives the event loop a turn at least this often (ms), batch or not. */
const YIELD_EVERY_MS = 10;
/** A sliced import (`background`) never writes fewer rows at a time: a commit costs as much as a few rows. */
const MIN_SLICED_BATCH = 16;

export interface ImportOptions {
  /** The database (SQLite or PostgreSQL). */
  readonly db: Db | Sql;
  readonly account: AccountId;
  readonly kind: CatalogueKind;
  /** A file to read; or give `text` (a string or the raw bytes) instead. */
  readonly file?: string;
  readonly text?: string | Uint8Array;
  /** The name the text came under (for the format: `.jsonl`); defaults to `file`. */
  readonly fileName?: string;
  /** Products only: the category path (`女装/连衣裙`) for rows that name none. */
  readonly category?: string;
  /** Rows per transaction (default 2,000); with `background`, at most. */
  readonly batchSize?: number;
  /**
   * For an import inside the server: work in the server's background slices (see background.ts), so that
   * webhook deliveries are answered in between. Rows are read a slice at a time, and each batch (on SQLite, whose
   * writes run in this thread) shrinks to what one write does in a slice (measured as it goes: a write slows down
   * as the table grows), written in a slice of its own. Without it, the import yields every 10 ms and writes full batches.
   */
  readonly background?: Background;
  /**
   * Called after each batch with the rows read so far and the expected total (an estimate from the file's
   * line count until the end, then exact: the last call has done === total).
   */
  readonly onProgress?: (done: number, total: number) => void;
  readonly clock?: Clock;
  /** `file` only: bytes read at a time (default 1 MB; tests use tiny ones to split rows and characters). */
  readonly chunkBytes?: number;
  /** The language of the rows' validation reasons (default English; the console asks for Chinese). */
  readonly language?: Lang;
}

export interface ImportResult {
  /** Rows written: new plus updated. */
  readonly imported: number;
  /** Of `imported`, rows that replaced an existing one with the same id. */
  readonly updated: number;
  /**
   * Rows that did not land, sorted by line: the physical line a row starts on (JSON arrays: where the element
   * starts). Only the first MAX_LISTED_FAILURES (1,000) by line; `failedCount` counts them all.
   */
  readonly failed: ImportFailure[];
  /** Every row that did not land (`failed` lists the first 1,000 of them). */
  readonly failedCount: number;
  /** Data rows in the file (headers and blank lines excluded). */
  readonly total: number;
  readonly format: ImportFormat;
  readonly encoding: TextEncoding;
  /** The catalogue revision after the import. */
  readonly rev: number;
}

interface Valid<T> {
  readonly line: number;
  readonly item: T;
}

/**
 * Imports a products, hotels or deals file into an account: upsert by id; bad rows are reported and skipped.
 * Throws ImportError (nothing written) when the file as a whole cannot be read.
 * @example
 * const r = await importCatalogue({ db, account: accountId('default'), kind: 'products', file: 'data/products.csv' });
 * // → { imported: 1650, updated: 0, failed: [], total: 1650, format: 'csv', … }
 */
export async function importCatalogue(options: ImportOptions): Promise<ImportResult> {
  const { db, account, kind } = options;
  const explicitCategory = options.category === undefined ? null : categoryOption(options.category, kind);
  const { source, format, encoding } = await openSource(options);
  checkColumns(source, kind, format);

  const store = createCatalogueStore(db, options.clock);
  const language = options.language ?? 'en';
  const validate = kind === 'products' ? productValidator(store, account, source, explicitCategory, language) : placeValidator(kind, account, language);
  const write = writer(store, kind);
  const size = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const failed = boundedFailures(MAX_LISTED_FAILURES);
  let total = 0;
  let imported = 0;
  let updated = 0;
  let batch: Valid<Product | Hotel | Deal>[] = [];
  const { background } = options;
  // Batches are sized to a slice only where the write holds the event loop: SQLite's runs in this thread, while
  // PostgreSQL's mostly waits on the network, and sized by that wait its batches fell to MIN_SLICED_BATCH rows
  // (a 30,000-row upload took ten times as long as on SQLite).
  const sized = background !== undefined && !('dialect' in db && db.dialect === 'postgres');
  /** Rows that make the next batch full. */
  let target = sized ? Math.min(size, MIN_SLICED_BATCH) : size;
  /** When to give the event loop a turn. */
  let deadline = performance.now() + YIELD_EVERY_MS;
  const yieldToEventLoop = async () => {
    if (background) deadline = await background.turn();
    else {
      await new Promise((resolve) => setImmediate(resolve));
      deadline = performance.now() + YIELD_EVERY_MS;
    }
  };
  if (background) await yieldToEventLoop();

  // Rows are validated as they are read, so a bad row never reaches a batch; a batch is written once full.
  const flush = async () => {
    if (batch.length > 0) {
      // A write of its own slice, so the slice it is sized to is not half spent already.
      if (background) await yieldToEventLoop();
      const started = performance.now();
      try {
        const r = await write(batch.map((v) => v.item));
        imported += r.inserted + r.updated;
        updated += r.updated;
      } catch (err) {
        for (const f of batchFailures(batch, err)) failed.push(f);
      }
      if (sized) target = slicedBatchSize(batch.length, performance.now() - started, background.sliceMs, size);
      batch = [];
    }
    options.onProgress?.(total, Math.max(total, source.estimatedRows));
    // Let timers (a progress bar's redraw) and I/O (the webhook, in the server) run between batches.
    await yieldToEventLoop();
  };

  for await (const item of source.items()) {
    total++;
    if (isFailure(item)) {
      failed.push(item);
      continue;
    }
    const v = validate(item.fields);
    const r = v instanceof Promise ? await v : v;
    if (r.ok) batch.push({ line: item.line, item: r.value });
    else failed.push({ line: item.line, reason: r.reason });
    if (batch.length >= target) await flush();
    else if (performance.now() >= deadline) await yieldToEventLoop();
  }
  await flush();
  options.onProgress?.(total, total);
  return { imported, updated, failed: failed.list(), failedCount: failed.count(), total, format, encoding, rev: await store.currentRev() };
}

/**
 * Keeps the `limit` failures with the lowest lines and counts them all. Failures arrive nearly in line order
 * (a failed batch's rows come after later unreadable rows), so the list is trimmed to the lowest `limit`
 * whenever it reaches twice that: memory stays bounded, and the sorting is amortised over `limit` pushes.
 */
function boundedFailures(limit: number) {
  let kept: ImportFailure[] = [];
  let count = 0;
  /** Once `limit` are kept: the highest line kept after the last trim; a later failure past it can never be listed. */
  let ceiling = Infinity;
  const trim = () => {
    kept.sort((a, b) => a.line - b.line);
    if (kept.length >= limit) {
      kept = kept.slice(0, limit);
      ceiling = kept[limit - 1]!.line;
    }
  };
  return {
    push(f: ImportFailure): void {
      count++;
      if (f.line > ceiling) return;
      kept.push(f);
      if (kept.length >= 2 * limit) trim();
    },
    list(): ImportFailure[] {
      trim();
      return kept;
    },
    count: () => count,
  };
}

/**
 * The rows the next batch of a sliced import should hold: as many as the last write did in `sliceMs`, between
 * MIN_SLICED_BATCH and `max`.
 * @example slicedBatchSize(100, 8, 4, 500) // → 50
 */
export function slicedBatchSize(rows: number, tookMs: number, sliceMs: number, max: number): number {
  const fits = Math.floor((rows * sliceMs) / Math.max(tookMs, 0.01));
  return Math.max(Math.min(MIN_SLICED_BATCH, max), Math.min(max, fits));
}

type Validated<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Validates a row; a promise only when it must first read the file for category guesses (once). */
type Validator<T> = (fields: Readonly<Record<string, unknown>>) => Validated<T> | Promise<Validated<T>>;

function placeValidator(kind: 'hotels' | 'deals', account: AccountId, language: Lang): Validator<Hotel | Deal> {
  return (fields) => {
    const r = validateRow(kind, fields, language);
    return r.ok ? { ok: true, value: { ...r.value, account } } : r;
  };
}

/**
 * Products: a row's own category, else --category, else one inferred from the title against the account's
 * categories and those named in the file (collected on first need, with a second read of the file).
 */
function productValidator(
  store: CatalogueStore,
  account: AccountId,
  source: RecordSource | StreamSource,
  explicitCategory: readonly string[] | null,
  language: Lang,
): Validator<Product> {
  let guess: ((title: string) => CategoryGuess) | null = null;
  const loadGuesser = async () => {
    const known = await store.categories(account);
    if (source.columns === null || source.columns.includes('category')) {
      for await (const item of source.items()) {
        if (isFailure(item)) continue;
        const c = item.fields.category;
        const r = c === undefined || c === null || c === '' ? null : parseCategory(c);
        if (r?.ok) known.push(r.value);
      }
    }
    return (guess = createCategoryGuesser(known));
  };
  return (fields) => {
    const r = validateRow('products', fields, language);
    if (!r.ok) return r;
    const category = r.value.category ?? explicitCategory;
    if (category) return { ok: true, value: { ...r.value, account, category } };
    const withGuess = (g: CategoryGuess): Validated<Product> => (g.ok ? { ok: true, value: { ...r.value, account, category: g.path } } : g);
    return guess ? withGuess(guess(r.value.title)) : loadGuesser().then((guesser) => withGuess(guesser(r.value.title)));
  };
}

function batchFailures(batch: readonly Valid<unknown>[], err: unknown): ImportFailure[] {
  const first = batch[0]!.line;
  const last = batch[batch.length - 1]!.line;
  const why = err instanceof Error ? err.message : String(err);
  const reason = `not saved: writing the batch of lines ${first}–${last} failed (${why}); that batch was rolled back, the others landed`;
  return batch.map(({ line }) => ({ line, reason }));
}

function categoryOption(value: string, kind: CatalogueKind): readonly string[] {
  if (kind !== 'products') throw new ImportError('option', `--category applies to products only, not ${kind}`);
  const r = parseCategory(value);
  if (!r.ok) throw new ImportError('option', `--category: ${r.reason}`);
  return r.value;
}

interface Opened {
  readonly source: RecordSource | StreamSource;
  readonly format: ImportFormat;
  readonly encoding: TextEncoding;
}

/**
 * The records of the text or file. A file is read from disk as it is imported (CSV, 淘宝助理), so its size
 * does not decide the memory an import takes; JSON is parsed whole, as before.
 */
async function openSource(options: ImportOptions): Promise<Opened> {
  const fileName = options.fileName ?? options.file;
  if (options.text === undefined && options.file !== undefined) {
    const f = await openFileText(options.file, options.chunkBytes);
    const format = detectFormat(f.head, fileName);
    checkKind(format, options.kind, fileName);
    if (format === 'csv') return { source: streamCsv(f.head, f.lines, f.chunks), format, encoding: f.encoding };
    if (format === 'taobao') return { source: streamTaobao(f.head, f.lines, f.chunks), format, encoding: f.encoding };
    const { text, encoding } = decodeText(await readWhole(options.file));
    return { source: readFormat(format, text, options.kind), format, encoding };
  }
  if (options.text === undefined) throw new ImportError('option', 'nothing to import: give a file or a text');
  const given = options.text;
  const { text, encoding } = typeof given === 'string' ? { text: given.replace(/^\uFEFF/, ''), encoding: 'utf-8' as const } : decodeText(given);
  const format = detectFormat(text, fileName);
  checkKind(format, options.kind, fileName);
  return { source: readFormat(format, text, options.kind), format, encoding };
}

function checkKind(format: ImportFormat, kind: CatalogueKind, fileName: string | undefined): void {
  if (format === 'taobao' && kind !== 'products') {
    throw new ImportError('format', `a 淘宝助理 export holds products; import it with: guang import products ${fileName ?? 'FILE'}`);
  }
}

async function readWhole(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new ImportError('unreadable', `cannot read ${file}: ${why}`);
  }
}

function readFormat(format: ImportFormat, text: string, kind: CatalogueKind): RecordSource {
  switch (format) {
    case 'taobao':
      return readTaobao(text);
    case 'json':
      return readJsonArray(text, kind);
    case 'jsonl':
      return readJsonLines(text, kind);
    case 'csv':
      return readCsv(text);
  }
}

/** A header without a required column would fail every row: say so once instead. */
function checkColumns(source: RecordSource | StreamSource, kind: CatalogueKind, format: ImportFormat): void {
  if (!source.columns || format === 'taobao') return;
  const have = new Set(source.columns);
  const missing = REQUIRED_COLUMNS[kind].filter((c) => !have.has(c));
  if (missing.length === 0) return;
  const found = source.columns.filter((c) => c !== '').slice(0, 12).join(', ');
  throw new ImportError(
    'columns',
    `the header row has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''} (it has: ${found || 'nothing'}); ` +
      `${kind} need ${REQUIRED_COLUMNS[kind].join(', ')}`,
  );
}

function writer(store: CatalogueStore, kind: CatalogueKind): (items: (Product | Hotel | Deal)[]) => Promise<WriteResult> {
  switch (kind) {
    case 'products':
      return (items) => store.upsertProducts(items as Product[]);
    case 'hotels':
      return (items) => store.upsertHotels(items as Hotel[]);
    case 'deals':
      return (items) => store.upsertDeals(items as Deal[]);
  }
}
